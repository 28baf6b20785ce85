/**
 * Typed messaging between the content script, the extension pages and the background worker,
 * on top of @webext-core/messaging. Callers get a `Result`, never a thrown error.
 */
import { defineExtensionMessaging } from '@webext-core/messaging';
import browser from 'webextension-polyfill';
import type { MessageName, RequestOf, ResponseOf, Result } from './catalogue';

export type ProtocolMap = { [K in MessageName]: (data: RequestOf<K>) => Result<ResponseOf<K>> };

/** The worker's side (router.ts). Pure so the content script, which only sends, does not ship it (bundle budget). */
export const messaging = /* @__PURE__ */ defineExtensionMessaging<ProtocolMap>();

let nextId = Math.floor(Math.random() * 1e4);

/**
 * Sends in @webext-core/messaging's wire format (`{ id, type, data, timestamp }` → `{ res } | { err }`) straight through
 * `runtime.sendMessage`, without that library and its error (de)serializer in the content script.
 */
export async function send<K extends MessageName>(name: K, data: RequestOf<K>): Promise<Result<ResponseOf<K>>> {
  try {
    const reply = (await browser.runtime.sendMessage({ id: nextId++, type: name, data, timestamp: Date.now() })) as
      { res?: unknown; err?: { message?: unknown } | null } | undefined;
    if (reply == null) throw new Error('No response');
    if (reply.err != null) throw new Error(String(reply.err.message ?? reply.err));
    return reply.res as Result<ResponseOf<K>>;
  } catch (e) {
    return {
      ok: false,
      error: {
        code: 'unreachable',
        message: `The extension's background worker did not answer (${String((e as Error)?.message ?? e)}).`,
      },
    };
  }
}
