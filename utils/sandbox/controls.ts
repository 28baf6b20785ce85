/**
 * Test controls under `/sandbox/` (never reachable from a content script), as middleware in front of the service:
 * they act on the simulated TikTok's world (another user messages, comments, follows, likes, asks for an Ads
 * authorization; the owner decides in TikTok; roles), tell the service what TikTok would (`service.ingest`), run the
 * sandbox's TikTok sign-in page (`oauth/accounts`, `oauth/decide`), and steer the sandbox itself: `reset`, `clock`,
 * `faults`, `profile` (`simulated` | `tiktok-like`), `reauth`, `mailbox`, `inspect`.
 */
import { z } from 'zod';
import { AdvertiserRole, isValidUsername, Permission } from '../api/schemas';
import { iso, parseBody, type Ctx, type Ports } from '../service/context';
import { bearer, errorReply, okReply, parseJsonBody, toResponse } from '../service/http';
import { ServiceError, invalidField } from '../service/errors';
import type { EventView, Service } from '../service/index';
import { views as authorizationViews } from '../service/ads';
import { linkView } from '../service/links';
import { openAttempt } from '../service/oauth';
import type { Email, TikTok } from '../service/ports';
import {
  codeEmail,
  commentEmail,
  followerEmail,
  likeEmail,
  liveEmail,
  messageEmail,
  securityEmail,
  type ActivityMail,
} from './emails';
import { deliver } from './mailbox';
import {
  accountFor,
  displayNameOf,
  FAULT_KINDS,
  nextId,
  numericId,
  PROFILES,
  randomDigits,
  randomHex,
  SCOPES,
  seedState,
  type MailboxEmail,
  type SandboxState,
  type TikTokUser,
} from './state';

export const SIMULATE_TYPES = [
  'message',
  'comment',
  'mention',
  'follower',
  'like',
  'live',
  'ads_request',
  'security',
  'code',
] as const;

export interface ControlCtx extends Ctx {
  state: SandboxState;
  service: Service;
  tiktok: TikTok;
  /** Real time (without the sandbox clock's offset). */
  realNow: number;
}

type Control = { method: string; pattern: RegExp; run: (ctx: ControlCtx) => Promise<unknown> };
const control = (method: string, path: string, run: (ctx: ControlCtx) => Promise<unknown>): Control => ({
  method,
  pattern: new RegExp(`^${path.replace(/:[a-z_]+/g, '([^/]+)')}$`),
  run,
});

const SimulateBody = z.object({
  type: z.enum(SIMULATE_TYPES),
  to_gmail: z.string().trim().toLowerCase().min(3),
  from_username: z.string().optional(),
  text: z.string().min(1).max(6000).optional(),
  video_id: z.string().optional(),
  advertiser_id: z.string().optional(),
  permissions: z.array(Permission).min(1).optional(),
  /** `type: code` only: the 6 digits (random by default). */
  code: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});

/** A TikTok login code email (`type: code`) is valid this long, like the link flow's codes. */
const LOGIN_CODE_MINUTES = 10;

const DEFAULT_TEXT = {
  message: 'Hey! Are you free for a quick collab this week?',
  comment: 'This is amazing, how did you do that? 😍',
  mention: 'You have to see this one!',
};

/** The other TikTok user (created on the fly for a new valid username). */
function otherUser(ctx: ControlCtx, username: string | undefined): TikTokUser {
  const name = (username ?? 'maya.creates').replace(/^@/, '');
  if (!isValidUsername(name))
    throw new ServiceError('invalid_username', `"${name}" is not a TikTok username.`, {
      details: { field: 'from_username' },
    });
  const found = ctx.state.users[name];
  if (found) return found;
  const created: TikTokUser = {
    open_id: `-000${nextId(ctx.state, 'oid')}`,
    username: name,
    display_name: displayNameOf(name),
    avatar_url: `https://p16-sign.tiktokcdn-us.com/tos-useast5-avt-0068-tx/${name}~c5_100x100.jpeg`,
    account_type: 'personal',
    email: `${name.replace(/\./g, '')}@example.com`,
    signin: false,
    videos: [numericId()],
  };
  ctx.state.users[name] = created;
  return created;
}

type SimulateType = (typeof SIMULATE_TYPES)[number];

/** One simulated activity: the request, our user's account (`owner`), the other user, and how its email goes out. */
interface Scene {
  ctx: ControlCtx;
  body: z.infer<typeof SimulateBody>;
  owner: TikTokUser;
  from: TikTokUser;
  mail: ActivityMail;
  tiktokLike: boolean;
  send: (email: Email) => MailboxEmail;
}

/** What the service made of it (no event for what TikTok does not tell it) and the email TikTok sent. */
interface Simulated {
  event: EventView | null;
  email: MailboxEmail;
}

/** The video it is about: `video_id` (added to the owner's videos if new), else the owner's first (one made if none). */
function sceneVideo({ body, owner }: Scene): string {
  if (!owner.videos.length) owner.videos.push(numericId());
  const video_id = body.video_id ?? owner.videos[0]!;
  if (!owner.videos.includes(video_id)) owner.videos.push(video_id);
  return video_id;
}

/** A direct message, added to their conversation (opened if new). */
async function simulateMessage({ ctx, body, owner, from, mail, send }: Scene): Promise<Simulated> {
  const { state, now } = ctx;
  const text = body.text ?? DEFAULT_TEXT.message;
  let c = Object.values(state.conversations).find((x) => x.owner === owner.username && x.participant === from.username);
  if (!c) {
    c = { conversation_id: nextId(state, 'cnv'), owner: owner.username, participant: from.username, messages: [] };
    state.conversations[c.conversation_id] = c;
  }
  c.messages.push({ message_id: nextId(state, 'msg'), direction: 'in', text, sent_at: now });
  const event = await ctx.service.ingest.messageReceived({
    open_id: owner.open_id,
    conversation_id: c.conversation_id,
    username: from.username,
  });
  return { event, email: send(messageEmail(mail, text)) };
}

/** A comment on one of the owner's videos, or (`mention`) one that names the owner. */
async function simulateComment(scene: Scene, mention: boolean): Promise<Simulated> {
  const { ctx, body, owner, from, mail, send } = scene;
  const text = body.text ?? (mention ? `@${owner.username} ${DEFAULT_TEXT.mention}` : DEFAULT_TEXT.comment);
  const video_id = sceneVideo(scene);
  const id = numericId();
  ctx.state.comments[id] = {
    comment_id: id,
    owner: owner.username,
    video_id,
    parent_comment_id: null,
    username: from.username,
    text,
    created_at: ctx.now,
    status: 'published',
  };
  const event = await ctx.service.ingest.commentReceived({
    open_id: owner.open_id,
    comment_id: id,
    username: from.username,
    mention,
  });
  return { event, email: send(commentEmail(mail, text, video_id, mention)) };
}

/** A new follower (recorded once). */
async function simulateFollower({ ctx, owner, from, mail, tiktokLike, send }: Scene): Promise<Simulated> {
  const { state } = ctx;
  if (!state.follows.some((f) => f.follower === from.username && f.username === owner.username))
    state.follows.push({ follower: from.username, username: owner.username, at: ctx.now });
  // A real TikTok tells only how many followers are new; its email still names them.
  const event = await ctx.service.ingest.followerNew({
    open_id: owner.open_id,
    ...(tiktokLike ? { count: 1 } : { username: from.username }),
  });
  return { event, email: send(followerEmail(mail)) };
}

/** A like on one of the owner's videos. */
async function simulateLike(scene: Scene): Promise<Simulated> {
  const { ctx, body, owner, from, mail, tiktokLike, send } = scene;
  const video_id = body.video_id ?? owner.videos[0] ?? sceneVideo(scene);
  const event = await ctx.service.ingest.likeReceived({
    open_id: owner.open_id,
    ...(tiktokLike ? { count: 1 } : { username: from.username }),
  });
  return { event, email: send(likeEmail(mail, video_id)) };
}

/** An advertiser asks the owner for an Ads authorization (the service emails the Gmail user itself). */
async function simulateAdsRequest({ ctx, body, owner }: Scene): Promise<Simulated> {
  const advertiser_id = body.advertiser_id ?? '7301000000000000004';
  if (!ctx.state.advertisers[advertiser_id])
    throw new ServiceError('not_found', 'Unknown advertiser.', { details: { field: 'advertiser_id' } });
  const { event } = await ctx.service.ingest.authorizationRequested({
    advertiser_id,
    username: owner.username,
    permissions: [...new Set(body.permissions ?? ['spark_ads', 'analytics'])],
  });
  return { event, email: ctx.state.mailbox[0]! };
}

/** One function per simulated kind. */
const SIMULATORS: Record<SimulateType, (scene: Scene) => Promise<Simulated>> = {
  message: simulateMessage,
  comment: (scene) => simulateComment(scene, false),
  mention: (scene) => simulateComment(scene, true),
  follower: simulateFollower,
  like: simulateLike,
  live: async ({ mail, send }) => ({ event: null, email: send(liveEmail(mail)) }),
  security: async ({ ctx, mail, owner, send }) => ({
    event: null,
    email: send(securityEmail(ctx.now, mail.to, owner.username, owner.display_name)),
  }),
  // A login/verification code TikTok sent to this address (not one the link flow asked for: nothing to verify).
  code: async ({ body, mail, owner, send }) => ({
    event: null,
    email: send(codeEmail(mail.to, body.code ?? randomDigits(6), owner.username, LOGIN_CODE_MINUTES)),
  }),
  ads_request: simulateAdsRequest,
};

/** The kinds that need no other user (TikTok itself or an advertiser acts): `from_username` may be the owner. */
const WITHOUT_OTHER_USER: readonly SimulateType[] = ['security', 'ads_request', 'code'];

/** Another user's activity on the Gmail user's TikTok account (their first active link's, else their own account). */
async function simulate(ctx: ControlCtx): Promise<Simulated> {
  const body = parseBody(ctx, SimulateBody);
  const { state } = ctx;
  const to = body.to_gmail;
  const link = Object.values(state.links).find((l) => l.gmail === to && l.status === 'active') ?? null;
  const owner = link ? state.users[link.tiktok.username]! : accountFor(state, to);
  const from = otherUser(ctx, body.from_username);
  if (from.username === owner.username && !WITHOUT_OTHER_USER.includes(body.type)) {
    throw invalidField('from_username', 'from_username must be another account.');
  }
  return SIMULATORS[body.type]({
    ctx,
    body,
    owner,
    from,
    mail: { to, owner: owner.username, from: { username: from.username, display_name: from.display_name } },
    tiktokLike: state.profile === 'tiktok-like',
    send: (email) => deliver(state, ctx.now, email),
  });
}

const OwnerBody = z.object({ permissions: z.array(Permission).min(1).optional() });

/** The owner decides in TikTok; the service hears of it as a real deployment would (status read from TikTok). */
async function ownerDecision(ctx: ControlCtx, decision: 'approve' | 'reject') {
  const authorization_id = decodeURIComponent(ctx.params[0] ?? '');
  const permissions = decision === 'approve' ? parseBody(ctx, OwnerBody).permissions : undefined;
  return ctx.service.ingest.authorizationDecided({ authorization_id, decision, ...(permissions && { permissions }) });
}

const RoleBody = z.object({
  advertiser_id: z.string().min(1),
  gmail: z.string().trim().toLowerCase().min(3),
  role: AdvertiserRole.nullable(),
});

/** The Gmail user's role on an advertiser (null = no access), as a Business Center admin would set it. */
async function setRole(ctx: ControlCtx) {
  const b = parseBody(ctx, RoleBody);
  const adv = ctx.state.advertisers[b.advertiser_id];
  if (!adv) throw new ServiceError('not_found', 'Unknown advertiser.', { details: { field: 'advertiser_id' } });
  adv.roles[b.gmail] = b.role;
  return { advertiser_id: adv.advertiser_id, gmail: b.gmail, role: b.role };
}

const ReauthBody = z.object({ link_id: z.string().min(1) });
/** TikTok refuses the stored grant of that link from now on. */
async function forceReauth(ctx: ControlCtx) {
  const link = ctx.state.links[parseBody(ctx, ReauthBody).link_id];
  if (!link || link.status === 'revoked')
    throw new ServiceError('not_found', 'Unknown link.', { details: { field: 'link_id' } });
  await ctx.service.ingest.grantRevoked({ open_id: link.tiktok.open_id });
  return linkView(ctx.tiktok, ctx.state.links[link.link_id]!);
}

/** The accounts the sign-in page offers for one attempt (creates the account for that Gmail address if needed). */
async function oauthAccounts(ctx: ControlCtx) {
  const rec = await openAttempt(ctx, ctx.url.searchParams.get('state') ?? '');
  accountFor(ctx.state, rec.gmail);
  const accounts = Object.values(ctx.state.users)
    .filter((u) => u.signin)
    .map(({ username, display_name, avatar_url, account_type, email }) => ({
      username,
      display_name,
      avatar_url,
      account_type,
      email,
    }));
  return { gmail: rec.gmail, redirect_uri: rec.redirect_uri, accounts };
}

const DecideBody = z.object({
  state: z.string().min(1),
  username: z.string().nullable(),
  /** The scopes left ticked on the consent page (default: all); `user.info.basic` is always granted. */
  scopes: z.array(z.enum(SCOPES as [string, ...string[]])).optional(),
});

/** The user's answer on TikTok's consent page: where TikTok sends the browser (a code, or `error=access_denied`). */
async function oauthDecide(ctx: ControlCtx) {
  const body = parseBody(ctx, DecideBody);
  const rec = await openAttempt(ctx, body.state);
  const to = new URL(rec.redirect_uri);
  if (body.username === null) {
    to.searchParams.set('error', 'access_denied');
    to.searchParams.set('error_description', 'The user denied the authorization request.');
  } else {
    if (!ctx.state.users[body.username]?.signin)
      throw new ServiceError('not_found', `No TikTok account @${body.username} to sign in with.`, {
        details: { field: 'username' },
      });
    const scopes = body.scopes
      ? SCOPES.filter((s) => s === 'user.info.basic' || body.scopes!.includes(s))
      : [...SCOPES];
    const code = `code_${randomHex(24)}`;
    ctx.state.signin_codes = Object.fromEntries(
      Object.entries(ctx.state.signin_codes).filter(([, c]) => c.expires_at > ctx.now),
    );
    ctx.state.signin_codes[code] = {
      code,
      username: body.username,
      scopes,
      redirect_uri: rec.redirect_uri,
      code_verifier: rec.code_verifier,
      expires_at: rec.expires_at,
    };
    to.searchParams.set('code', code);
    to.searchParams.set('scopes', scopes.join(','));
  }
  to.searchParams.set('state', rec.state);
  return { redirect_url: to.toString() };
}

async function inspect(ctx: ControlCtx) {
  const { state, now } = ctx;
  const unread = (ref: string) =>
    state.unread.filter((u) => u.kind === 'messages' && u.ref === ref).reduce((n, u) => n + u.count, 0);
  const participant = (username: string) => {
    const u = state.users[username]!;
    return { username: u.username, display_name: u.display_name, avatar_url: u.avatar_url };
  };
  return {
    now: iso(now),
    links: Object.values(state.links).map((l) => linkView(ctx.tiktok, l)),
    conversations: Object.values(state.conversations).map((c) => ({
      conversation_id: c.conversation_id,
      participant: participant(c.participant),
      last_message_at: iso(c.messages[c.messages.length - 1]?.sent_at ?? now),
      unread_count: unread(c.conversation_id),
      owner: c.owner,
      messages: c.messages.map((m) => ({
        message_id: m.message_id,
        conversation_id: c.conversation_id,
        direction: m.direction,
        text: m.text,
        sent_at: iso(m.sent_at),
      })),
    })),
    comments: Object.values(state.comments).map((c) => ({
      ...c,
      display_name: state.users[c.username]?.display_name ?? c.username,
      created_at: iso(c.created_at),
    })),
    follows: state.follows.map((f) => ({ follower: f.follower, username: f.username, at: iso(f.at) })),
    authorizations: await authorizationViews(ctx, '', Object.values(state.authorizations)),
    users: Object.values(state.users).map(({ username, display_name, account_type, email, signin, videos }) => ({
      username,
      display_name,
      account_type,
      email,
      signin,
      videos,
    })),
    events: state.events.map((e) => ({
      event_id: e.event_id,
      type: e.type,
      link_id: e.link_id,
      at: iso(e.at),
      summary: e.summary,
      ref: e.ref,
      gmail: e.gmail,
    })),
    /** The last /v1 requests as the service saw them (method, path, Idempotency-Key, status, fault, replayed). */
    requests: state.requests.map((r) => ({ ...r, at: iso(r.at) })),
  };
}

const FaultsBody = z.object({
  count: z.number().int().min(0).max(1000),
  kinds: z.array(z.enum(FAULT_KINDS)).min(1),
  delay_ms: z.number().int().min(0).max(120_000).optional(),
  path_prefix: z.string().optional(),
});
const ClockBody = z.object({
  advance_s: z
    .number()
    .min(0)
    .max(10 * 365 * 86_400),
});
const ProfileBody = z.object({ profile: z.enum(PROFILES) });

export const controls: Control[] = [
  control('POST', '/sandbox/simulate', simulate),
  control('POST', '/sandbox/owner/:id/approve', (ctx) => ownerDecision(ctx, 'approve')),
  control('POST', '/sandbox/owner/:id/reject', (ctx) => ownerDecision(ctx, 'reject')),
  control('POST', '/sandbox/roles', setRole),
  control('POST', '/sandbox/reauth', forceReauth),
  control('GET', '/sandbox/mailbox', async (ctx) => {
    const to = ctx.url.searchParams.get('to')?.trim().toLowerCase();
    return { items: ctx.state.mailbox.filter((m) => !to || m.to === to) };
  }),
  control('GET', '/sandbox/inspect', inspect),
  control('GET', '/sandbox/oauth/accounts', oauthAccounts),
  control('POST', '/sandbox/oauth/decide', oauthDecide),
  control('POST', '/sandbox/reset', async (ctx) => {
    const fresh = seedState(ctx.realNow);
    for (const k of Object.keys(ctx.state) as (keyof SandboxState)[]) delete ctx.state[k];
    Object.assign(ctx.state, fresh);
    return { ok: true };
  }),
  control('POST', '/sandbox/clock', async (ctx) => {
    const { advance_s } = parseBody(ctx, ClockBody);
    ctx.state.clock_offset_ms += Math.round(advance_s * 1000);
    return { now: iso(ctx.realNow + ctx.state.clock_offset_ms) };
  }),
  control('GET', '/sandbox/clock', async (ctx) => ({ now: iso(ctx.now) })),
  control('POST', '/sandbox/faults', async (ctx) => {
    const b = parseBody(ctx, FaultsBody);
    ctx.state.faults =
      b.count > 0
        ? {
            remaining: b.count,
            kinds: b.kinds,
            delay_ms: b.delay_ms ?? 3000,
            path_prefix: b.path_prefix ?? '/v1/',
            served: 0,
          }
        : null;
    return { faults: ctx.state.faults };
  }),
  control('POST', '/sandbox/profile', async (ctx) => {
    ctx.state.profile = parseBody(ctx, ProfileBody).profile;
    return { profile: ctx.state.profile };
  }),
  control('GET', '/sandbox/profile', async (ctx) => ({ profile: ctx.state.profile })),
];

/** The control for `method path`, or `not_found` / `invalid_params` (known path, other method). */
function findControl(method: string, path: string): { run: Control['run']; params: string[] } {
  const found = controls.find((c) => c.method === method && c.pattern.test(path));
  if (found) return { run: found.run, params: found.pattern.exec(path)!.slice(1) };
  if (controls.some((c) => c.pattern.test(path))) throw invalidField('path', `${method} is not allowed on ${path}.`);
  throw new ServiceError('not_found', `No such endpoint: ${path}.`, { details: { field: 'path' } });
}

/** Answers a `/sandbox/` request in the service's envelope. */
export function controlLayer(env: {
  ports: Ports;
  service: Service;
  state: () => SandboxState;
  realNow: () => number;
}) {
  const { ports, service } = env;
  return async (req: Request, url: URL, bodyText: string): Promise<Response> => {
    const now = ports.clock.now();
    try {
      const body = parseJsonBody(bodyText);
      await service.expireDue();
      const { run, params } = findControl(req.method, url.pathname);
      const ctx: ControlCtx = {
        ...ports,
        service,
        state: env.state(),
        now,
        realNow: env.realNow(),
        method: req.method,
        url,
        body,
        token: bearer(req),
        idempotencyKey: null,
        params,
      };
      return toResponse(okReply(ports, now, await run(ctx)));
    } catch (e) {
      const err =
        e instanceof ServiceError
          ? e
          : new ServiceError('internal_error', `The sandbox failed: ${e instanceof Error ? e.message : String(e)}`);
      return toResponse(errorReply(ports, now, err));
    }
  };
}
