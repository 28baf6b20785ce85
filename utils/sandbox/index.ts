/**
 * The sandbox service: the service core (utils/service) composed with the sandbox's adapters — the in-memory
 * `Store` (memory-store.ts), the simulated TikTok (simulated-tiktok.ts), the mailbox `Mailer` (mailbox.ts), the
 * sandbox clock — behind the faults (faults.ts) and with the `/sandbox/` controls (controls.ts) beside the API. One
 * `handle(Request) → Response`, used embedded in the worker (pass `sandbox.fetch` to the client) and behind the
 * loopback HTTP server (http-server.ts). Requests run one at a time on the persisted state (persistence.ts).
 */
import { createService, type Service } from '../service/index';
import type { Clock, Random } from '../service/ports';
import { controlLayer } from './controls';
import { faultLayer } from './faults';
import { createMailboxMailer } from './mailbox';
import { createMemoryStore } from './memory-store';
import { createStateHolder, type SandboxPersist } from './persistence';
import { createSimulatedTikTok } from './simulated-tiktok';
import { randomDigits, randomHex, type SandboxState } from './state';

export type { MailboxEmail, SandboxState } from './state';
export type { SandboxPersist } from './persistence';
export { SEED_GMAIL, SEED_VIDEOS } from './state';
export { DroppedConnection } from './faults';

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

/** The Random port: `hex(bytes)` is two hex digits per byte. */
const random: Random = { hex: (bytes) => randomHex(bytes * 2), digits: randomDigits };

export function createSandbox(opts: SandboxOptions): Sandbox {
  const realNow = opts.now ?? Date.now;
  const holder = createStateHolder({ ...opts, now: realNow });
  const state = holder.current;
  const clock: Clock = { now: () => realNow() + state().clock_offset_ms };
  const ports = {
    store: createMemoryStore(state),
    tiktok: createSimulatedTikTok(state, clock, opts),
    mailer: createMailboxMailer(state, clock),
    clock,
    random,
  };
  const service = createService({
    ...ports,
    about: { name: 'TikTok Gmail Link sandbox', notification_senders: SANDBOX_SENDERS },
  });
  const controls = controlLayer({ ports, service, state, realNow });

  const handle = faultLayer(holder, ports, async (req, url, bodyText) => {
    if (!url.pathname.startsWith('/sandbox/'))
      return service.handle(
        new Request(url, { method: req.method, headers: req.headers, ...(bodyText && { body: bodyText }) }),
      );
    const res = await controls(req, url, bodyText);
    if (req.method !== 'GET' || url.pathname === '/sandbox/oauth/accounts') await holder.save(); // GET controls change nothing else
    return res;
  });
  return {
    handle,
    fetch: (input, init) => handle(input instanceof Request && !init ? input : new Request(input, init)),
    service,
  };
}
