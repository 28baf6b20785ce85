/**
 * The outbox of sends (DMs and comment replies), keyed by the client's `Idempotency-Key`. TikTok's sends are not
 * idempotent, so a send is recorded (`sending`, with a one-minute lease) before TikTok is called and settled after:
 * `sent` with TikTok's id, or `failed` only when TikTok said it did not act. When the outcome is unknown (timeout,
 * dropped connection, 5xx after the request left, a crash) the record stays `sending` (its lease released, or left to
 * run out after a crash); the next attempt — the client's retry with the same key, or `resumeSends` — first looks
 * for it at TikTok and sends again only when it is not there. So a reply is never dropped and never sent twice.
 *
 * That holds when the link stops being active meanwhile (TikTok refused the grant, or the person unlinked): the send
 * cannot be looked for, so `resumeSends` parks it (`sending`, no lease) instead of failing it, and it waits for the
 * client's retry with its key once the person has signed in again. Re-linking the same TikTok account from the same
 * Gmail address keeps the link's id (oauth.ts), so the retry finds the record, however long the re-link took, and
 * looks first; TikTok's rules for a new reply (the 48-hour window, 10 replies) are not asked of it, as it may be
 * one of them already.
 */
import type { Ctx } from './context';
import { newId } from './context';
import { fromTikTok, invalidField, ServiceError } from './errors';
import { withGrant } from './grants';
import {
  TikTokError,
  type LinkRecord,
  type SendRecord,
  type TikTokComment,
  type TikTokGrant,
  type TikTokMessage,
} from './ports';

export const SEND_LEASE_MS = 60_000;
const KEY_TTL_MS = 24 * 3_600_000;
const leaseOf = (ctx: Ctx) => ctx.sendLeaseMs ?? SEND_LEASE_MS;

type Sent = TikTokMessage | TikTokComment;

function perform(ctx: Ctx, grant: TikTokGrant, s: SendRecord): Promise<Sent> {
  return s.kind === 'message'
    ? ctx.tiktok.sendMessage(grant, { conversation_id: s.target_id, text: s.text })
    : ctx.tiktok.replyComment(grant, { video_id: s.video_id ?? '', comment_id: s.target_id, text: s.text });
}

function lookFor(ctx: Ctx, grant: TikTokGrant, s: SendRecord): Promise<Sent | null> {
  return s.kind === 'message'
    ? ctx.tiktok.findMessage(grant, { conversation_id: s.target_id, text: s.text, since: s.created_at })
    : ctx.tiktok.findReply(grant, {
        video_id: s.video_id ?? '',
        comment_id: s.target_id,
        text: s.text,
        since: s.created_at,
      });
}

const idOf = (x: Sent) => ('message_id' in x ? x.message_id : x.comment_id);
const unknownOutcome = () =>
  new ServiceError(
    'upstream_error',
    'TikTok did not say whether it was sent. Retry with the same Idempotency-Key: it will not be sent twice.',
  );

/**
 * One attempt of a claimed send: look first when an earlier attempt may have acted, then send; settles the record.
 * A refusal ends the send (`failed`) only when this attempt knows no earlier one acted: a refusal of the look itself
 * (TikTok's 429 on its list) leaves the outcome unknown, so the send stays to be looked for again.
 */
async function attempt(ctx: Ctx, link: LinkRecord, s: SendRecord, mayHaveActed: boolean): Promise<Sent> {
  let knownNotSent = !mayHaveActed;
  const outcome = await withGrant(ctx, link, async (grant) => {
    const found = mayHaveActed ? await lookFor(ctx, grant, s) : null;
    if (found) return { sent: found };
    knownNotSent = true;
    try {
      return { sent: await perform(ctx, grant, s) };
    } catch (e) {
      // Only TikTok's own refusals say it did not act; anything else (a timeout, a dropped connection) may have acted.
      if (e instanceof TikTokError && e.code !== 'unknown_outcome') throw e;
      return { unknown: true as const };
    }
  }).catch(async (e: unknown) => {
    const err = fromTikTok(e);
    if (!knownNotSent) {
      await release(ctx, s);
      throw err instanceof ServiceError ? err : unknownOutcome();
    }
    // TikTok said no (or never got it): the send is over; the client sees why and keeps the text.
    await ctx.store.sends.put({
      ...s,
      status: 'failed',
      lease_until: null,
      error: err instanceof ServiceError ? err.code : 'internal_error',
      updated_at: ctx.clock.now(),
    });
    throw err;
  });
  if ('unknown' in outcome) {
    await release(ctx, s);
    throw unknownOutcome();
  }
  await ctx.store.sends.put({
    ...s,
    status: 'sent',
    lease_until: null,
    result_id: idOf(outcome.sent),
    updated_at: ctx.clock.now(),
  });
  return outcome.sent;
}

/** Nobody is sending it now: the next attempt (a retry, resumeSends) may take it at once, and looks first. */
const release = (ctx: Ctx, s: SendRecord) =>
  ctx.store.sends.put({ ...s, lease_until: ctx.clock.now(), updated_at: ctx.clock.now() });

type What = Pick<SendRecord, 'kind' | 'target_id' | 'video_id' | 'text'>;

/**
 * The earlier send under this key that this request carries on, or null when it starts a new one. A send whose
 * outcome is unknown (`sending`) is carried on whatever its age, as it may have reached TikTok; a `sent` one for
 * the key's 24 hours; a `failed` one never (TikTok said it did not act). Another request with the key is refused.
 */
function carriedOn(old: SendRecord | null, what: What, now: number): SendRecord | null {
  if (!old || old.status === 'failed' || (old.status === 'sent' && old.created_at <= now - KEY_TTL_MS)) return null;
  if (old.kind !== what.kind || old.target_id !== what.target_id || old.text !== what.text)
    throw invalidField('Idempotency-Key', 'This Idempotency-Key was already used with a different request.');
  return old;
}

/**
 * Sends `text` once for this request's Idempotency-Key (a new key when the client sent none). `rules` (TikTok's
 * rules for a new reply) run only when no earlier attempt under the key may already have sent it.
 */
export async function sendOnce(ctx: Ctx, link: LinkRecord, what: What, rules?: () => void): Promise<Sent> {
  const key = ctx.idempotencyKey ?? ctx.random.hex(16);
  const claimed = await ctx.store.transaction(async (tx) => {
    const old = await tx.sends.byKey(link.link_id, key, { lock: true });
    const earlier = carriedOn(old, what, ctx.now);
    if (earlier?.status === 'sending' && earlier.lease_until !== null && earlier.lease_until > ctx.now)
      throw new ServiceError('upstream_error', 'This send is in progress. Retry with the same Idempotency-Key.', {
        retry_after_s: 2,
      });
    if (!earlier) rules?.();
    const s: SendRecord = earlier
      ? {
          ...earlier,
          status: 'sending',
          attempts: earlier.attempts + 1,
          lease_until: ctx.now + leaseOf(ctx),
          updated_at: ctx.now,
        }
      : {
          send_id: old?.send_id ?? newId(ctx, 'snd'),
          link_id: link.link_id,
          idempotency_key: key,
          ...what,
          status: 'sending',
          attempts: 1,
          lease_until: ctx.now + leaseOf(ctx),
          result_id: null,
          error: null,
          created_at: ctx.now,
          updated_at: ctx.now,
        };
    await tx.sends.put(s);
    return { s, mayHaveActed: earlier !== null };
  });
  return attempt(ctx, link, claimed.s, claimed.mayHaveActed);
}

/**
 * A claimed send whose link is not active: one an earlier attempt may have sent is parked (`sending` without a
 * lease: no sweep takes it, the client's retry after re-linking does, and looks first); one never tried is failed.
 */
const parkOrFail = (ctx: Ctx, s: SendRecord) =>
  ctx.store.sends.put(
    s.attempts > 1
      ? { ...s, attempts: s.attempts - 1, lease_until: null, updated_at: ctx.now } // the claim was no attempt
      : { ...s, status: 'failed', lease_until: null, error: 'reauth_required', updated_at: ctx.now },
  );

/**
 * Settles sends left `pending` or `sending` past their lease (after a crash, or an unknown outcome nobody retried);
 * returns how many were settled. Sends of a link that is not active are parked (see `parkOrFail`), not settled.
 */
export async function resumeSends(ctx: Ctx, limit = 20): Promise<number> {
  const claimed = await ctx.store.sends.claim(ctx.now, leaseOf(ctx), limit);
  let settled = 0;
  for (const s of claimed) {
    const link = await ctx.store.links.get(s.link_id);
    if (!link || link.status !== 'active') {
      await parkOrFail(ctx, s);
      if (s.attempts <= 1) settled++;
      continue;
    }
    const ok = await attempt(ctx, link, s, s.attempts > 1).then(
      () => true,
      (e: unknown) => !(e instanceof ServiceError && e.code === 'upstream_error'),
    );
    if (ok) settled++;
  }
  return settled;
}
