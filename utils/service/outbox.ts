/**
 * The outbox of sends (DMs and comment replies), keyed by the client's `Idempotency-Key`. TikTok's sends are not
 * idempotent, so a send is recorded (`sending`, with a one-minute lease) before TikTok is called and settled after:
 * `sent` with TikTok's id, or `failed` when TikTok said it did not act. When the outcome is unknown (timeout, dropped
 * connection, 5xx after the request left, a crash) the record stays `sending` (its lease released, or left to run
 * out after a crash); the next attempt — the client's retry with the same key, or `resumeSends` — first looks for it
 * at TikTok and sends again only when it is not there. So a reply is never dropped and never sent twice.
 */
import type { Ctx } from './context';
import { newId } from './context';
import { fromTikTok, ServiceError } from './errors';
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

/** Sends `text` once for this request's Idempotency-Key (a new key when the client sent none). */
export async function sendOnce(
  ctx: Ctx,
  link: LinkRecord,
  what: Pick<SendRecord, 'kind' | 'target_id' | 'video_id' | 'text'>,
): Promise<Sent> {
  const key = ctx.idempotencyKey ?? ctx.random.hex(16);
  const claimed = await ctx.store.transaction(async (tx) => {
    const old = await tx.sends.byKey(link.link_id, key, { lock: true });
    const fresh = old && old.created_at > ctx.now - KEY_TTL_MS && old.status !== 'failed' ? old : null;
    if (fresh?.status === 'sending' && (fresh.lease_until ?? 0) > ctx.now)
      throw new ServiceError('upstream_error', 'This send is in progress. Retry with the same Idempotency-Key.', {
        retry_after_s: 2,
      });
    const s: SendRecord = fresh
      ? {
          ...fresh,
          status: 'sending',
          attempts: fresh.attempts + 1,
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
    return { s, mayHaveActed: fresh !== null };
  });
  return attempt(ctx, link, claimed.s, claimed.mayHaveActed);
}

/** Settles sends left `pending` or `sending` past their lease (after a crash); returns how many were settled. */
export async function resumeSends(ctx: Ctx, limit = 20): Promise<number> {
  const claimed = await ctx.store.sends.claim(ctx.now, leaseOf(ctx), limit);
  let settled = 0;
  for (const s of claimed) {
    const link = await ctx.store.links.get(s.link_id);
    if (!link || link.status !== 'active') {
      await ctx.store.sends.put({
        ...s,
        status: 'failed',
        lease_until: null,
        error: 'reauth_required',
        updated_at: ctx.now,
      });
      settled++;
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
