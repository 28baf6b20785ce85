/**
 * The service core's entry point: `createService(ports)` gives the whole service API of
 * ../shared/service-api.md (1.1) as one `handle(Request) → Response`, plus what TikTok tells the service
 * (`ingest`: webhooks on the server, the simulated TikTok's activity in the sandbox) and the outbox worker
 * (`resumeSends`). Every transport (embedded, loopback, the server's hono app) calls `handle`.
 */
import type { Clock, Mailer, Random, Store, TikTok } from './ports';

export * from './ports';

export interface ServicePorts {
  store: Store;
  tiktok: TikTok;
  mailer: Mailer;
  clock: Clock;
  random: Random;
  /** `GET /v1/service`: the deployment's name, its notification senders and reply domain. */
  about?: { name?: string; notification_senders?: string[]; reply_domain?: string | null; reply_by_email?: boolean };
}

/** What TikTok tells the service about a linked account (by its `open_id`): each makes an event and counts as unread. */
export interface Ingest {
  messageReceived(a: { open_id: string; conversation_id: string; username: string }): Promise<void>;
  commentReceived(a: { open_id: string; comment_id: string; username: string; mention?: boolean }): Promise<void>;
  /** A named follower, or (real TikTok) a count without names. */
  followerNew(a: { open_id: string; username?: string; count?: number }): Promise<void>;
  likeReceived(a: { open_id: string; username?: string; count?: number }): Promise<void>;
  /** The user removed the app in TikTok (or TikTok refused the grant): the link needs a new sign-in. */
  grantRevoked(a: { open_id: string }): Promise<void>;
  /** The owner decided an Ads request in TikTok (status read from TikTok, or the sandbox's owner control). */
  authorizationDecided(a: { authorization_id: string; decision: 'approve' | 'reject'; permissions?: string[] }): Promise<unknown>;
  /** An advertiser outside the service asked the account's owner for authorization. */
  authorizationRequested(a: { advertiser_id: string; username: string; permissions: string[] }): Promise<unknown>;
}

export interface Service {
  /** The service API over HTTP semantics: routing, envelope, errors → status, `Retry-After`, bearer sessions, `Idempotency-Key` replay. */
  handle(req: Request): Promise<Response>;
  ingest: Ingest;
  /** Sends left `pending` or whose lease ran out (a crash mid-send): looked for at TikTok, sent at most once. Returns how many were settled. */
  resumeSends(limit?: number): Promise<number>;
  /** Pending Ads requests past their 7 days become `expired` (also run before every request). */
  expireDue(): Promise<void>;
}
