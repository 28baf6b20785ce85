/**
 * The service core's entry point: `createService(ports)` gives the whole service API of
 * ../shared/service-api.md (1.1) as one `handle(Request) → Response` (http.ts), plus what TikTok tells the service
 * (`ingest`: webhooks on the server, the simulated TikTok's activity in the sandbox) and the outbox worker
 * (`resumeSends`). Every transport (embedded, loopback, the server's hono app) calls `handle`. The core imports no
 * adapter: see ports.ts for what each deployment provides, and docs/architecture.md.
 */
import { adsRoutes, expireDue } from './ads';
import { commentRoutes } from './comments';
import type { Ctx, Ports } from './context';
import { eventRoutes, type EventView } from './events';
import { followRoutes } from './follows';
import { commentFor, conversationTail, replyByEmail, type EmailReply } from './email-replies';
import { createHttpLayer } from './http';
import { createIngest } from './ingest';
import { linkRoutes } from './links';
import { messageRoutes } from './messages';
import { oauthRoutes, type RedirectCheck } from './oauth';
import { resumeSends } from './outbox';
import { serviceInfoRoutes, type About } from './service-info';
import { verificationRoutes } from './verification';
import type { Authorization } from '../api/schemas';
import type { Store } from './ports';

export * from './ports';
export type { EventView } from './events';
export type { About } from './service-info';
export type { EmailReply, EmailReplyTarget } from './email-replies';
export { changeNotifications, notificationKindOf, notificationSettings } from './notifications';

export interface ServicePorts extends Ports {
  /** `GET /v1/service`: the deployment's name, its notification senders and reply domain. */
  about?: About;
  /** The deployment's rule for the extension's sign-in redirect at `oauth/start` (the server's allow-list); default: any https URL. */
  acceptRedirect?: RedirectCheck;
  /** Hears failures that are not refusals (a bug, a database down), which the client sees only as `internal_error`; default `console.error`. */
  onUnexpected?: (e: unknown, req: Request) => void;
}

/** What TikTok tells the service about a linked account (by its `open_id`): each makes an event (returned) and counts as unread. */
export interface Ingest {
  messageReceived(a: { open_id: string; conversation_id: string; username: string }): Promise<EventView | null>;
  commentReceived(a: {
    open_id: string;
    comment_id: string;
    username: string;
    mention?: boolean;
  }): Promise<EventView | null>;
  /** A named follower, or (real TikTok) a count without names. */
  followerNew(a: { open_id: string; username?: string; count?: number }): Promise<EventView | null>;
  likeReceived(a: { open_id: string; username?: string; count?: number }): Promise<EventView | null>;
  /** The user removed the app in TikTok (or TikTok refused the grant): the link needs a new sign-in. */
  grantRevoked(a: { open_id: string }): Promise<EventView | null>;
  /** The owner decided an Ads request in TikTok (status read from TikTok, or the sandbox's owner control). */
  authorizationDecided(a: {
    authorization_id: string;
    decision: 'approve' | 'reject';
    permissions?: string[];
  }): Promise<Authorization>;
  /** An advertiser outside the service asked the account's owner for authorization. */
  authorizationRequested(a: {
    advertiser_id: string;
    username: string;
    permissions: string[];
  }): Promise<{ authorization: Authorization; event: EventView | null }>;
}

export interface Service {
  /** The service API: routing, envelope, errors → status, `Retry-After`, bearer sessions, `Idempotency-Key` replay. */
  handle(req: Request): Promise<Response>;
  ingest: Ingest;
  /** The same, written on `store` (a transaction of the deployment's, so its own writes and the events commit together). */
  ingestOn(store: Store): Ingest;
  /** Sends left `pending` or whose lease ran out (a crash mid-send): looked for at TikTok, sent at most once. Returns how many were settled. */
  resumeSends(limit?: number): Promise<number>;
  /** Pending Ads requests past their 7 days become `expired` (also run before every request). */
  expireDue(): Promise<void>;
  /** Replies by email and what notification emails show (email-replies.ts); the deployment authenticates the email first. */
  byEmail: {
    reply(r: EmailReply): Promise<unknown>;
    conversation(link_id: string, conversation_id: string, last: number): ReturnType<typeof conversationTail>;
    comment(link_id: string, comment_id: string): ReturnType<typeof commentFor>;
  };
}

export function createService(ports: ServicePorts): Service {
  const routes = [
    ...serviceInfoRoutes(ports.about ?? {}),
    ...verificationRoutes,
    ...oauthRoutes(ports.acceptRedirect),
    ...linkRoutes,
    ...messageRoutes,
    ...commentRoutes,
    ...followRoutes,
    ...eventRoutes,
    ...adsRoutes,
  ];
  const onUnexpected =
    ports.onUnexpected ??
    ((e: unknown, req: Request) => console.error(`service: ${req.method} ${new URL(req.url).pathname} failed:`, e));
  const http = createHttpLayer(ports, routes, (now) => expireDue(ports, now), onUnexpected);
  const bare = (): Ctx => ({
    ...ports,
    now: ports.clock.now(),
    method: 'POST',
    url: new URL('service:/'),
    body: undefined,
    token: null,
    idempotencyKey: null,
    params: [],
  });
  return {
    handle: http.handle,
    ingest: createIngest(ports),
    ingestOn: (store) => createIngest({ ...ports, store }),
    resumeSends: (limit) => resumeSends(bare(), limit),
    expireDue: () => expireDue(ports, ports.clock.now()),
    byEmail: {
      reply: (r) => replyByEmail(bare(), r),
      conversation: (link_id, conversation_id, last) => conversationTail(bare(), link_id, conversation_id, last),
      comment: (link_id, comment_id) => commentFor(bare(), link_id, comment_id),
    },
  };
}
