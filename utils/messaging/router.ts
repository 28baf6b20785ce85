/**
 * The background side of messaging: checks who sent each message, validates it with its schema,
 * runs the handler and turns failures into a `Result`.
 */
import browser from 'webextension-polyfill';
import type { z } from 'zod';
import { isAppError } from '../api/errors';
import {
  catalogue,
  type Catalogue,
  type MessageName,
  type ResponseOf,
  type Result,
  type SenderKind,
} from './catalogue';
import { messaging } from './index';

export interface SenderInfo {
  kind: SenderKind;
  tabId: number | null;
  url: string;
  /** The sending frame in its tab (0: the tab's top document); tells composer frames apart. */
  frameId?: number;
  /** Chrome's id of the sending document (a reload is a new one); absent in Firefox. */
  documentId?: string;
}

export type Handler<K extends MessageName> = (
  data: z.output<Catalogue[K]['request']>,
  sender: SenderInfo,
) => Promise<ResponseOf<K>> | ResponseOf<K>;
export type Handlers = { [K in MessageName]?: Handler<K> };

const GMAIL_ORIGIN = 'https://mail.google.com';

/** `scheme://host`; unlike `URL.origin` this is not "null" for chrome-extension: and moz-extension: URLs in every runtime. */
const originOf = (url: string) => {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
};

const safeOrigin = (url: string) => {
  try {
    return originOf(url);
  } catch {
    return null;
  }
};

/**
 * Which kind of context sent a message (our pages, a composer frame in a Gmail tab, the Gmail content script), or null
 * for anything else.
 */
export function classifySender(
  sender: browser.Runtime.MessageSender,
  runtimeId = browser.runtime.id,
  extensionOrigin = originOf(browser.runtime.getURL('/')),
): SenderInfo | null {
  if (sender.id !== runtimeId) return null;
  const url = sender.url ?? sender.tab?.url;
  if (!url) return null;
  let origin: string;
  try {
    origin = originOf(url);
  } catch {
    return null;
  }
  const tabId = sender.tab?.id ?? null;
  if (origin === extensionOrigin) {
    // Our page framed inside a Gmail tab (the composer frame) is not one of our trusted pages.
    const tabOrigin = sender.tab?.url ? safeOrigin(sender.tab.url) : null;
    if (tabOrigin === GMAIL_ORIGIN && tabId !== null && (sender.frameId ?? 0) > 0)
      return { kind: 'frame', tabId, url, frameId: sender.frameId };
    if (tabOrigin !== null && tabOrigin !== extensionOrigin) return null; // in any other site's tab: refused
    return { kind: 'page', tabId, url };
  }
  const documentId = (sender as { documentId?: string }).documentId;
  if (origin === GMAIL_ORIGIN && tabId !== null)
    return { kind: 'gmail', tabId, url, frameId: sender.frameId, ...(documentId && { documentId }) };
  return null;
}

export function toErrorResult(e: unknown): Result<never> {
  if (isAppError(e)) return { ok: false, error: e.toResult() };
  const quota = /quota/i.test(String((e as Error)?.message));
  return {
    ok: false,
    error: quota
      ? {
          code: 'quota',
          message: 'The browser storage for this extension is full. Export and clear old drafts in Options.',
        }
      : {
          code: 'internal_error',
          message: `Something went wrong in the extension: ${String((e as Error)?.message ?? e)}`,
        },
  };
}

/** Runs one message through the sender check, the schema and its handler. Exported for unit tests. */
export async function dispatch<K extends MessageName>(
  name: K,
  raw: unknown,
  sender: SenderInfo | null,
  handlers: Handlers,
): Promise<Result<ResponseOf<K>>> {
  const def = catalogue[name];
  if (!sender || !def.from.includes(sender.kind)) {
    return {
      ok: false,
      error: {
        code: 'forbidden_sender',
        message: `"${name}" may not be sent from ${sender?.kind ?? 'an unknown context'}.`,
      },
    };
  }
  const parsed = def.request.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: {
        code: 'invalid_message',
        message: `Invalid "${name}" request: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim(),
      },
    };
  }
  const handler = handlers[name] as Handler<K> | undefined;
  if (!handler) return { ok: false, error: { code: 'not_found', message: `No handler for "${name}".` } };
  try {
    return { ok: true, data: await handler(parsed.data as never, sender) };
  } catch (e) {
    return toErrorResult(e);
  }
}

/** Registers every catalogue message synchronously (call from the worker's main). */
export function registerHandlers(handlers: Handlers): void {
  for (const name of Object.keys(catalogue) as MessageName[]) {
    messaging.onMessage(name, (msg) => dispatch(name, msg.data, classifySender(msg.sender), handlers) as never);
  }
}
