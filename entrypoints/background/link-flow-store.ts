/**
 * The link flow of each Gmail address as the vault keeps it (`linkflow:<gmail>`: the step, the verification, the link,
 * the last step's failure): the popup closes whenever the user clicks elsewhere and reopens where it left off.
 */
import { isAppError } from '@/utils/api/errors';
import { LinkFlow, ResultError } from '@/utils/messaging/catalogue';
import { vaultItem } from '@/utils/storage/vault';

export const flowItem = (gmail: string) => vaultItem(`linkflow:${gmail}`, LinkFlow, () => freshFlow(gmail));
export const freshFlow = (gmail: string): LinkFlow => ({
  gmail,
  step: 'email',
  verification: null,
  link: null,
  error: null,
});

export async function saveFlow(flow: LinkFlow): Promise<LinkFlow> {
  await flowItem(flow.gmail).set(flow);
  return flow;
}

/** Keeps the failure of a step in the flow (the popup may have closed while it ran), then rethrows it. */
export async function failStep(gmail: string, e: unknown, patch: Partial<LinkFlow> = {}): Promise<never> {
  const error = isAppError(e)
    ? e.toResult()
    : ResultError.parse({ code: 'internal_error', message: String((e as Error)?.message ?? e) });
  await flowItem(gmail).update((flow) => ({ ...flow, ...patch, error: withRetryAt(error) }));
  throw e;
}

/**
 * A failure that says "retry in N s" (a locked code, a rate limit) is kept with the time that is (`details.retry_at`),
 * so a popup opened later shows the time really left, not the N seconds of when it happened.
 */
function withRetryAt(error: ResultError, now = Date.now()): ResultError {
  if (error.retry_after_s === undefined || typeof error.details?.retry_at === 'string') return error;
  return {
    ...error,
    details: { ...error.details, retry_at: new Date(now + error.retry_after_s * 1000).toISOString() },
  };
}

/** The stored failure as of `now`: its `retry_after_s` is what is left until `details.retry_at` (0 once passed). */
export function errorAsOf(error: ResultError | null | undefined, now = Date.now()): ResultError | null {
  if (!error) return null;
  const at = typeof error.details?.retry_at === 'string' ? Date.parse(error.details.retry_at) : NaN;
  if (!Number.isFinite(at)) return error;
  return { ...error, retry_after_s: Math.max(0, Math.ceil((at - now) / 1000)) };
}
