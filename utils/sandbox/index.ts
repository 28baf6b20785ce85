/**
 * The sandbox service: the service core (utils/service) composed with the sandbox's adapters — the in-memory
 * `Store` (memory-store.ts), the simulated TikTok (simulated-tiktok.ts), the mailbox `Mailer` (mailbox.ts), the
 * sandbox clock — with the test controls (controls.ts) and faults (faults.ts) as middleware in front. One
 * `handle(Request) → Response`, used embedded in the worker (pass `sandbox.fetch` to the client) and behind the
 * loopback HTTP server (http-server.ts).
 *
 * Requests run one at a time (a promise queue); with `persist`, the whole state is loaded before each request and
 * saved after it, so the embedded sandbox survives the worker stopping.
 */
import { ServiceError } from '../service/errors';
import { bearer, errorReply, okReply, parseJsonBody, toResponse } from '../service/http';
import { createService, type Service } from '../service/index';
import type { Clock, Random } from '../service/ports';
import { findControl, type ControlCtx } from './controls';
import { DroppedConnection, faultReply, logRequest, takeFault, type Fault } from './faults';
import { createMailboxMailer } from './mailbox';
import { createMemoryStore } from './memory-store';
import { createSimulatedTikTok } from './simulated-tiktok';
import { randomDigits, randomHex, seedState, STATE_VERSION, type SandboxState } from './state';

export type { MailboxEmail, SandboxState } from './state';
export { SEED_GMAIL, SEED_VIDEOS } from './state';
export { DroppedConnection } from './faults';

export interface SandboxPersist {
  load(): Promise<unknown>;
  save(state: unknown): Promise<void>;
}

export interface SandboxOptions {
  persist?: SandboxPersist;
  /** Where the TikTok sign-in page is for an OAuth attempt (HTTP: /sandbox/oauth/authorize; embedded: the extension page). */
  authorizeUrl: (q: { state: string; redirect_uri: string }) => string;
  /** Real time in epoch ms (default Date.now); the sandbox clock adds its offset to it. */
  now?: () => number;
  /** A state to start from instead of the seeds (or the persisted state). */
  initial?: SandboxState;
}

export interface Sandbox {
  handle(req: Request): Promise<Response>;
  /** `handle` with fetch's signature, for `createServiceClient({ fetch })`. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** The service core inside (its `ingest` is what the simulated TikTok tells it). */
  service: Service;
}

/** The addresses the sandbox's notification emails come from (`GET /v1/service`). */
export const SANDBOX_SENDERS = ['notification@service.tiktok.com', 'no-reply@notifications.tiktok.com'];

const isState = (raw: unknown): raw is SandboxState => typeof raw === 'object' && raw !== null && (raw as SandboxState).version === STATE_VERSION;
/** The Random port: `hex(bytes)` is two hex digits per byte. */
const random: Random = { hex: (bytes) => randomHex(bytes * 2), digits: randomDigits };

export function createSandbox(opts: SandboxOptions): Sandbox {
  const realNow = opts.now ?? Date.now;
  let state: SandboxState = opts.initial ?? seedState(realNow());
  let loaded = !opts.persist || !!opts.initial;
  const current = () => state;
  const clock: Clock = { now: () => realNow() + state.clock_offset_ms };
  const ports = { store: createMemoryStore(current), tiktok: createSimulatedTikTok(current, clock, opts), mailer: createMailboxMailer(current, clock), clock, random };
  const service = createService({ ...ports, about: { name: 'TikTok Gmail Link sandbox', notification_senders: SANDBOX_SENDERS } });

  let tail: Promise<unknown> = Promise.resolve();
  /** Runs `fn` after every earlier request has finished, on the latest persisted state. */
  function queued<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(async () => {
      if (opts.persist) {
        const raw = await opts.persist.load();
        if (isState(raw)) state = raw;
        else if (!loaded) await opts.persist.save(state);
        loaded = true;
      }
      return fn();
    });
    tail = run.catch(() => undefined);
    return run;
  }
  const save = () => opts.persist?.save(state);

  async function control(req: Request, url: URL, bodyText: string): Promise<Response> {
    const now = clock.now();
    try {
      const body = parseJsonBody(bodyText);
      await service.expireDue();
      const { run, params } = findControl(req.method, url.pathname);
      const ctx: ControlCtx = { ...ports, service, state, now, realNow: realNow(), method: req.method, url, body, token: bearer(req), idempotencyKey: null, params };
      return toResponse(okReply(ports, now, await run(ctx)));
    } catch (e) {
      const err = e instanceof ServiceError ? e : new ServiceError('internal_error', `The sandbox failed: ${e instanceof Error ? e.message : String(e)}`);
      return toResponse(errorReply(ports, now, err));
    }
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const bodyText = req.method === 'GET' || req.method === 'HEAD' ? '' : await req.text();
    const api = url.pathname.startsWith('/v1/');
    const key = req.headers.get('idempotency-key');
    const log = (status: number, fault: Fault | null, replayed: boolean) =>
      logRequest(state, { at: clock.now(), method: req.method, path: url.pathname, idempotency_key: key, status, fault: fault?.kind ?? null, replayed });

    // 1. Faults (and the log of what the service saw), decided in order with every other request.
    const fault = !api
      ? null
      : await queued(async () => {
          const f = takeFault(state, url.pathname);
          const early = f && faultReply(ports, clock.now(), f.kind);
          if (early) log(early.status, f, false);
          if (f) await save();
          return f && { ...f, early };
        });
    if (fault?.early) return toResponse(fault.early);
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.delay_ms));

    // 2. The call itself.
    const answer = await queued(async () => {
      const res = url.pathname.startsWith('/sandbox/')
        ? await control(req, url, bodyText)
        : await service.handle(new Request(url, { method: req.method, headers: req.headers, ...(bodyText && { body: bodyText }) }));
      if (api) log(res.status, fault, res.headers.get('idempotent-replayed') === 'true');
      if (api || req.method !== 'GET' || url.pathname === '/sandbox/oauth/accounts') await save();
      return res;
    });
    if (fault?.kind === 'drop') throw new DroppedConnection();
    return answer;
  }

  return {
    handle,
    fetch: (input, init) => handle(input instanceof Request && !init ? input : new Request(input, init)),
    service,
  };
}

