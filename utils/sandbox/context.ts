/** What every sandbox route gets: the state, the sandbox clock, the parsed request, and the service's error type. */
import type { z } from 'zod';
import type { ErrorCode } from '../api/schemas';
import type { SandboxState } from './state';

export class SandboxError extends Error {
  constructor(
    readonly code: Exclude<ErrorCode, 'ok'>,
    message: string,
    readonly extra: { retry_after_s?: number; details?: Record<string, unknown> } = {},
  ) {
    super(message);
  }
}

export type AuthorizeQuery = {
  state: string;
  redirect_uri: string;
}

export interface Ctx {
  state: SandboxState;
  /** Sandbox time in epoch ms (real time plus the clock offset). */
  now: number;
  method: string;
  url: URL;
  body: unknown;
  /** The bearer token, if any. */
  token: string | null;
  /** Path parameters matched by the route, in order. */
  params: string[];
  /** Set by a GET route that changed the state (so it is saved). */
  dirty: boolean;
  authorizeUrl: (q: AuthorizeQuery) => string;
}

export type Route = { method: string; pattern: RegExp; run: (ctx: Ctx) => unknown };

/** A route table entry: `:name` segments match one path segment. */
export function route(method: string, path: string, run: (ctx: Ctx) => unknown): Route {
  const pattern = new RegExp(`^${path.replace(/:[a-z_]+/g, '([^/]+)')}$`);
  return { method, pattern, run };
}

export function param(ctx: Ctx, i: number): string {
  return decodeURIComponent(ctx.params[i] ?? '');
}

/** The request body parsed with `schema`, or `invalid_params` naming the field. */
export function parseBody<S extends z.ZodType>(ctx: Ctx, schema: S): z.output<S> {
  const parsed = schema.safeParse(ctx.body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  throw new SandboxError('invalid_params', `Invalid ${field}: ${issue?.message ?? 'bad value'}.`, { details: { field } });
}

export function parseQuery<S extends z.ZodType>(ctx: Ctx, schema: S): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(ctx.url.searchParams));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'query';
  throw new SandboxError('invalid_params', `Invalid ${field}: ${issue?.message ?? 'bad value'}.`, { details: { field } });
}

/** The Gmail address of the bearer session, or `access_token_invalid`. */
export function sessionGmail(ctx: Ctx): string {
  const s = ctx.token ? ctx.state.sessions[ctx.token] : undefined;
  if (!s || s.revoked || s.expires_at <= ctx.now) {
    throw new SandboxError('access_token_invalid', s ? 'The session has expired or was ended. Verify the Gmail address again.' : 'No valid session. Verify the Gmail address first.');
  }
  return s.gmail;
}

/** Offset pagination over an already ordered array (the cursor is the next offset). */
export function paginate<T>(ctx: Ctx, items: T[]): { items: T[]; cursor: string | null; has_more: boolean } {
  const raw = ctx.url.searchParams.get('limit');
  const limit = raw === null || raw === '' ? 20 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new SandboxError('invalid_params', 'limit must be an integer from 1 to 100.', { details: { field: 'limit' } });
  const c = ctx.url.searchParams.get('cursor');
  const start = c ? Number(c) : 0;
  if (!Number.isInteger(start) || start < 0) throw new SandboxError('invalid_params', 'Unknown cursor.', { details: { field: 'cursor' } });
  const page = items.slice(start, start + limit);
  const has_more = start + limit < items.length;
  return { items: page, cursor: has_more ? String(start + limit) : null, has_more };
}
