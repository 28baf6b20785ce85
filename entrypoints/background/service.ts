/**
 * Which service the worker talks to, and the sessions it holds for each Gmail address.
 *
 * - settings `service.mode: 'sandbox'` → the embedded sandbox (state persisted in the vault), its `handle` as fetch;
 * - `service.mode: 'service'` → `service.base_url` over the real network.
 *
 * Sessions and cached links live only in the vault (IndexedDB of the extension origin), never in chrome.storage.
 */
import browser from 'webextension-polyfill';
import { z } from 'zod';
import { createServiceClient, type ServiceClient } from '@/utils/api/client';
import { AppError } from '@/utils/api/errors';
import { Link } from '@/utils/api/schemas';
import { createSandbox } from '@/utils/sandbox';
import { readSettings, type Settings } from '@/utils/storage/settings';
import { bumpLinkEpoch } from '@/utils/storage/link-epoch';
import { vaultItem } from '@/utils/storage/vault';
import { normaliseGmail } from '@/utils/gmail-address';

export type ServiceMode = Settings['service']['mode'];
type Sandbox = ReturnType<typeof createSandbox>;

/** The base URL the client uses for the embedded sandbox; requests never reach the network. */
export const EMBEDDED_BASE_URL = 'https://sandbox.invalid';

export const Session = z.object({ token: z.string().min(1), expires_at: z.string() });
export type Session = z.infer<typeof Session>;

const sessionsItem = vaultItem('sessions', z.record(z.string(), Session), () => ({}));
const linksItem = vaultItem('links', z.record(z.string(), Link), () => ({}));
const sandboxStateItem = vaultItem('sandbox:state', z.unknown(), () => undefined);

let sandbox: Sandbox | null = null;

function sandboxInstance(): Sandbox {
  return (sandbox ??= createSandbox({
    persist: { load: () => sandboxStateItem.get(), save: (state) => sandboxStateItem.set(state) },
    authorizeUrl: (query) =>
      `${browser.runtime.getURL('/sandbox-signin.html')}?${new URLSearchParams({ state: query.state, redirect_uri: query.redirect_uri })}`,
  }));
}

/** Drops the in-memory sandbox (after its persisted state was cleared), so the next call starts from the seeds. */
export function forgetEmbeddedSandbox(): void {
  sandbox = null;
}

export async function currentMode(): Promise<ServiceMode> {
  return (await readSettings()).service.mode;
}

/** The embedded sandbox, or null when the settings point at a real service. */
export async function embeddedSandbox(): Promise<Sandbox | null> {
  return (await currentMode()) === 'sandbox' ? sandboxInstance() : null;
}

/** A client for the configured service (or for `baseUrl` when given, e.g. Options' "Test connection"). */
export async function clientFor(
  opts: { token?: string; baseUrl?: string; maxRetries?: number } = {},
): Promise<ServiceClient> {
  const { baseUrl, ...rest } = opts;
  if (baseUrl) return createServiceClient({ baseUrl, ...rest });
  const { service } = await readSettings();
  if (service.mode === 'sandbox') {
    const { handle } = sandboxInstance();
    return createServiceClient({
      baseUrl: EMBEDDED_BASE_URL,
      ...rest,
      fetch: (input, init) => handle(new Request(input, init)),
    });
  }
  if (!service.base_url)
    throw new AppError('unreachable', 'No service URL is set. Choose one in Options, or switch back to the sandbox.');
  return createServiceClient({ baseUrl: service.base_url, ...rest });
}

/** A client without a session: linking calls and anything public. */
export const publicService = () => clientFor();

/** A client carrying the session of `gmail`; throws `not_linked` when there is none (or it has expired). */
export async function serviceFor(gmail: string, opts: { maxRetries?: number } = {}): Promise<ServiceClient> {
  const session = await sessionOf(gmail);
  if (!session) throw new AppError('not_linked', `${normaliseGmail(gmail)} is not linked to TikTok yet.`);
  return clientFor({ ...opts, token: session.token });
}

export async function sessionOf(gmail: string, now = Date.now()): Promise<Session | null> {
  const session = (await sessionsItem.get())[normaliseGmail(gmail)];
  if (!session) return null;
  const expires = Date.parse(session.expires_at);
  return Number.isFinite(expires) && expires <= now ? null : session;
}

export async function saveSession(gmail: string, session: Session): Promise<void> {
  await sessionsItem.update((all) => ({ ...all, [normaliseGmail(gmail)]: Session.parse(session) }));
}

export async function clearSession(gmail: string): Promise<void> {
  const key = normaliseGmail(gmail);
  await sessionsItem.update(({ [key]: _gone, ...rest }) => rest);
}

export async function linkOf(gmail: string): Promise<Link | null> {
  return (await linksItem.get())[normaliseGmail(gmail)] ?? null;
}

export async function saveLink(gmail: string, link: Link | null): Promise<void> {
  const key = normaliseGmail(gmail);
  await linksItem.update(({ [key]: _old, ...rest }) => (link ? { ...rest, [key]: link } : rest));
  await bumpLinkEpoch(); // open Gmail tabs ask again (utils/storage/link-epoch.ts)
}

/** Every Gmail address with a session (the ones the worker polls and sends for). */
export async function sessionGmails(now = Date.now()): Promise<string[]> {
  const all = await sessionsItem.get();
  return Object.keys(all).filter((gmail) => {
    const expires = Date.parse(all[gmail]!.expires_at);
    return !(Number.isFinite(expires) && expires <= now);
  });
}

/** The active link of `gmail` or `not_linked`. */
export async function activeLinkOf(gmail: string): Promise<Link> {
  const link = await linkOf(gmail);
  if (!link || link.status === 'revoked')
    throw new AppError('not_linked', `${normaliseGmail(gmail)} is not linked to TikTok yet.`);
  if (link.status === 'reauth_required')
    throw new AppError('reauth_required', 'TikTok needs you to sign in again to keep this link working.');
  return link;
}
