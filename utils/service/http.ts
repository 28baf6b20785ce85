/**
 * The one HTTP layer of the service, used by every transport (the embedded sandbox's `handle`, the loopback server,
 * the real server's hono app): routing, the `{ data, error }` envelope, error code → HTTP status, `Retry-After`,
 * bearer sessions (the token is read here, checked by the rules), and `Idempotency-Key` replay: the same key (per
 * session) with the same request answers the first result for 24 h with `Idempotent-Replayed: true`, a different
 * request with that key is `invalid_params`; 401, 429 and 5xx answers are not kept, so a retry acts (a 401 asks
 * for a sign-in first — `reauth_required`, `access_token_invalid` — and the retry after it must act, not replay the
 * refusal: a reply whose send may have reached TikTok is then looked for, outbox.ts). The key is claimed
 * before the request runs (`idempotency.claim`, atomic in every store), so a second request with it that arrives
 * while the first still runs — a client's retry racing its first try, two tabs, two server instances — waits for
 * the first's answer and replays it, and never acts twice; after `IDEMPOTENCY_WAIT_MS` it is told to retry (429).
 */
import { ERROR_HTTP_STATUS } from '../api/schemas';
import { type Ctx, iso, type Ports, type Route } from './context';
import { invalidField, ServiceError } from './errors';
import type { IdempotencyRecord, Millis } from './ports';

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** A request that holds its key longer than this died (a crash mid-request): another may take the key over. */
export const IDEMPOTENCY_LEASE_MS = 60_000;
/** How long a second request with a running key waits for the first's answer (under the client's 15 s per attempt, so it hears the 429). */
export const IDEMPOTENCY_WAIT_MS = 10_000;
const RUNNING = 0;
const MUTATING = new Set(['POST', 'PATCH', 'DELETE', 'PUT']);

export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export const logId = (ports: Pick<Ports, 'random'>, now: Millis) =>
  `${iso(now)
    .replace(/[-:TZ.]/g, '')
    .slice(0, 14)}${ports.random.hex(9).toUpperCase()}`;

export function okReply(ports: Pick<Ports, 'random'>, now: Millis, data: unknown): Reply {
  return {
    status: 200,
    headers: {},
    body: JSON.stringify({ data, error: { code: 'ok', message: '', log_id: logId(ports, now) } }),
  };
}

export function errorReply(ports: Pick<Ports, 'random'>, now: Millis, e: ServiceError): Reply {
  const headers: Record<string, string> = {};
  if (e.extra.retry_after_s !== undefined) headers['retry-after'] = String(Math.ceil(e.extra.retry_after_s));
  const error = { code: e.code, message: e.message, log_id: logId(ports, now), ...e.extra };
  return { status: ERROR_HTTP_STATUS[e.code], headers, body: JSON.stringify({ data: null, error }) };
}

export const toResponse = (r: Reply) =>
  new Response(r.body, {
    status: r.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...r.headers },
  });

export interface HttpLayer {
  handle(req: Request): Promise<Response>;
}

/** The route for `method` on `path` and its decoded parameters; `invalid_params` for a known path with another method, else `not_found`. */
function findRoute(routes: Route[], method: string, path: string): { route: Route; params: string[] } {
  const found = routes.find((r) => r.method === method && r.pattern.test(path));
  if (found)
    return {
      route: found,
      params: found.pattern
        .exec(path)!
        .slice(1)
        .map((p) => decodeURIComponent(p)),
    };
  const known = routes.some((r) => r.pattern.test(path));
  if (known) throw invalidField('path', `${method} is not allowed on ${path}.`);
  throw new ServiceError('not_found', `No such endpoint: ${path}.`, { details: { field: 'path' } });
}

/** A failure as the client reads it: a refusal as is; anything else heard by `onUnexpected` and told as retryable. */
function failureReply(
  ports: Ports,
  now: Millis,
  e: unknown,
  req: Request,
  onUnexpected: (e: unknown, req: Request) => void,
): Reply {
  if (e instanceof ServiceError) return errorReply(ports, now, e);
  onUnexpected(e, req);
  return errorReply(
    ports,
    now,
    new ServiceError(
      'internal_error',
      'The service failed unexpectedly. It is safe to retry with the same Idempotency-Key.',
    ),
  );
}

/** Claims the key (null: this request runs), or the first request's record once it has answered (or still running after the wait). */
async function claimOrFirst(ports: Ports, rec: IdempotencyRecord): Promise<IdempotencyRecord | null> {
  const until = Date.now() + IDEMPOTENCY_WAIT_MS;
  for (let pause = 20; ; pause = Math.min(pause * 2, 250)) {
    const now = ports.clock.now();
    const seen = await ports.store.idempotency.claim(rec, {
      staleBefore: now - IDEMPOTENCY_LEASE_MS,
      expiredBefore: now - IDEMPOTENCY_TTL_MS,
    });
    if (!seen || seen.status !== RUNNING || seen.fingerprint !== rec.fingerprint || Date.now() >= until) return seen;
    await new Promise((r) => setTimeout(r, pause));
  }
}

/** The answer to a request whose key was claimed first by `first`: refused (another request, or still running) or replayed. */
function answerOfFirst(ports: Ports, now: Millis, first: IdempotencyRecord, fingerprint: string): Reply {
  if (first.fingerprint !== fingerprint)
    return errorReply(
      ports,
      now,
      invalidField('Idempotency-Key', 'This Idempotency-Key was already used with a different request.'),
    );
  if (first.status === RUNNING) {
    const busy = new ServiceError(
      'rate_limit_exceeded',
      'The first request with this Idempotency-Key is still running. Retry in a moment with the same key.',
      { retry_after_s: 1 },
    );
    return errorReply(ports, now, busy);
  }
  return { status: first.status, body: first.body, headers: { ...first.headers, 'idempotent-replayed': 'true' } };
}

/** Is this answer replayed to the key's later requests? Not a 401 (sign in first), 429 (later) or 5xx (failed). */
const kept = (status: number) => status < 500 && status !== 429 && status !== 401;

/** Keeps the reply under its key for replays (and prunes expired ones), or releases the key so a retry acts. */
async function keepOrRelease(
  ports: Ports,
  scope: string,
  fingerprint: string,
  reply: Reply,
  now: Millis,
): Promise<void> {
  if (kept(reply.status)) {
    await ports.store.idempotency.put({
      scope,
      fingerprint,
      status: reply.status,
      body: reply.body,
      headers: reply.headers,
      at: now,
    });
    await ports.store.idempotency.prune(now - IDEMPOTENCY_TTL_MS);
  } else {
    await ports.store.idempotency.release(scope);
  }
}

/**
 * The HTTP layer over a route table; `before` runs before every routed call (e.g. expiring due Ads requests);
 * `onUnexpected` hears every failure that is not a refusal (the client only reads that it may retry).
 */
export function createHttpLayer(
  ports: Ports,
  routes: Route[],
  before: (now: Millis) => Promise<void>,
  onUnexpected: (e: unknown, req: Request) => void,
): HttpLayer {
  async function run(req: Request, url: URL, bodyText: string, now: Millis): Promise<Reply> {
    try {
      const body = parseJsonBody(bodyText);
      await before(now);
      const { route, params } = findRoute(routes, req.method, url.pathname);
      const ctx: Ctx = {
        ...ports,
        now,
        method: req.method,
        url,
        body,
        token: bearer(req),
        idempotencyKey: req.headers.get('idempotency-key'),
        params,
      };
      return okReply(ports, now, await route.run(ctx));
    } catch (e) {
      return failureReply(ports, now, e, req, onUnexpected);
    }
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const bodyText = req.method === 'GET' || req.method === 'HEAD' ? '' : await req.text();
    const now = ports.clock.now();
    const key = req.headers.get('idempotency-key');
    if (!key || !MUTATING.has(req.method)) return toResponse(await run(req, url, bodyText, now));

    const scope = `${req.headers.get('authorization') ?? ''}|${key}`;
    const fingerprint = `${req.method} ${url.pathname}${url.search} ${bodyText}`;
    const first = await claimOrFirst(ports, { scope, fingerprint, status: RUNNING, body: '', headers: {}, at: now });
    if (first) return toResponse(answerOfFirst(ports, now, first, fingerprint));
    const reply = await run(req, url, bodyText, now);
    await keepOrRelease(ports, scope, fingerprint, reply, now);
    return toResponse(reply);
  }

  return { handle };
}

/** The request body as JSON (undefined when empty), or `invalid_params` (`details.field = 'body'`). */
export function parseJsonBody(text: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw invalidField('body', 'The request body is not JSON.');
  }
}

/** The bearer token of the request, if any. */
export const bearer = (req: Request) =>
  req.headers
    .get('authorization')
    ?.match(/^Bearer\s+(.+)$/i)?.[1]
    ?.trim() ?? null;
