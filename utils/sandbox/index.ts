/**
 * The sandbox service: the whole service API (../shared/service-api.md) over a simulated TikTok, plus the test
 * controls under `/sandbox/`. One implementation, `handle(Request) → Response`, used embedded in the worker (pass
 * `sandbox.fetch` to the client) and behind the loopback HTTP server (http-server.ts).
 *
 * Every response (controls included) is the service envelope `{ data, error: { code, message, log_id } }`.
 * Requests run one at a time (a promise queue); with `persist`, the state is loaded before each mutating request
 * and saved after it, so the embedded sandbox survives the worker stopping.
 *
 * Faults (`POST /sandbox/faults`) apply to the next `count` /v1 calls under `path_prefix`, cycling through `kinds`:
 * `5xx` → 500 `internal_error` before acting; `502` → 502 `upstream_error` (TikTok failed) before acting; `429` → `rate_limit_exceeded` with `retry_after_s` 1 and `Retry-After`
 * before acting; `drop` → the call acts, then the connection drops (embedded: `TypeError('Failed to fetch')`; HTTP:
 * the socket is destroyed), so only the Idempotency-Key prevents a second action; `delay` → waits `delay_ms`
 * (default 3000) then answers normally; `malformed` → HTTP 200 with a truncated JSON body; `schema` → HTTP 200 with
 * an `ok` envelope whose `data` breaks every schema.
 */
import { z } from 'zod';
import { ERROR_HTTP_STATUS } from '../api/schemas';
import { activityRoutes } from './activity';
import { adsRoutes, expireDue } from './ads';
import { SandboxError, parseBody, route, type AuthorizeQuery, type Ctx, type Route } from './context';
import { controlRoutes } from './controls';
import { eventRoutes } from './events';
import { linkingRoutes } from './linking';
import { FAULT_KINDS, iso, randomHex, seedState, STATE_VERSION, type FaultKind, type SandboxState } from './state';

export type { MailboxEmail, SandboxState } from './state';
export { SEED_GMAIL, SEED_VIDEOS } from './state';

export interface SandboxPersist {
  load(): Promise<unknown>;
  save(state: unknown): Promise<void>;
}

export interface SandboxOptions {
  persist?: SandboxPersist;
  /** Where the TikTok sign-in page is for an OAuth attempt (HTTP: /sandbox/oauth/authorize; embedded: the extension page). */
  authorizeUrl: (q: AuthorizeQuery) => string;
  /** Real time in epoch ms (default Date.now); the sandbox clock adds its offset to it. */
  now?: () => number;
  /** A state to start from instead of the seeds (or the persisted state). */
  initial?: SandboxState;
}

export interface Sandbox {
  handle(req: Request): Promise<Response>;
  /** `handle` with fetch's signature, for `createServiceClient({ fetch })`. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
}

/** Thrown by `handle` for the `drop` fault: the request acted but no answer comes back. */
export class DroppedConnection extends TypeError {
  constructor() {
    super('Failed to fetch');
  }
}

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** The most keys kept (oldest dropped first), so the persisted state stays small. */
const IDEMPOTENCY_MAX = 500;
const REQUEST_LOG_MAX = 300;
const MUTATING = new Set(['POST', 'PATCH', 'DELETE', 'PUT']);

const routes: Route[] = [...linkingRoutes, ...activityRoutes, ...eventRoutes, ...adsRoutes, ...controlRoutes];

const logId = (now: number) => `${iso(now).replace(/[-:TZ.]/g, '').slice(0, 14)}${randomHex(18).toUpperCase()}`;

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

function envelope(now: number, data: unknown): Reply {
  return { status: 200, headers: {}, body: JSON.stringify({ data, error: { code: 'ok', message: '', log_id: logId(now) } }) };
}

function errorReply(now: number, e: SandboxError): Reply {
  const headers: Record<string, string> = {};
  if (e.extra.retry_after_s !== undefined) headers['retry-after'] = String(Math.ceil(e.extra.retry_after_s));
  const error = { code: e.code, message: e.message, log_id: logId(now), ...e.extra };
  return { status: ERROR_HTTP_STATUS[e.code], headers, body: JSON.stringify({ data: null, error }) };
}

const toResponse = (r: Reply) => new Response(r.body, { status: r.status, headers: { 'content-type': 'application/json; charset=utf-8', ...r.headers } });

const FaultsBody = z.object({
  count: z.number().int().min(0).max(1000),
  kinds: z.array(z.enum(FAULT_KINDS)).min(1),
  delay_ms: z.number().int().min(0).max(120_000).optional(),
  path_prefix: z.string().optional(),
});
const ClockBody = z.object({ advance_s: z.number().min(0).max(10 * 365 * 86_400) });

function isState(raw: unknown): raw is SandboxState {
  return typeof raw === 'object' && raw !== null && (raw as SandboxState).version === STATE_VERSION;
}

export function createSandbox(opts: SandboxOptions): Sandbox {
  const realNow = opts.now ?? Date.now;
  let state: SandboxState | null = opts.initial ?? null;
  let tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` after every earlier request has finished. */
  function queued<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  }

  async function current(reload: boolean): Promise<SandboxState> {
    if (opts.persist && (reload || !state)) {
      const raw = await opts.persist.load();
      if (isState(raw)) state = raw;
    }
    if (!state) {
      state = seedState(realNow());
      await save();
    }
    return state;
  }

  async function save() {
    if (!state) return;
    const cutoff = realNow() + state.clock_offset_ms - IDEMPOTENCY_TTL_MS;
    for (const [k, v] of Object.entries(state.idempotency)) if (v.at < cutoff) delete state.idempotency[k];
    const kept = Object.entries(state.idempotency);
    if (kept.length > IDEMPOTENCY_MAX) {
      for (const [k] of kept.sort((a, b) => a[1].at - b[1].at).slice(0, kept.length - IDEMPOTENCY_MAX)) delete state.idempotency[k];
    }
    if (opts.persist) await opts.persist.save(state);
  }

  /** Picks the fault for this /v1 call, if one is planned. */
  function takeFault(s: SandboxState, path: string): { kind: FaultKind; delay_ms: number } | null {
    const f = s.faults;
    if (!f || f.remaining <= 0 || !path.startsWith(f.path_prefix)) return null;
    const kind = f.kinds[f.served % f.kinds.length]!;
    f.served += 1;
    f.remaining -= 1;
    if (f.remaining <= 0) s.faults = null;
    return { kind, delay_ms: f.delay_ms };
  }

  function run(s: SandboxState, req: Request, url: URL, bodyText: string): { reply: Reply; dirty: boolean } {
    const now = realNow() + s.clock_offset_ms;
    const ctx: Ctx = {
      state: s,
      now,
      method: req.method,
      url,
      body: undefined,
      token: req.headers.get('authorization')?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() ?? null,
      params: [],
      dirty: false,
      authorizeUrl: opts.authorizeUrl,
    };
    try {
      if (bodyText.trim()) {
        try {
          ctx.body = JSON.parse(bodyText);
        } catch {
          throw new SandboxError('invalid_params', 'The request body is not JSON.', { details: { field: 'body' } });
        }
      }
      expireDue(ctx);
      const found = routes.find((r) => r.pattern.test(url.pathname) && r.method === req.method) ?? sandboxRoutes.find((r) => r.pattern.test(url.pathname) && r.method === req.method);
      if (!found) {
        const known = [...routes, ...sandboxRoutes].some((r) => r.pattern.test(url.pathname));
        throw new SandboxError(known ? 'invalid_params' : 'not_found', known ? `${req.method} is not allowed on ${url.pathname}.` : `No such endpoint: ${url.pathname}.`, {
          details: { field: 'path' },
        });
      }
      ctx.params = found.pattern.exec(url.pathname)!.slice(1);
      const data = found.run(ctx);
      return { reply: envelope(now, data), dirty: ctx.dirty || MUTATING.has(req.method) };
    } catch (e) {
      if (e instanceof SandboxError) return { reply: errorReply(now, e), dirty: ctx.dirty || MUTATING.has(req.method) };
      const message = e instanceof Error ? e.message : String(e);
      return { reply: errorReply(now, new SandboxError('internal_error', `The sandbox failed: ${message}`)), dirty: false };
    }
  }

  /** Controls that act on the sandbox itself. */
  const sandboxRoutes: Route[] = [
    route('POST', '/sandbox/reset', (ctx) => {
      const fresh = seedState(realNow());
      for (const k of Object.keys(ctx.state) as (keyof SandboxState)[]) delete ctx.state[k];
      Object.assign(ctx.state, fresh);
      return { ok: true };
    }),
    route('POST', '/sandbox/clock', (ctx) => {
      const { advance_s } = parseBody(ctx, ClockBody);
      ctx.state.clock_offset_ms += Math.round(advance_s * 1000);
      return { now: iso(realNow() + ctx.state.clock_offset_ms) };
    }),
    route('GET', '/sandbox/clock', (ctx) => ({ now: iso(ctx.now) })),
    route('POST', '/sandbox/faults', (ctx) => {
      const b = parseBody(ctx, FaultsBody);
      ctx.state.faults = b.count > 0 ? { remaining: b.count, kinds: b.kinds, delay_ms: b.delay_ms ?? 3000, path_prefix: b.path_prefix ?? '/v1/', served: 0 } : null;
      return { faults: ctx.state.faults };
    }),
  ];

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const bodyText = req.method === 'GET' || req.method === 'HEAD' ? '' : await req.text();
    const api = url.pathname.startsWith('/v1/');
    const key = req.headers.get('idempotency-key');
    const token = req.headers.get('authorization') ?? '';

    // 1. Faults (and the log of what the service saw), decided in order with every other request.
    const fault = await queued(async () => {
      if (!api) return null;
      const s = await current(true);
      const f = takeFault(s, url.pathname);
      if (f && f.kind !== 'delay' && f.kind !== 'drop') {
        log(s, req.method, url.pathname, key, f.kind === '5xx' ? 500 : f.kind === '502' ? 502 : f.kind === '429' ? 429 : 200, f.kind, false);
        await save();
      } else if (f) await save();
      return f;
    });
    if (fault) {
      const now = realNow() + (state?.clock_offset_ms ?? 0);
      if (fault.kind === '5xx') return toResponse(errorReply(now, new SandboxError('internal_error', 'Injected fault: the service is temporarily unavailable.')));
      if (fault.kind === '502') return toResponse(errorReply(now, new SandboxError('upstream_error', 'Injected fault: TikTok did not answer. Safe to retry with the same Idempotency-Key.')));
      if (fault.kind === '429') return toResponse(errorReply(now, new SandboxError('rate_limit_exceeded', 'Injected fault: slow down.', { retry_after_s: 1 })));
      if (fault.kind === 'malformed') return toResponse({ status: 200, headers: {}, body: '{"data": {"items": [' });
      if (fault.kind === 'schema') return toResponse({ status: 200, headers: {}, body: JSON.stringify({ data: { unexpected: true }, error: { code: 'ok', message: '', log_id: logId(now) } }) });
      if (fault.kind === 'delay') await new Promise((r) => setTimeout(r, fault.delay_ms));
    }

    // 2. The call itself, with idempotent replay of state-changing calls.
    const reply = await queued(async () => {
      const s = await current(MUTATING.has(req.method));
      const now = realNow() + s.clock_offset_ms;
      const scoped = api && key && MUTATING.has(req.method) ? `${token}|${key}` : null;
      const fingerprint = `${req.method} ${url.pathname}${url.search} ${bodyText}`;
      const seen = scoped ? s.idempotency[scoped] : undefined;
      if (seen && seen.at > now - IDEMPOTENCY_TTL_MS) {
        const r: Reply =
          seen.fingerprint === fingerprint
            ? { status: seen.status, body: seen.body, headers: { ...seen.headers, 'idempotent-replayed': 'true' } }
            : errorReply(now, new SandboxError('invalid_params', 'This Idempotency-Key was already used with a different request.', { details: { field: 'Idempotency-Key' } }));
        log(s, req.method, url.pathname, key, r.status, fault?.kind ?? null, seen.fingerprint === fingerprint);
        await save();
        return r;
      }
      const { reply: r, dirty } = run(s, req, url, bodyText);
      if (scoped && r.status < 500 && r.status !== 429) s.idempotency[scoped] = { fingerprint, status: r.status, body: r.body, headers: r.headers, at: now };
      if (api) log(s, req.method, url.pathname, key, r.status, fault?.kind ?? null, false);
      if (dirty || api) await save();
      return r;
    });
    if (fault?.kind === 'drop') throw new DroppedConnection();
    return toResponse(reply);
  }

  function log(s: SandboxState, method: string, path: string, key: string | null, status: number, fault: FaultKind | null, replayed: boolean) {
    s.requests.push({ at: realNow() + s.clock_offset_ms, method, path, idempotency_key: key, status, fault, replayed });
    if (s.requests.length > REQUEST_LOG_MAX) s.requests.splice(0, s.requests.length - REQUEST_LOG_MAX);
  }

  return {
    handle,
    fetch: (input, init) => handle(input instanceof Request && !init ? input : new Request(input, init)),
  };
}
