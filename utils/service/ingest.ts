/**
 * What TikTok tells the service about a linked account (the server's webhooks, the simulated TikTok's activity):
 * each becomes an event on the account's active link (if it has one) and counts as unread. Follower and like
 * activity may come as a count without names (real TikTok), which the event says as `ref.count`.
 */
import type { Ports } from './context';
import { decide, requestedFromOutside } from './ads';
import { ServiceError } from './errors';
import { addEvent, eventView, type EventView } from './events';
import { addLinkEvent } from './links';
import type { EventRecord, LinkRecord } from './ports';
import type { Ingest } from './index';

type Env = Pick<Ports, 'store' | 'tiktok' | 'random' | 'clock'>;

async function activeLink(env: Env, open_id: string): Promise<LinkRecord | null> {
  return (await env.store.links.find({ open_id, status: 'active' }))[0] ?? null;
}

async function emit(
  env: Env,
  link: LinkRecord | null,
  type: EventRecord['type'],
  summary: string,
  ref: EventRecord['ref'],
): Promise<EventView | null> {
  if (!link) return null;
  return eventView(await addEvent(env, env.store, { type, link_id: link.link_id, gmail: link.gmail, summary, ref }));
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function createIngest(env: Env): Ingest {
  return {
    async messageReceived({ open_id, conversation_id, username }) {
      await env.store.unread.add(open_id, 'messages', conversation_id, 1);
      return emit(env, await activeLink(env, open_id), 'message.received', `@${username} sent you a message`, {
        conversation_id,
        username,
      });
    },
    async commentReceived({ open_id, comment_id, username, mention }) {
      await env.store.unread.add(open_id, 'comments', comment_id, 1);
      const summary = mention ? `@${username} mentioned you in a comment` : `@${username} commented on your video`;
      return emit(env, await activeLink(env, open_id), 'comment.received', summary, { comment_id, username });
    },
    async followerNew({ open_id, username, count }) {
      if (username) {
        await env.store.unread.clear(open_id, 'followers', username);
        await env.store.unread.add(open_id, 'followers', username, 1);
        return emit(env, await activeLink(env, open_id), 'follower.new', `@${username} started following you`, {
          username,
        });
      }
      const n = count ?? 1;
      await env.store.unread.add(open_id, 'followers', `count:${env.clock.now()}`, n);
      return emit(
        env,
        await activeLink(env, open_id),
        'follower.new',
        `${plural(n, 'new follower', 'new followers')}`,
        { count: n },
      );
    },
    async likeReceived({ open_id, username, count }) {
      const link = await activeLink(env, open_id);
      if (username) return emit(env, link, 'like.received', `@${username} liked your video`, { username });
      const n = count ?? 1;
      return emit(env, link, 'like.received', `${plural(n, 'new like', 'new likes')} on your videos`, { count: n });
    },
    async grantRevoked({ open_id }) {
      const link = (await env.store.links.find({ open_id })).find((l) => l.status === 'active');
      if (!link) return null;
      const next: LinkRecord = { ...link, status: 'reauth_required', updated_at: env.clock.now() };
      await env.store.links.put(next);
      return eventView(await addLinkEvent(env, env.store, next));
    },
    async authorizationDecided({ authorization_id, decision, permissions }) {
      const a = await env.store.authorizations.get(authorization_id);
      if (!a) throw new ServiceError('not_found', 'Unknown authorization.', { details: { field: 'authorization_id' } });
      return decide(env, a.requested_by ?? '', a, decision, permissions);
    },
    authorizationRequested: (r) => requestedFromOutside(env, r),
  };
}
