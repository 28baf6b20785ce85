// @vitest-environment node
/**
 * The service core (utils/service) over its ports, with the sandbox's adapters and a TikTok that fails on cue: what
 * the sandbox's own faults cannot show. A send whose outcome is unknown is looked for before it is sent again (by
 * the client's retry or by `resumeSends` after a crash, or by the retry after re-linking when the link stopped being
 * active meanwhile: parked, never failed), so it reaches TikTok exactly once; grants are refreshed before they
 * expire and once on `token_expired`, and a refused refresh makes the link `reauth_required` with an event; a store
 * transaction that throws leaves nothing behind.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createServiceClient, type ServiceClient } from '@/utils/api/client';
import { AppError } from '@/utils/api/errors';
import { createService, TikTokError, type Service, type TikTok, type TikTokGrant } from '@/utils/service';
import { createMailboxMailer } from '@/utils/sandbox/mailbox';
import { createMemoryStore } from '@/utils/sandbox/memory-store';
import { createSimulatedTikTok } from '@/utils/sandbox/simulated-tiktok';
import {
  profileOf,
  randomDigits,
  randomHex,
  SCOPES,
  SEED_GMAIL,
  seedState,
  simulatedGrant,
  type SandboxState,
} from '@/utils/sandbox/state';

const BASE = 'https://core.invalid';
const MINUTE = 60_000;

let now: number;
let state: SandboxState;
let tiktok: TikTok;
let service: Service;
let calls: Record<string, number>;
/** Behaviour planned for the next calls of a TikTok method: 'act-then-lose' (acted, no answer), 'act-then-hang' (acted, then the process died), 'lose' (no answer, did not act), or a TikTokError to throw. */
let plan: Record<string, ('act-then-lose' | 'act-then-hang' | 'lose' | TikTokError)[]>;

function faulty(sim: TikTok): TikTok {
  const wrap = <K extends keyof TikTok>(name: K) =>
    (async (...args: unknown[]) => {
      calls[name] = (calls[name] ?? 0) + 1;
      const next = plan[name]?.shift();
      if (next instanceof TikTokError) throw next;
      if (next === 'lose') throw new TikTokError('unknown_outcome', 'TikTok did not answer in time.');
      const out = await (sim[name] as (...a: unknown[]) => Promise<unknown>)(...args);
      if (next === 'act-then-lose')
        throw new TikTokError('unknown_outcome', 'The connection dropped after the request left.');
      if (next === 'act-then-hang') return new Promise(() => undefined); // the process dies during the call
      return out;
    }) as TikTok[K];
  return {
    ...sim,
    sendMessage: wrap('sendMessage'),
    replyComment: wrap('replyComment'),
    refresh: wrap('refresh'),
    conversation: wrap('conversation'),
  };
}

function setup(grant?: (g: TikTokGrant) => TikTokGrant) {
  now = Date.parse('2026-11-30T12:00:00Z');
  state = seedState(now);
  calls = {};
  plan = {};
  const clock = { now: () => now };
  const current = () => state;
  tiktok = faulty(createSimulatedTikTok(current, clock, { authorizeUrl: () => `${BASE}/signin` }));
  service = createService({
    store: createMemoryStore(current),
    tiktok,
    mailer: createMailboxMailer(current, clock),
    clock,
    random: { hex: (n) => randomHex(n * 2), digits: randomDigits },
  });
  const alex = state.users['alex.rivera']!;
  const g = simulatedGrant(alex, SCOPES);
  state.sessions.sess_test = {
    token: 'sess_test',
    gmail: SEED_GMAIL,
    expires_at: now + 30 * 24 * 60 * MINUTE,
    revoked: false,
  };
  state.links.lnk_test = {
    link_id: 'lnk_test',
    gmail: SEED_GMAIL,
    status: 'active',
    tiktok: profileOf(alex),
    grant: grant ? grant(g) : g,
    linked_at: now,
    updated_at: now,
  };
}

const client = (): ServiceClient =>
  createServiceClient({
    baseUrl: BASE,
    fetch: (input, init) => service.handle(new Request(input, init)),
    token: 'sess_test',
    maxRetries: 0,
  });
const maya = () =>
  Object.values(state.conversations).find((c) => c.owner === 'alex.rivera' && c.participant === 'maya.creates')!;
const sentTexts = (text: string) => maya().messages.filter((m) => m.direction === 'out' && m.text === text).length;
async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('outbox: a reply reaches TikTok exactly once', () => {
  beforeEach(() => setup());

  it('after TikTok acted but the answer was lost, the retry with the same key finds it instead of sending again', async () => {
    plan.sendMessage = ['act-then-lose'];
    const e = await failure(client().sendMessage('lnk_test', maya().conversation_id, { text: 'lost answer' }, 'key-1'));
    expect(e).toMatchObject({ code: 'upstream_error', extra: { status: 502 } });
    const again = await client().sendMessage('lnk_test', maya().conversation_id, { text: 'lost answer' }, 'key-1');
    expect(again).toMatchObject({ direction: 'out', text: 'lost answer' });
    expect(sentTexts('lost answer')).toBe(1);
    expect(calls.sendMessage).toBe(1);
  });

  it('when TikTok never got it, the retry looks, does not find it, and sends it once', async () => {
    plan.sendMessage = ['lose'];
    await failure(client().sendMessage('lnk_test', maya().conversation_id, { text: 'never arrived' }, 'key-2'));
    expect(sentTexts('never arrived')).toBe(0);
    await client().sendMessage('lnk_test', maya().conversation_id, { text: 'never arrived' }, 'key-2');
    expect(sentTexts('never arrived')).toBe(1);
    expect(calls.sendMessage).toBe(2);
  });

  it('a refusal TikTok gave before acting (rate limited) fails the send; the retry sends it', async () => {
    plan.sendMessage = [new TikTokError('rate_limited', 'Too many calls.', { retry_after_s: 2 })];
    const e = await failure(client().sendMessage('lnk_test', maya().conversation_id, { text: 'later' }, 'key-3'));
    expect(e).toMatchObject({ code: 'rate_limit_exceeded', extra: { retry_after_s: 2 } });
    expect(Object.values(state.sends).find((s) => s.idempotency_key === 'key-3')).toMatchObject({
      status: 'failed',
      error: 'rate_limit_exceeded',
    });
    await client().sendMessage('lnk_test', maya().conversation_id, { text: 'later' }, 'key-3');
    expect(sentTexts('later')).toBe(1);
  });

  it('a send left in flight by a crash is settled by resumeSends once its lease ran out: looked for, then sent once', async () => {
    plan.sendMessage = ['act-then-hang'];
    void client()
      .sendMessage('lnk_test', maya().conversation_id, { text: 'crash' }, 'key-4')
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20));
    expect(sentTexts('crash')).toBe(1);
    expect(await service.resumeSends()).toBe(0); // still leased by the call that never came back
    now += MINUTE + 1;
    expect(await service.resumeSends()).toBe(1);
    expect(await service.resumeSends()).toBe(0);
    expect(sentTexts('crash')).toBe(1);
    expect(Object.values(state.sends).find((s) => s.idempotency_key === 'key-4')).toMatchObject({
      status: 'sent',
      attempts: 2,
    });
  });

  it('comment replies go through the same outbox', async () => {
    const top = Object.values(state.comments).find((c) => c.owner === 'alex.rivera' && c.username === 'lina.travels')!;
    plan.replyComment = ['act-then-lose'];
    await failure(client().replyComment('lnk_test', top.comment_id, { text: 'It is Café Lumen!' }, 'key-5'));
    await client().replyComment('lnk_test', top.comment_id, { text: 'It is Café Lumen!' }, 'key-5');
    expect(
      Object.values(state.comments).filter(
        (c) => c.parent_comment_id === top.comment_id && c.text === 'It is Café Lumen!',
      ),
    ).toHaveLength(1);
  });
});

describe('outbox: an unknown outcome while the link stops being active, then a re-link', () => {
  beforeEach(() => setup());

  const send = (text: string, key: string) => client().sendMessage('lnk_test', maya().conversation_id, { text }, key);
  const record = (key: string) => Object.values(state.sends).find((s) => s.idempotency_key === key)!;
  /** The send's outcome is unknown (`how`), then TikTok refuses the grant on the client's retry (the link needs a sign-in), then the sweep runs. */
  async function unknownThenReauth(how: 'act-then-lose' | 'lose', text: string, key: string) {
    plan.sendMessage = [how];
    expect(await failure(send(text, key))).toMatchObject({ code: 'upstream_error' });
    plan.conversation = [new TikTokError('reauth_required', 'TikTok no longer accepts this sign-in.')];
    expect(await failure(send(text, key))).toMatchObject({ code: 'reauth_required', extra: { status: 401 } });
    expect(state.links.lnk_test!.status).toBe('reauth_required');
    expect(await service.resumeSends()).toBe(0); // nothing to settle: it cannot be looked for now
    expect(record(key)).toMatchObject({ status: 'sending', lease_until: null }); // parked, not failed
  }
  /** Signs in to TikTok again with the same session, as the popup's "Sign in again" does (consent given at once). */
  async function relink() {
    const o = await client().oauthStart('https://example.chromiumapp.org/');
    const rec = state.oauth[o.state]!;
    const code = `code_${randomHex(24)}`;
    state.signin_codes[code] = {
      code,
      username: 'alex.rivera',
      scopes: [...SCOPES],
      redirect_uri: rec.redirect_uri,
      code_verifier: rec.code_verifier,
      expires_at: rec.expires_at,
    };
    const back = new URL(rec.redirect_uri);
    back.searchParams.set('state', o.state);
    back.searchParams.set('code', code);
    return client().oauthComplete(o.state, back.toString());
  }

  it('TikTok acted: after the re-link the retry with the same key finds it, and it is never sent again', async () => {
    await unknownThenReauth('act-then-lose', 'acted before reauth', 'rk-1');
    expect(sentTexts('acted before reauth')).toBe(1);
    const link = await relink();
    expect(link).toMatchObject({ link_id: 'lnk_test', status: 'active' }); // a re-link keeps the link's id
    expect(await service.resumeSends()).toBe(0); // a parked send waits for the client
    const again = await send('acted before reauth', 'rk-1');
    const atTikTok = maya().messages.find((m) => m.text === 'acted before reauth')!;
    expect(again).toMatchObject({ message_id: atTikTok.message_id, direction: 'out' });
    expect(sentTexts('acted before reauth')).toBe(1);
    expect(calls.sendMessage).toBe(1);
    expect(record('rk-1')).toMatchObject({ status: 'sent', result_id: atTikTok.message_id });
  });

  it('TikTok did not act: after the re-link the retry looks, does not find it, and sends it once', async () => {
    await unknownThenReauth('lose', 'lost before reauth', 'rk-2');
    expect(sentTexts('lost before reauth')).toBe(0);
    await relink();
    expect(await service.resumeSends()).toBe(0);
    expect(sentTexts('lost before reauth')).toBe(0);
    await send('lost before reauth', 'rk-2');
    await send('lost before reauth', 'rk-2'); // and a replay of the answer sends nothing more
    expect(sentTexts('lost before reauth')).toBe(1);
    expect(calls.sendMessage).toBe(2);
  });

  it('a re-link three days later: the retry is looked for, not refused by the closed window nor sent again', async () => {
    await unknownThenReauth('act-then-lose', 'acted, then days', 'rk-3');
    now += 3 * 24 * 60 * MINUTE; // the 48-hour window has closed and the key's 24 hours are over
    await relink();
    expect(await send('acted, then days', 'rk-3')).toMatchObject({ text: 'acted, then days' });
    expect(sentTexts('acted, then days')).toBe(1);
    expect(calls.sendMessage).toBe(1);
  });

  it('the sweep parks a send of a link that went reauth_required (never fails it), and the retry after re-link looks', async () => {
    plan.sendMessage = ['act-then-lose'];
    await failure(send('swept while reauth', 'rk-4'));
    state.links.lnk_test = { ...state.links.lnk_test!, status: 'reauth_required' };
    now += MINUTE + 1;
    expect(await service.resumeSends()).toBe(0);
    expect(await service.resumeSends()).toBe(0); // parked: not taken again and again
    expect(record('rk-4')).toMatchObject({ status: 'sending', lease_until: null, attempts: 1 });
    await relink();
    await send('swept while reauth', 'rk-4');
    expect(sentTexts('swept while reauth')).toBe(1);
    expect(calls.sendMessage).toBe(1);
  });

  it('the same key with another text (from another session after an unlink) is refused, never sent as the first', async () => {
    plan.sendMessage = ['act-then-lose'];
    await failure(send('first text', 'rk-5'));
    state.sessions.sess_other = { ...state.sessions.sess_test!, token: 'sess_other' };
    const other = createServiceClient({
      baseUrl: BASE,
      fetch: (input, init) => service.handle(new Request(input, init)),
      token: 'sess_other',
      maxRetries: 0,
    });
    const e = await failure(other.sendMessage('lnk_test', maya().conversation_id, { text: 'second text' }, 'rk-5'));
    expect(e).toMatchObject({ code: 'invalid_params', extra: { details: { field: 'Idempotency-Key' } } });
    expect(sentTexts('second text')).toBe(0);
  });
});

describe('grants', () => {
  it('refreshes a grant about to expire before calling TikTok, and keeps the new one', async () => {
    setup((g) => ({ ...g, access_expires_at: now + 2 * MINUTE }));
    plan.refresh = [];
    const sim = tiktok.refresh;
    tiktok.refresh = async (g) => ({
      ...(await sim(g)),
      access_token: 'fresh',
      access_expires_at: now + 24 * 60 * MINUTE,
    });
    await client().listConversations('lnk_test');
    expect(state.links.lnk_test!.grant).toMatchObject({ access_token: 'fresh' });
    await client().listConversations('lnk_test');
    expect(calls.refresh).toBe(1);
  });

  it('on token_expired refreshes once and retries the call', async () => {
    setup();
    plan.conversation = [new TikTokError('token_expired', 'access_token expired')];
    expect((await client().listMessages('lnk_test', maya().conversation_id)).items.length).toBeGreaterThan(0);
    expect(calls.refresh).toBe(1);
  });

  it('a refused refresh makes the link reauth_required, with its event', async () => {
    setup((g) => ({ ...g, access_expires_at: now + MINUTE }));
    plan.refresh = [new TikTokError('invalid_grant', 'refresh_token is invalid')];
    expect((await failure(client().listConversations('lnk_test'))).code).toBe('reauth_required');
    expect(state.links.lnk_test!.status).toBe('reauth_required');
    expect(state.events.at(-1)).toMatchObject({
      type: 'link.status_changed',
      link_id: 'lnk_test',
      summary: '@alex.rivera is now reauth required',
    });
    expect((await client().getLink('lnk_test')).capabilities).toMatchObject({
      messages: false,
      comments: false,
      follow: false,
    });
  });
});

describe('verification', () => {
  beforeEach(() => setup());

  it('counts parallel guesses of a code one after the other: 5 wrong ones lock it, whatever arrives at once', async () => {
    const c = createServiceClient({
      baseUrl: BASE,
      fetch: (input, init) => service.handle(new Request(input, init)),
      maxRetries: 0,
    });
    const v = await c.linkStart('guess.me@gmail.com');
    const code = /^(\d{6})/.exec(state.mailbox[0]!.subject)![1]!;
    const wrong = code === '000000' ? '111111' : '000000';
    const codes = (
      await Promise.all(
        Array.from({ length: 12 }, () => c.linkVerify(v.verification_id, wrong).catch((e: AppError) => e.code)),
      )
    ).sort();
    expect(codes.filter((x) => x === 'invalid_code')).toHaveLength(4);
    expect(codes.filter((x) => x === 'too_many_attempts')).toHaveLength(8);
    expect((await failure(c.linkVerify(v.verification_id, code))).code).toBe('too_many_attempts');
  });
});

describe('store and ingest', () => {
  beforeEach(() => setup());

  it('a transaction that throws leaves no write behind', async () => {
    const store = createMemoryStore(() => state);
    await expect(
      store.transaction(async (tx) => {
        await tx.sessions.put({ token: 'sess_gone', gmail: 'x@example.com', expires_at: now + MINUTE, revoked: false });
        await tx.events.append({
          event_id: 'evt_gone',
          type: 'follower.new',
          link_id: 'lnk_test',
          gmail: SEED_GMAIL,
          at: now,
          summary: 'x',
          ref: {},
        });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await store.sessions.get('sess_gone')).toBeNull();
    expect(state.events.some((e) => e.event_id === 'evt_gone')).toBe(false);
  });

  it('a follower count without names becomes an event with ref.count and unread followers', async () => {
    const before = (await client().events()).unread.followers;
    const e = await service.ingest.followerNew({ open_id: state.users['alex.rivera']!.open_id, count: 3 });
    expect(e).toMatchObject({ type: 'follower.new', summary: '3 new followers', ref: { count: 3 } });
    expect((await client().events()).unread.followers).toBe(before + 3);
  });
});
