/**
 * What every route of the core gets (`Ctx`), the route table's shape, and the request helpers every rule uses:
 * body and query validation (`invalid_params` naming the field), the bearer session, pagination.
 */
import type { z } from 'zod';
import { invalidField, ServiceError } from './errors';
import type { Clock, Mailer, Millis, Random, Store, TikTok } from './ports';

export interface Ports {
  store: Store;
  tiktok: TikTok;
  mailer: Mailer;
  clock: Clock;
  random: Random;
  /** How long a send is held by the attempt sending it (default `SEND_LEASE_MS`, one minute); longer than any TikTok call. */
  sendLeaseMs?: number;
}

export interface Ctx extends Ports {
  /** Service time of this request. */
  now: Millis;
  method: string;
  url: URL;
  body: unknown;
  /** The bearer token, if any. */
  token: string | null;
  /** The request's `Idempotency-Key`, if any (the outbox keys sends by it). */
  idempotencyKey: string | null;
  /** Path parameters matched by the route, in order (decoded). */
  params: string[];
}

export type Route = { method: string; pattern: RegExp; run: (ctx: Ctx) => Promise<unknown> };

/** A route table entry: `:name` segments match one path segment. */
export function route(method: string, path: string, run: (ctx: Ctx) => Promise<unknown>): Route {
  return { method, pattern: new RegExp(`^${path.replace(/:[a-z_]+/g, '([^/]+)')}$`), run };
}

export const param = (ctx: Ctx, i: number): string => ctx.params[i] ?? '';

function parsed<S extends z.ZodType>(schema: S, raw: unknown, whole: string): z.output<S> {
  const out = schema.safeParse(raw);
  if (out.success) return out.data;
  const issue = out.error.issues[0];
  const field = issue?.path.join('.') || whole;
  throw invalidField(field, `Invalid ${field}: ${issue?.message ?? 'bad value'}.`);
}

/** The request body parsed with `schema`, or `invalid_params` naming the field. */
export const parseBody = <S extends z.ZodType>(ctx: Ctx, schema: S): z.output<S> =>
  parsed(schema, ctx.body ?? {}, 'body');

/** The Gmail address of the bearer session, or `access_token_invalid`. */
export async function sessionGmail(ctx: Ctx): Promise<string> {
  const s = ctx.token ? await ctx.store.sessions.get(ctx.token) : null;
  if (!s || s.revoked || s.expires_at <= ctx.now) {
    throw new ServiceError(
      'access_token_invalid',
      s
        ? 'The session has expired or was ended. Verify the Gmail address again.'
        : 'No valid session. Verify the Gmail address first.',
    );
  }
  return s.gmail;
}

/** `?limit=` (1–100, default 20), or `invalid_params`. */
export function limitOf(ctx: Ctx): number {
  const raw = ctx.url.searchParams.get('limit');
  const limit = raw === null || raw === '' ? 20 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    throw invalidField('limit', 'limit must be an integer from 1 to 100.');
  return limit;
}

/** A non-negative integer `?cursor=` (0 when absent), or `invalid_params`. */
export function cursorOf(ctx: Ctx): number {
  const c = ctx.url.searchParams.get('cursor');
  const n = c ? Number(c) : 0;
  if (!Number.isInteger(n) || n < 0) throw invalidField('cursor', 'Unknown cursor.');
  return n;
}

/** Offset pagination over an already ordered array (the cursor is the next offset). */
export function paginate<T>(ctx: Ctx, items: T[]): { items: T[]; cursor: string | null; has_more: boolean } {
  const limit = limitOf(ctx);
  const start = cursorOf(ctx);
  const has_more = start + limit < items.length;
  return { items: items.slice(start, start + limit), cursor: has_more ? String(start + limit) : null, has_more };
}

export const iso = (ms: Millis) => new Date(ms).toISOString();

/** A prefixed opaque id (`lnk_3f9a…`). */
export const newId = (ctx: Pick<Ports, 'random'>, prefix: string) => `${prefix}_${ctx.random.hex(10)}`;
