/**
 * The worker's side of issue 15 against a service at https://tgl.example.com (a fake `fetch` speaking API 1.1):
 * what `GET /v1/service` lists becomes the accepted senders the Gmail content script reads (storage.local
 * `service_senders`), and Options' per-account emailed kinds are read fresh and changed with
 * `PATCH /v1/links/{id}/notifications` (the client, its schema and the handlers), only from extension pages.
 * The vault is an in-memory map (happy-dom has no IndexedDB).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Link, NotificationSettings, ServiceInfo } from '@/utils/api/schemas';
import { dispatch, type SenderInfo } from '@/utils/messaging/router';
import { SERVICE_SENDERS_KEY } from '@/utils/storage/service-senders';
import { writeSettings, DEFAULT_SETTINGS } from '@/utils/storage/settings';
import { SERVICE_URL, serviceInfo } from '../support/service-notifications';
import { memory } from './support/memory-vault';

vi.mock('@/utils/storage/vault', () => import('./support/memory-vault'));

const { handlers } = await import('@/entrypoints/background/email-notifications');
const { refreshServiceInfo } = await import('@/entrypoints/background/service-info');
const { saveLink, saveSession } = await import('@/entrypoints/background/service');

const GMAIL = 'robin.notify@gmail.com';
const page: SenderInfo = { kind: 'page', tabId: null, url: 'chrome-extension://x/options.html' };
const gmailTab: SenderInfo = { kind: 'gmail', tabId: 4, url: 'https://mail.google.com/mail/u/0/' };

const link = (notifications?: NotificationSettings): Link => ({
  link_id: 'lnk_1',
  gmail: GMAIL,
  status: 'active',
  tiktok: {
    open_id: 'o1',
    username: 'robin.creates',
    display_name: 'Robin',
    avatar_url: 'https://example.com/a.png',
    account_type: 'business',
  },
  scopes: [],
  capabilities: { messages: true, comments: true, follow: false },
  ...(notifications && { notifications }),
  linked_at: '2026-12-01T00:00:00.000Z',
  updated_at: '2026-12-01T00:00:00.000Z',
});

/** The service: its discovery answer, the link as it holds it, the calls it got. */
const service = {
  info: serviceInfo(['notify@mail.example.com']) as ServiceInfo,
  link: link(),
  calls: [] as string[],
  down: false,
};

const envelope = (data: unknown, status = 200, code = 'ok') =>
  new Response(JSON.stringify({ data, error: { code, message: code === 'ok' ? '' : 'Refused.', log_id: 'l1' } }), {
    status,
    headers: { 'content-type': 'application/json' },
  });

async function fakeService(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(String(input));
  const method = init?.method ?? 'GET';
  service.calls.push(`${method} ${url.pathname} ${init?.body ?? ''}`.trim());
  if (service.down) throw new TypeError('Failed to fetch');
  if (url.origin !== SERVICE_URL) return envelope(null, 404, 'not_found');
  if (url.pathname === '/v1/service') return envelope(service.info);
  if (url.pathname === '/v1/links/lnk_1' && method === 'GET') return envelope(service.link);
  if (url.pathname === '/v1/links/lnk_1/notifications' && method === 'PATCH') {
    if (!service.link.notifications) return envelope(null, 501, 'not_supported');
    service.link = {
      ...service.link,
      notifications: { ...service.link.notifications, ...JSON.parse(String(init!.body)) },
    };
    return envelope(service.link);
  }
  return envelope(null, 404, 'not_found');
}

beforeEach(async () => {
  fakeBrowser.reset();
  memory.clear();
  vi.stubGlobal('fetch', vi.fn(fakeService));
  service.info = serviceInfo(['notify@mail.example.com', 'noreply@gmail.com', '@tiktok.com']);
  service.link = link({ messages: true, comments: true, mentions: false, followers: false, ads: false });
  service.calls = [];
  service.down = false;
  await writeSettings({ ...DEFAULT_SETTINGS, service: { mode: 'service', base_url: SERVICE_URL } });
  await saveSession(GMAIL, { token: 'sess_1', expires_at: '2099-01-01T00:00:00.000Z' });
  await saveLink(GMAIL, link({ messages: true, comments: true, mentions: false, followers: false, ads: false }));
});

describe('accepted senders for the Gmail content script', () => {
  it('only the service’s own domain’s, for that service', async () => {
    await refreshServiceInfo();
    expect((await fakeBrowser.storage.local.get(SERVICE_SENDERS_KEY))[SERVICE_SENDERS_KEY]).toEqual({
      service: SERVICE_URL,
      addresses: ['notify@mail.example.com'],
      domain: 'example.com',
    });
  });

  it('an answer that comes back after a later refresh began is not kept (a start racing a settings change)', async () => {
    let answer!: () => void;
    const held = new Promise<void>((r) => (answer = r));
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
        await held;
        return fakeService(input, init);
      }),
    );
    const first = refreshServiceInfo(); // asks the service; its answer is held
    await new Promise((r) => setTimeout(r, 10));
    await writeSettings({ ...DEFAULT_SETTINGS }); // then the sandbox is chosen
    await refreshServiceInfo();
    answer();
    await first;
    expect(await fakeBrowser.storage.local.get(SERVICE_SENDERS_KEY)).toEqual({});
  });

  it('the sandbox vouches for nobody: what another service was given goes', async () => {
    await refreshServiceInfo();
    await writeSettings({ ...DEFAULT_SETTINGS });
    await refreshServiceInfo();
    expect(await fakeBrowser.storage.local.get(SERVICE_SENDERS_KEY)).toEqual({});
  });
});

describe('emailed kinds per linked account', () => {
  it('read fresh from the service (an unsubscribe there shows here) with reply by email', async () => {
    service.link = link({ messages: false, comments: true, mentions: false, followers: false, ads: false });
    const r = await dispatch('emailNotifications', {}, page, handlers);
    expect(r).toEqual({
      ok: true,
      data: {
        reply_by_email: true,
        accounts: [
          {
            gmail: GMAIL,
            username: 'robin.creates',
            status: 'active',
            notifications: { messages: false, comments: true, mentions: false, followers: false, ads: false },
            stale: false,
          },
        ],
      },
    });
  });

  it('the last known choice, marked stale, when the service cannot be reached', async () => {
    await refreshServiceInfo();
    service.down = true;
    const r = await dispatch('emailNotifications', {}, page, handlers);
    expect(r.ok && r.data.accounts).toEqual([
      expect.objectContaining({ notifications: expect.objectContaining({ messages: true }), stale: true }),
    ]);
  });

  it('a service that emails nothing: no kinds for the account', async () => {
    service.link = link();
    const r = await dispatch('emailNotifications', {}, page, handlers);
    expect(r.ok && r.data.accounts[0]!.notifications).toBeNull();
  });

  it('one kind changed with a partial PATCH; the whole link comes back and is kept', async () => {
    const r = await dispatch(
      'emailNotificationsSet',
      { gmail: ` ${GMAIL.toUpperCase()} `, changes: { followers: true } },
      page,
      handlers,
    );
    expect(r).toEqual({
      ok: true,
      data: expect.objectContaining({
        gmail: GMAIL,
        notifications: { messages: true, comments: true, mentions: false, followers: true, ads: false },
      }),
    });
    expect(service.calls).toContain('PATCH /v1/links/lnk_1/notifications {"followers":true}');
  });

  it('the service’s refusal is the answer, nothing is changed here', async () => {
    service.link = link();
    const r = await dispatch('emailNotificationsSet', { gmail: GMAIL, changes: { messages: false } }, page, handlers);
    expect(r).toMatchObject({ ok: false, error: { code: 'not_supported' } });
  });

  it.each([
    ['empty', {}],
    ['an unknown kind', { likes: true }],
    ['not a boolean', { messages: 'no' }],
  ])('a change that is %s is refused before the service is called', async (_what, changes) => {
    const r = await dispatch('emailNotificationsSet', { gmail: GMAIL, changes }, page, handlers);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_message' } });
    expect(service.calls.filter((c) => c.startsWith('PATCH'))).toEqual([]);
  });

  it.each(['emailNotifications', 'emailNotificationsSet'] as const)(
    '%s: Gmail tabs and composer frames may not ask',
    async (name) => {
      const data = name === 'emailNotifications' ? {} : { gmail: GMAIL, changes: { messages: false } };
      for (const sender of [gmailTab, { ...gmailTab, kind: 'frame' as const, frameId: 3 }, null]) {
        expect(await dispatch(name, data, sender, handlers)).toMatchObject({
          ok: false,
          error: { code: 'forbidden_sender' },
        });
      }
      expect(service.calls.filter((c) => c.startsWith('PATCH'))).toEqual([]);
    },
  );

  it('an address that is not linked: not_linked', async () => {
    const r = await dispatch(
      'emailNotificationsSet',
      { gmail: 'someone.else@gmail.com', changes: { messages: false } },
      page,
      handlers,
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'not_linked' } });
  });
});
