/**
 * The HTTP client of the service API (../shared/service-api.md): one typed method per endpoint, envelope parsing with
 * the zod schemas, typed `AppError`s, timeouts, retries of 429/5xx/network failures with exponential backoff and full
 * jitter (honouring `retry_after_s` / `Retry-After`), and an `Idempotency-Key` on every state-changing call that is
 * the same on every retry.
 */
import { z } from 'zod';
import { AppError } from './errors';
import {
  Advertiser,
  AnyEnvelope,
  Authorization,
  AuthorizationStatus,
  Comment,
  Conversation,
  CreateAuthorizationBody,
  EventsPage,
  FollowResult,
  FollowStatus,
  Link,
  LinkVerifyResult,
  listOf,
  Message,
  type NotificationSettings,
  OAuthStartResult,
  Permission,
  SendMessageResult,
  SERVICE_INFO_V1,
  ServiceInfo,
  Verification,
} from './schemas';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ServiceClientOptions {
  baseUrl: string;
  fetch?: FetchLike;
  /** The session token (`Authorization: Bearer`). */
  token?: string | null;
  /** Per attempt; a timeout counts as a network failure. Default 15 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  maxRetries?: number;
  /** A `retry_after_s` longer than this is not waited for: the error goes to the caller at once. Default 10 s. */
  maxRetryAfterS?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface ListQuery {
  cursor?: string;
  limit?: number;
}
export type Page<T> = { items: T[]; cursor: string | null; has_more: boolean };

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | undefined | null>;

interface CallOptions {
  body?: unknown;
  query?: Query;
  idempotencyKey?: string;
}

export const BACKOFF_BASE_MS = 300;
export const BACKOFF_MAX_MS = 8_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const newKey = () => crypto.randomUUID();
const seg = encodeURIComponent;

/** Full-jitter exponential backoff: a random delay in [0, min(max, base·2^attempt)). */
export function backoffDelay(attempt: number, random: () => number): number {
  return Math.floor(random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt));
}

/** 429 and 5xx are retried, except 501 `not_supported` (this deployment cannot do it; retrying changes nothing). */
const isRetryableStatus = (status: number) => status === 429 || (status >= 500 && status !== 501);

function retryAfterHeader(res: Response): number | undefined {
  const raw = res.headers.get('retry-after');
  if (!raw) return undefined;
  const secs = Number(raw);
  if (Number.isFinite(secs) && secs >= 0) return secs;
  const at = Date.parse(raw);
  return Number.isFinite(at) ? Math.max(0, (at - Date.now()) / 1000) : undefined;
}

/** One attempt's outcome: data, or an error with whether it may be retried. */
type Attempt<T> = { ok: true; data: T } | { ok: false; error: AppError; retry: boolean; network: boolean };

/** How one attempt reaches the service. */
interface Transport {
  baseUrl: string;
  doFetch: FetchLike;
  timeoutMs: number;
}

/** One request and its answer within the timeout; a network failure or timeout is `unreachable` and retryable. */
async function attempt<T>(
  tr: Transport,
  schema: z.ZodType<T>,
  method: Method,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<Attempt<T>> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${tr.timeoutMs} ms`));
    }, tr.timeoutMs);
  });
  let res: Response;
  let text: string;
  try {
    // The race also covers a `fetch` (like the embedded sandbox) that ignores the abort signal.
    res = await Promise.race([tr.doFetch(url, { method, headers, body, signal: controller.signal }), timeout]);
    text = await Promise.race([res.text(), timeout]);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      network: true,
      retry: true,
      error: new AppError('unreachable', `Could not reach the service at ${tr.baseUrl} (${reason}).`),
    };
  } finally {
    clearTimeout(timer);
  }
  return readAnswer(schema, method, url, res, text);
}

/** The service's answer read as the API's envelope: its data checked against `schema`, or the error it carries. */
function readAnswer<T>(schema: z.ZodType<T>, method: Method, url: string, res: Response, text: string): Attempt<T> {
  const retryable = isRetryableStatus(res.status);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {
      ok: false,
      network: false,
      retry: retryable,
      error: new AppError(
        retryable ? 'upstream_error' : 'bad_response',
        `The service answered ${method} ${url} with HTTP ${res.status} and a body that is not JSON.`,
        { status: res.status },
      ),
    };
  }
  const env = AnyEnvelope.safeParse(json);
  if (!env.success) {
    return {
      ok: false,
      network: false,
      retry: retryable,
      error: new AppError(
        retryable ? 'upstream_error' : 'bad_response',
        `The service answered ${method} ${url} with HTTP ${res.status} and no valid envelope.`,
        { status: res.status },
      ),
    };
  }
  const { error } = env.data;
  if (error.code !== 'ok' || !res.ok) {
    const retry_after_s = error.retry_after_s ?? retryAfterHeader(res);
    const appError = new AppError(
      error.code === 'ok' ? 'bad_response' : error.code,
      error.message || `The service refused ${method} ${url} (HTTP ${res.status}).`,
      {
        status: res.status,
        ...(retry_after_s !== undefined && { retry_after_s }),
        ...(error.details !== undefined && { details: error.details }),
        log_id: error.log_id,
      },
    );
    return { ok: false, network: false, retry: retryable && error.code !== 'not_supported', error: appError };
  }
  const data = schema.safeParse(env.data.data);
  if (!data.success) {
    const issue = data.error.issues[0];
    return {
      ok: false,
      network: false,
      retry: false,
      error: new AppError(
        'bad_response',
        `The service's answer to ${method} ${url} breaks the API schema at ${issue?.path.join('.') || 'data'}: ${issue?.message ?? ''}`.trim(),
        {
          status: res.status,
          log_id: error.log_id,
        },
      ),
    };
  }
  return { ok: true, data: data.data };
}

/** One endpoint call: parsed data, or the `AppError` left after the retries. */
type Call = <T>(schema: z.ZodType<T>, method: Method, path: string, co?: CallOptions) => Promise<T>;

const list = <T extends z.ZodType>(item: T) => listOf(item) as unknown as z.ZodType<Page<z.output<T>>>;
const links = (linkId: string) => `/v1/links/${seg(linkId)}`;
const auths = (id: string) => `/v1/ads/authorizations/${seg(id)}`;

export function createServiceClient(opts: ServiceClientOptions) {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const transport: Transport = {
    baseUrl,
    doFetch: opts.fetch ?? ((input, init) => fetch(input, init)),
    timeoutMs: opts.timeoutMs ?? 15_000,
  };
  const maxRetries = opts.maxRetries ?? 3;
  const maxRetryAfterS = opts.maxRetryAfterS ?? 10;
  const sleep = opts.sleep ?? defaultSleep;
  const random = opts.random ?? Math.random;

  const call: Call = async (schema, method, path, co = {}) => {
    const url = new URL(baseUrl + path);
    for (const [k, v] of Object.entries(co.query ?? {}))
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (method !== 'GET') headers['idempotency-key'] = co.idempotencyKey ?? newKey(); // one key for every retry
    let body: string | undefined;
    if (co.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(co.body);
    }

    for (let n = 0; ; n++) {
      const out = await attempt(transport, schema, method, url.toString(), headers, body);
      if (out.ok) return out.data;
      const waitS = out.error.extra.retry_after_s;
      const canRetry = out.retry && n < maxRetries && (waitS === undefined || waitS <= maxRetryAfterS);
      if (!canRetry) throw out.error;
      await sleep(Math.max(backoffDelay(n, random), waitS !== undefined ? Math.ceil(waitS * 1000) : 0));
    }
  };

  return {
    baseUrl,
    /** The same client with another session token. */
    withToken: (token: string | null) => createServiceClient({ ...opts, token }),

    /** 1.1 discovery; a 1.0 server (no such endpoint) reads as `SERVICE_INFO_V1`. */
    service: async (): Promise<ServiceInfo> => {
      try {
        return await call(ServiceInfo, 'GET', '/v1/service');
      } catch (e) {
        // A 1.0 server has no such route: whatever its 404 (or 405) looks like (an envelope, HTML, nothing), it is 1.0.
        if (e instanceof AppError && (e.code === 'not_found' || e.extra.status === 404 || e.extra.status === 405))
          return SERVICE_INFO_V1;
        throw e;
      }
    },
    ...linkingEndpoints(call),
    ...activityEndpoints(call),
    ...adsEndpoints(call),
  };
}

/** 1. Linking */
const linkingEndpoints = (call: Call) => ({
  linkStart: (email: string, key?: string) =>
    call(Verification, 'POST', '/v1/link/start', { body: { email }, idempotencyKey: key }),
  linkResend: (verification_id: string, key?: string) =>
    call(Verification, 'POST', '/v1/link/resend', { body: { verification_id }, idempotencyKey: key }),
  linkVerify: (verification_id: string, code: string, key?: string) =>
    call(LinkVerifyResult, 'POST', '/v1/link/verify', { body: { verification_id, code }, idempotencyKey: key }),
  oauthStart: (redirect_uri: string, key?: string) =>
    call(OAuthStartResult, 'POST', '/v1/tiktok/oauth/start', { body: { redirect_uri }, idempotencyKey: key }),
  oauthComplete: (state: string, callback_url: string, key?: string) =>
    call(Link, 'POST', '/v1/tiktok/oauth/complete', { body: { state, callback_url }, idempotencyKey: key }),
  listLinks: (q: ListQuery = {}) => call(list(Link), 'GET', '/v1/links', { query: { ...q } }),
  getLink: (linkId: string) => call(Link, 'GET', links(linkId)),
  deleteLink: (linkId: string, key?: string) => call(Link, 'DELETE', links(linkId), { idempotencyKey: key }),
  /** Our 1.1 addition: which kinds of activity the service emails (only the kinds given change); answers the whole Link. */
  setLinkNotifications: (linkId: string, partial: Partial<NotificationSettings>, key?: string) =>
    call(Link, 'PATCH', `${links(linkId)}/notifications`, { body: partial, idempotencyKey: key }),
});

/** 2. Activity */
const activityEndpoints = (call: Call) => ({
  listConversations: (linkId: string, username?: string, q: ListQuery = {}) =>
    call(list(Conversation), 'GET', `${links(linkId)}/conversations`, { query: { username, ...q } }),
  listMessages: (linkId: string, conversationId: string, q: ListQuery = {}) =>
    call(list(Message), 'GET', `${links(linkId)}/conversations/${seg(conversationId)}/messages`, { query: { ...q } }),
  sendMessage: (linkId: string, conversationId: string, body: { text: string }, key?: string) =>
    call(SendMessageResult, 'POST', `${links(linkId)}/conversations/${seg(conversationId)}/messages`, {
      body,
      idempotencyKey: key,
    }),
  listComments: (linkId: string, q: { username?: string; video_id?: string } & ListQuery = {}) =>
    call(list(Comment), 'GET', `${links(linkId)}/comments`, { query: { ...q } }),
  replyComment: (linkId: string, commentId: string, body: { text: string }, key?: string) =>
    call(Comment, 'POST', `${links(linkId)}/comments/${seg(commentId)}/replies`, { body, idempotencyKey: key }),
  follow: (linkId: string, body: { username: string }, key?: string) =>
    call(FollowResult, 'POST', `${links(linkId)}/follows`, { body, idempotencyKey: key }),
  followStatus: (linkId: string, username: string) =>
    call(FollowStatus, 'GET', `${links(linkId)}/follows/${seg(username)}`),
  events: (cursor?: string | null, limit?: number) =>
    call(EventsPage, 'GET', '/v1/events', { query: { cursor, limit } }),
});

/** 3. Ads Manager */
const adsEndpoints = (call: Call) => ({
  advertisers: (q: ListQuery = {}) => call(list(Advertiser), 'GET', '/v1/ads/advertisers', { query: { ...q } }),
  createAuthorization: (body: z.input<typeof CreateAuthorizationBody>, key?: string) =>
    call(Authorization, 'POST', '/v1/ads/authorizations', { body, idempotencyKey: key }),
  listAuthorizations: (q: { advertiser_id?: string; status?: AuthorizationStatus } & ListQuery = {}) =>
    call(list(Authorization), 'GET', '/v1/ads/authorizations', { query: { ...q } }),
  getAuthorization: (id: string) => call(Authorization, 'GET', auths(id)),
  patchAuthorization: (id: string, permissions: Permission[], key?: string) =>
    call(Authorization, 'PATCH', auths(id), { body: { permissions }, idempotencyKey: key }),
  resendAuthorization: (id: string, key?: string) =>
    call(Authorization, 'POST', `${auths(id)}/resend`, { idempotencyKey: key }),
  deleteAuthorization: (id: string, key?: string) => call(Authorization, 'DELETE', auths(id), { idempotencyKey: key }),
  listRequests: (q: { status?: AuthorizationStatus } & ListQuery = {}) =>
    call(list(Authorization), 'GET', '/v1/ads/requests', { query: { ...q } }),
  approveRequest: (id: string, permissions: Permission[], key?: string) =>
    call(Authorization, 'POST', `/v1/ads/requests/${seg(id)}/approve`, { body: { permissions }, idempotencyKey: key }),
  rejectRequest: (id: string, key?: string) =>
    call(Authorization, 'POST', `/v1/ads/requests/${seg(id)}/reject`, { idempotencyKey: key }),
});

export type ServiceClient = ReturnType<typeof createServiceClient>;

/** Every item of a cursor-paged list: `listAll((cursor) => client.listLinks({ cursor, limit: 100 }))`. */
export async function listAll<T>(page: (cursor: string | undefined) => Promise<Page<T>>, maxPages = 50): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const p = await page(cursor);
    out.push(...p.items);
    if (!p.has_more || !p.cursor) break;
    cursor = p.cursor;
  }
  return out;
}
