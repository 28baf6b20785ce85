/**
 * Injected faults (`POST /sandbox/faults`), as middleware in front of the service: they apply to the next `count`
 * /v1 calls under `path_prefix`, cycling through `kinds`: `5xx` → 500 `internal_error` before acting; `502` → 502
 * `upstream_error` (TikTok failed) before acting; `429` → `rate_limit_exceeded` with `retry_after_s` 1 and
 * `Retry-After` before acting; `drop` → the call acts, then the connection drops (embedded: `TypeError('Failed to
 * fetch')`; HTTP: the socket is destroyed), so only the Idempotency-Key prevents a second action; `delay` → waits
 * `delay_ms` (default 3000) then answers normally; `malformed` → HTTP 200 with a truncated JSON body; `schema` → HTTP
 * 200 with an `ok` envelope whose `data` breaks every schema. Also the request log `/sandbox/inspect` shows.
 */
import { ServiceError } from '../service/errors';
import { errorReply, logId, toResponse, type Reply } from '../service/http';
import type { Clock, Random } from '../service/ports';
import type { StateHolder } from './persistence';
import type { FaultKind, SandboxState } from './state';

const REQUEST_LOG_MAX = 300;

/** Thrown by `handle` for the `drop` fault: the request acted but no answer comes back. */
export class DroppedConnection extends TypeError {
  constructor() {
    super('Failed to fetch');
  }
}

export interface Fault {
  kind: FaultKind;
  delay_ms: number;
}

/** Takes the planned fault for this /v1 call, if any. */
function takeFault(s: SandboxState, path: string): Fault | null {
  const f = s.faults;
  if (!f || f.remaining <= 0 || !path.startsWith(f.path_prefix)) return null;
  const kind = f.kinds[f.served % f.kinds.length]!;
  f.served += 1;
  f.remaining -= 1;
  if (f.remaining <= 0) s.faults = null;
  return { kind, delay_ms: f.delay_ms };
}

/** The answer a fault gives instead of acting (null: the call goes ahead — `delay` and `drop`). */
function faultReply(ports: { random: Random }, now: number, kind: FaultKind): Reply | null {
  switch (kind) {
    case '5xx':
      return errorReply(
        ports,
        now,
        new ServiceError('internal_error', 'Injected fault: the service is temporarily unavailable.'),
      );
    case '502':
      return errorReply(
        ports,
        now,
        new ServiceError(
          'upstream_error',
          'Injected fault: TikTok did not answer. Safe to retry with the same Idempotency-Key.',
        ),
      );
    case '429':
      return errorReply(
        ports,
        now,
        new ServiceError('rate_limit_exceeded', 'Injected fault: slow down.', { retry_after_s: 1 }),
      );
    case 'malformed':
      return { status: 200, headers: {}, body: '{"data": {"items": [' };
    case 'schema':
      return {
        status: 200,
        headers: {},
        body: JSON.stringify({
          data: { unexpected: true },
          error: { code: 'ok', message: '', log_id: logId(ports, now) },
        }),
      };
    default:
      return null;
  }
}

function logRequest(
  s: SandboxState,
  r: {
    at: number;
    method: string;
    path: string;
    idempotency_key: string | null;
    status: number;
    fault: FaultKind | null;
    replayed: boolean;
  },
) {
  s.requests.push(r);
  if (s.requests.length > REQUEST_LOG_MAX) s.requests.splice(0, s.requests.length - REQUEST_LOG_MAX);
}

/** What the sandbox does with a request once its fault (if any) allowed it: answer it on the queued state. */
export type Inner = (req: Request, url: URL, bodyText: string) => Promise<Response>;

/**
 * Faults and the request log around `inner`: the fault of a /v1 call is decided in order with every other request;
 * an early fault answers instead of acting; `delay` waits first; `drop` acts, then throws `DroppedConnection`.
 */
export function faultLayer(holder: StateHolder, ports: { clock: Clock; random: Random }, inner: Inner) {
  return async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const bodyText = req.method === 'GET' || req.method === 'HEAD' ? '' : await req.text();
    if (!url.pathname.startsWith('/v1/')) return holder.queued(() => inner(req, url, bodyText));
    const log = (status: number, fault: Fault | null, replayed: boolean) =>
      logRequest(holder.current(), {
        at: ports.clock.now(),
        method: req.method,
        path: url.pathname,
        idempotency_key: req.headers.get('idempotency-key'),
        status,
        fault: fault?.kind ?? null,
        replayed,
      });

    const fault = await holder.queued(async () => {
      const f = takeFault(holder.current(), url.pathname);
      const early = f && faultReply(ports, ports.clock.now(), f.kind);
      if (early) log(early.status, f, false);
      if (f) await holder.save();
      return f && { ...f, early };
    });
    if (fault?.early) return toResponse(fault.early);
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.delay_ms));
    const answer = await holder.queued(async () => {
      const res = await inner(req, url, bodyText);
      log(res.status, fault, res.headers.get('idempotent-replayed') === 'true');
      await holder.save();
      return res;
    });
    if (fault?.kind === 'drop') throw new DroppedConnection();
    return answer;
  };
}
