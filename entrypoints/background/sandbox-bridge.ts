/**
 * The embedded sandbox's mailbox and test controls, for the extension's own pages (the sandbox sign-in page, the
 * popup's "what the sandbox emailed" view, demos). Only in sandbox mode; never reachable from Gmail.
 */
import { AppError } from '@/utils/api/errors';
import { AnyEnvelope } from '@/utils/api/schemas';
import type { Handlers } from '@/utils/messaging/router';
import { normaliseGmail } from '@/utils/gmail-address';
import { EMBEDDED_BASE_URL, embeddedSandbox } from './service';

async function callSandbox(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const sandbox = await embeddedSandbox();
  if (!sandbox)
    throw new AppError('not_found', 'The sandbox controls exist only while the extension uses its built-in sandbox.');
  const res = await sandbox.handle(
    new Request(`${EMBEDDED_BASE_URL}${path}`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    }),
  );
  const json: unknown = await res.json();
  const envelope = AnyEnvelope.safeParse(json);
  if (!envelope.success) {
    if (!res.ok) throw new AppError('bad_response', `The sandbox answered ${path} with HTTP ${res.status}.`);
    return json;
  }
  const { data, error } = envelope.data;
  if (error.code !== 'ok')
    throw new AppError(error.code, error.message, { status: res.status, details: error.details });
  return data;
}

export const handlers: Handlers = {
  sandboxMailbox: async ({ gmail }) => {
    const out = (await callSandbox('GET', `/sandbox/mailbox?to=${encodeURIComponent(normaliseGmail(gmail))}`)) as {
      items?: unknown[];
    } | null;
    return out?.items ?? [];
  },
  sandboxControl: async ({ action, body }) =>
    callSandbox(
      action === 'inspect' || action === 'mailbox' ? 'GET' : 'POST',
      `/sandbox/${action}`,
      action === 'inspect' || action === 'mailbox' ? undefined : body,
    ),
};
