/**
 * Test controls under `/sandbox/` (never reachable from a content script): simulate another user's activity, act as
 * the account owner, advance the clock, inject faults, read the mailbox, inspect everything. `/sandbox/reset`,
 * `/sandbox/clock` and `/sandbox/faults` are handled in index.ts (they touch the sandbox itself, not TikTok).
 */
import { z } from 'zod';
import { AdvertiserRole, isValidUsername, Permission } from '../api/schemas';
import { conversationView, conversationWith, messageView, commentView } from './activity';
import { authorizationView, decide, PENDING_TTL_MS, requestFromOwner } from './ads';
import { SandboxError, param, parseBody, route, type Ctx, type Route } from './context';
import { codeEmail, commentEmail, followerEmail, likeEmail, liveEmail, messageEmail, securityEmail } from './emails';
import { addEvent, eventView } from './events';
import { linkView } from './linking';
import { accountFor, displayNameOf, nextId, numericId, randomDigits, type EventRec, type MailboxEmail, type TikTokUser } from './state';

export const SIMULATE_TYPES = ['message', 'comment', 'mention', 'follower', 'like', 'live', 'ads_request', 'security', 'code'] as const;

const SimulateBody = z.object({
  type: z.enum(SIMULATE_TYPES),
  to_gmail: z.string().trim().toLowerCase().min(3),
  from_username: z.string().optional(),
  text: z.string().min(1).max(6000).optional(),
  video_id: z.string().optional(),
  advertiser_id: z.string().optional(),
  permissions: z.array(Permission).min(1).optional(),
  /** `type: code` only: the 6 digits (random by default). */
  code: z.string().regex(/^\d{6}$/).optional(),
});

/** A TikTok login code email (`type: code`) is valid this long, like the link flow's codes. */
const LOGIN_CODE_MINUTES = 10;

const DEFAULT_TEXT: Record<string, string> = {
  message: 'Hey! Are you free for a quick collab this week?',
  comment: 'This is amazing, how did you do that? 😍',
  mention: 'You have to see this one!',
};

/** The other TikTok user (created on the fly for a new valid username). */
function otherUser(ctx: Ctx, username: string | undefined): TikTokUser {
  const name = (username ?? 'maya.creates').replace(/^@/, '');
  if (!isValidUsername(name)) throw new SandboxError('invalid_username', `"${name}" is not a TikTok username.`, { details: { field: 'from_username' } });
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

function simulate(ctx: Ctx): { event: ReturnType<typeof eventView> | null; email: MailboxEmail } {
  const b = parseBody(ctx, SimulateBody);
  const { state, now } = ctx;
  const to = b.to_gmail;
  // The account that receives it: the Gmail user's first active link, else their own TikTok account.
  const link = Object.values(state.links).find((l) => l.gmail === to && l.status === 'active') ?? null;
  const owner = link ? state.users[link.username]! : accountFor(state, to);
  const from = otherUser(ctx, b.from_username);
  if (from.username === owner.username && b.type !== 'security' && b.type !== 'ads_request' && b.type !== 'code') {
    throw new SandboxError('invalid_params', 'from_username must be another account.', { details: { field: 'from_username' } });
  }
  const mail = { to, owner: owner.username, from: { username: from.username, display_name: from.display_name } };
  let event: EventRec | null = null;
  const emit = (type: EventRec['type'], summary: string, ref: EventRec['ref']) => {
    if (link) event = addEvent(ctx, { type, link_id: link.link_id, gmail: to, summary, ref });
  };
  let email: MailboxEmail;
  switch (b.type) {
    case 'message': {
      const text = b.text ?? DEFAULT_TEXT.message!;
      const c = conversationWith(state, owner.username, from.username);
      c.messages.push({ message_id: nextId(state, 'msg'), direction: 'in', text, sent_at: now });
      c.unread_count += 1;
      emit('message.received', `@${from.username} sent you a message`, { conversation_id: c.conversation_id, username: from.username });
      email = messageEmail(state, now, mail, text);
      break;
    }
    case 'comment':
    case 'mention': {
      const mention = b.type === 'mention';
      const text = b.text ?? (mention ? `@${owner.username} ${DEFAULT_TEXT.mention}` : DEFAULT_TEXT.comment!);
      if (!owner.videos.length) owner.videos.push(numericId());
      const video_id = b.video_id ?? owner.videos[0]!;
      if (!owner.videos.includes(video_id)) owner.videos.push(video_id);
      const id = numericId();
      state.comments[id] = { comment_id: id, owner: owner.username, video_id, parent_comment_id: null, username: from.username, text, created_at: now, status: 'published', unread: true };
      emit('comment.received', mention ? `@${from.username} mentioned you in a comment` : `@${from.username} commented on your video`, { comment_id: id, username: from.username });
      email = commentEmail(state, now, mail, text, video_id, mention);
      break;
    }
    case 'follower': {
      if (!state.follows.some((f) => f.follower === from.username && f.username === owner.username)) {
        state.follows.push({ follower: from.username, username: owner.username, at: now, unread: true });
      }
      emit('follower.new', `@${from.username} started following you`, { username: from.username });
      email = followerEmail(state, now, mail);
      break;
    }
    case 'like': {
      if (!owner.videos.length) owner.videos.push(numericId());
      const video_id = b.video_id ?? owner.videos[0]!;
      emit('like.received', `@${from.username} liked your video`, { username: from.username });
      email = likeEmail(state, now, mail, video_id);
      break;
    }
    case 'live':
      email = liveEmail(state, now, mail);
      break;
    case 'security':
      email = securityEmail(state, now, to, owner.username, owner.display_name);
      break;
    case 'code':
      // A login/verification code TikTok sent to this address (not one the link flow asked for: nothing to verify).
      email = codeEmail(state, now, to, b.code ?? randomDigits(6), owner.username, LOGIN_CODE_MINUTES);
      break;
    case 'ads_request': {
      const advertiser_id = b.advertiser_id ?? '7301000000000000004';
      if (!state.advertisers[advertiser_id]) throw new SandboxError('not_found', 'Unknown advertiser.', { details: { field: 'advertiser_id' } });
      const open = Object.values(state.authorizations).find(
        (a) => a.advertiser_id === advertiser_id && a.username === owner.username && (a.status === 'pending' || a.status === 'authorized'),
      );
      if (open) throw new SandboxError('duplicate_request', 'That advertiser already has an open authorization for this account.', { details: { authorization_id: open.authorization_id } });
      const a = {
        authorization_id: nextId(state, 'auth'),
        advertiser_id,
        requested_by: null,
        username: owner.username,
        status: 'pending' as const,
        requested: [...new Set(b.permissions ?? (['spark_ads', 'analytics'] as const))],
        granted: [],
        requested_at: now,
        decided_at: null,
        expires_at: now + PENDING_TTL_MS,
      };
      state.authorizations[a.authorization_id] = a;
      const before = state.events.length;
      requestFromOwner(ctx, a);
      event = state.events.length > before ? state.events[state.events.length - 1]! : null;
      email = state.mailbox[0]!;
      break;
    }
  }
  const e = event as EventRec | null;
  return { event: e ? eventView(e) : null, email };
}

const OwnerBody = z.object({ permissions: z.array(Permission).min(1).optional() });

function ownerDecision(ctx: Ctx, decision: 'approve' | 'reject') {
  const a = ctx.state.authorizations[param(ctx, 0)];
  if (!a) throw new SandboxError('not_found', 'Unknown authorization.', { details: { field: 'authorization_id' } });
  return decide(ctx, a, decision, decision === 'approve' ? parseBody(ctx, OwnerBody).permissions : undefined);
}

const RoleBody = z.object({ advertiser_id: z.string().min(1), gmail: z.string().trim().toLowerCase().min(3), role: AdvertiserRole.nullable() });

/** Control: the Gmail user's role on an advertiser (null = no access), as a Business Center admin would set it. */
function setRole(ctx: Ctx) {
  const b = parseBody(ctx, RoleBody);
  const adv = ctx.state.advertisers[b.advertiser_id];
  if (!adv) throw new SandboxError('not_found', 'Unknown advertiser.', { details: { field: 'advertiser_id' } });
  adv.roles[b.gmail] = b.role;
  return { advertiser_id: adv.advertiser_id, gmail: b.gmail, role: b.role };
}

function mailbox(ctx: Ctx) {
  const to = ctx.url.searchParams.get('to')?.trim().toLowerCase();
  return { items: ctx.state.mailbox.filter((m) => !to || m.to === to) };
}

function inspect(ctx: Ctx) {
  const { state, now } = ctx;
  return {
    now: new Date(now).toISOString(),
    links: Object.values(state.links).map((l) => linkView(state, l)),
    conversations: Object.values(state.conversations).map((c) => ({
      ...conversationView(state, c, now),
      owner: c.owner,
      messages: c.messages.map((m) => messageView(c, m)),
    })),
    comments: Object.values(state.comments).map((c) => ({ ...commentView(state, c), owner: c.owner })),
    follows: state.follows.map((f) => ({ follower: f.follower, username: f.username, at: new Date(f.at).toISOString() })),
    authorizations: Object.values(state.authorizations).map((a) => authorizationView(state, a)),
    users: Object.values(state.users).map(({ username, display_name, account_type, email, signin, videos }) => ({ username, display_name, account_type, email, signin, videos })),
    events: state.events.map((e) => ({ ...eventView(e), gmail: e.gmail })),
    /** The last /v1 requests as the service saw them (method, path, Idempotency-Key, status, fault, replayed). */
    requests: state.requests.map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
  };
}

export const controlRoutes: Route[] = [
  route('POST', '/sandbox/simulate', simulate),
  route('POST', '/sandbox/owner/:id/approve', (ctx) => ownerDecision(ctx, 'approve')),
  route('POST', '/sandbox/owner/:id/reject', (ctx) => ownerDecision(ctx, 'reject')),
  route('POST', '/sandbox/roles', setRole),
  route('GET', '/sandbox/mailbox', mailbox),
  route('GET', '/sandbox/inspect', inspect),
];
