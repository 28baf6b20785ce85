// @vitest-environment node
/**
 * The client reads both versions of the service API: a 1.0 server (no `GET /v1/service`, links without `follow` or
 * `reasons`, no `invite_url`, no `ref.count`) and a 1.1 one; `not_supported` (501) is handed to the caller at once,
 * with its reason and fallback, never retried.
 */
import { describe, expect, it } from 'vitest';
import { createServiceClient, type FetchLike } from '@/utils/api/client';
import { AppError } from '@/utils/api/errors';
import { SERVICE_INFO_V1 } from '@/utils/api/schemas';

const BASE = 'https://service.example';
const ok = (data: unknown) =>
  new Response(JSON.stringify({ data, error: { code: 'ok', message: '', log_id: 'L1' } }), { status: 200 });
const err = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  new Response(JSON.stringify({ data: null, error: { code, message: `refused: ${code}`, log_id: 'L2', ...extra } }), {
    status,
  });

function serving(answer: (path: string) => Response) {
  let calls = 0;
  const fetch: FetchLike = async (input) => {
    calls++;
    return answer(new URL(input).pathname);
  };
  return {
    client: createServiceClient({ baseUrl: BASE, fetch, token: 'sess_x', maxRetries: 3, sleep: async () => undefined }),
    calls: () => calls,
  };
}

const LINK_V1 = {
  link_id: 'lnk_1',
  gmail: 'a@gmail.com',
  status: 'active',
  tiktok: {
    open_id: 'o1',
    username: 'alex.rivera',
    display_name: 'Alex',
    avatar_url: 'https://p16.example/a.jpeg',
    account_type: 'personal',
  },
  scopes: ['user.info.basic'],
  capabilities: {
    messages: false,
    comments: true,
    reason: 'Access to direct messages was not allowed when you signed in to TikTok.',
  },
  linked_at: '2026-11-30T10:00:00.000Z',
  updated_at: '2026-11-30T10:00:00.000Z',
};

describe('service API versions', () => {
  it('reads a 1.0 server: no /v1/service (a 404 envelope or a bare 404 page) means everything on, no senders', async () => {
    expect(await serving(() => err(404, 'not_found')).client.service()).toEqual(SERVICE_INFO_V1);
    expect(await serving(() => new Response('<h1>Not Found</h1>', { status: 404 })).client.service()).toEqual(
      SERVICE_INFO_V1,
    );
  });

  it('reads 1.0 links, events and authorizations, and their 1.1 additions', async () => {
    const { client } = serving((path) =>
      path === '/v1/links/lnk_1'
        ? ok(LINK_V1)
        : path === '/v1/links/lnk_2'
          ? ok({
              ...LINK_V1,
              link_id: 'lnk_2',
              capabilities: {
                messages: false,
                comments: true,
                follow: false,
                reasons: { messages: 'Business Accounts only.', follow: 'TikTok has no follow API.' },
              },
            })
          : ok({
              items: [
                {
                  event_id: 'e1',
                  type: 'follower.new',
                  link_id: 'lnk_1',
                  at: '2026-11-30T10:00:00.000Z',
                  summary: '3 new followers',
                  ref: { count: 3 },
                },
              ],
              cursor: '1',
              has_more: false,
              unread: { messages: 0, comments: 0, followers: 3, ads: 0 },
            }),
    );
    expect((await client.getLink('lnk_1')).capabilities).toEqual(LINK_V1.capabilities);
    expect((await client.getLink('lnk_2')).capabilities).toMatchObject({
      follow: false,
      reasons: { follow: 'TikTok has no follow API.' },
    });
    expect((await client.events()).items[0]!.ref).toEqual({ count: 3 });
  });

  it('reads a 1.1 service description', async () => {
    const info = {
      name: 'Real',
      api_version: '1.1',
      tiktok: 'tiktok',
      features: { follow: false, ads: false, ads_approve_in_api: false, reply_by_email: true },
      notification_senders: ['notify@example.com'],
      reply_domain: 'reply.example.com',
    };
    expect(await serving(() => ok(info)).client.service()).toEqual(info);
  });

  it('hands not_supported to the caller at once, with its reason and fallback, never retried', async () => {
    const details = {
      reason: 'TikTok does not let apps follow accounts.',
      fallback_url: 'https://www.tiktok.com/@maya.creates',
    };
    const s = serving(() => err(501, 'not_supported', { details }));
    const e = await s.client.follow('lnk_1', { username: 'maya.creates' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'not_supported', extra: { status: 501, details } });
    expect(s.calls()).toBe(1);
  });
});
