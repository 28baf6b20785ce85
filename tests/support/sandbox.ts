/**
 * E2E helpers for the loopback sandbox service (utils/sandbox/http-server.ts):
 *
 * - `useSandboxService(worker, url)`: the extension's settings → `{ mode: 'service', base_url: url }` (other settings kept).
 * - `control(url, action, body?)`: a `/sandbox/<action>` control (POST with a body, GET without), unwrapped from its
 *   envelope; throws with the error code when the sandbox refuses.
 * - `mailbox(url, gmail)`: the emails the sandbox "sent" to `gmail`, newest first.
 * - `latestCode(url, gmail)`: the newest verification code in that mailbox.
 * - `codeIn(subject)`: the code a TikTok verification email's subject carries, or null.
 */
import type { Worker } from '@playwright/test';
import type { MailboxEmail } from '@/utils/sandbox';
import type { Evaluator } from '../scenarios/driver';

/** `worker`: the service worker, or any extension context (tests/scenarios/support.ts `extensionOf`). */
export async function useSandboxService(worker: Worker | Evaluator, url: string): Promise<void> {
  await (worker as Evaluator).evaluate(async (base_url: string) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const ext = (globalThis as any).browser ?? (globalThis as any).chrome;
    const current = ((await ext.storage.local.get('settings')).settings ?? {}) as Record<string, unknown>;
    await ext.storage.local.set({ settings: { ...current, service: { mode: 'service', base_url } } });
  }, url);
}

export async function control<T = unknown>(url: string, action: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}/sandbox/${action.replace(/^\/+/, '')}`, {
    method: body === undefined && !/^(reset|simulate|clock|faults|reauth|owner\/)/.test(action) ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as { data: T | null; error: { code: string; message: string } };
  if (json.error.code !== 'ok') throw new Error(`sandbox ${action}: ${json.error.code} ${json.error.message}`);
  return json.data as T;
}

export async function mailbox(url: string, gmail: string): Promise<MailboxEmail[]> {
  return (await control<{ items: MailboxEmail[] }>(url, `mailbox?to=${encodeURIComponent(gmail)}`)).items;
}

export const codeIn = (subject: string): string | null =>
  /^(\d{6}) is your verification code/.exec(subject)?.[1] ?? null;

export async function latestCode(url: string, gmail: string): Promise<string> {
  for (const m of await mailbox(url, gmail)) {
    const code = codeIn(m.subject);
    if (code) return code;
  }
  throw new Error(`No verification code in the sandbox mailbox of ${gmail}`);
}
