/**
 * The sandbox's whole state, plain JSON so it can be persisted as is: the simulated TikTok's world (accounts,
 * conversations, comments, follows, advertisers, sign-in codes, the mailbox of emails "sent"), the service's tables
 * (kept by the in-memory Store: memory-store.ts) and the test machinery (clock offset, profile, faults, request log);
 * and the seeds a fresh sandbox starts with. Times are epoch milliseconds of the sandbox clock.
 */
import type { Permission } from '../api/schemas';
import type {
  AccountType,
  AdvertiserRole,
  AuthorizationStatus,
  AuthorizationRecord,
  Email,
  EventRecord,
  IdempotencyRecord,
  LinkRecord,
  OAuthAttemptRecord,
  SendRecord,
  SessionRecord,
  TikTokGrant,
  UnreadRecord,
  VerificationRecord,
} from '../service/ports';

export const STATE_VERSION = 2;

/** `simulated`: every rule of the API; `tiktok-like`: only what a deployment on TikTok's real APIs can do (POST /sandbox/profile). */
export const PROFILES = ['simulated', 'tiktok-like'] as const;
export type Profile = (typeof PROFILES)[number];

/* ---------------- the simulated TikTok ---------------- */

export interface TikTokUser {
  open_id: string;
  username: string;
  display_name: string;
  avatar_url: string;
  account_type: AccountType;
  /** The email on the TikTok account (what the Gmail address must match to link it, in the `simulated` profile). */
  email: string;
  /** Offered on the sandbox sign-in page (accounts "signed in on this device"). */
  signin: boolean;
  videos: string[];
}

export interface MessageRec {
  message_id: string;
  direction: 'in' | 'out';
  text: string;
  sent_at: number;
}

export interface ConversationRec {
  conversation_id: string;
  /** The TikTok account it belongs to (our user). */
  owner: string;
  /** The other TikTok user. */
  participant: string;
  messages: MessageRec[];
}

export interface CommentRec {
  comment_id: string;
  /** Owner of the video. */
  owner: string;
  video_id: string;
  parent_comment_id: string | null;
  username: string;
  text: string;
  created_at: number;
  status: 'published' | 'pending_review' | 'hidden';
}

export interface FollowRec {
  follower: string;
  username: string;
  at: number;
}

export interface AdvertiserRec {
  advertiser_id: string;
  name: string;
  /** The role of every Gmail user not listed in `roles`; null = no access. */
  default_role: AdvertiserRole | null;
  /** Per Gmail user, overriding `default_role` (null = no access); set with `POST /sandbox/roles`. */
  roles: Record<string, AdvertiserRole | null>;
}

/** A code the sign-in page gave back (TikTok's authorization code), bound to the attempt's redirect URI and PKCE verifier. */
export interface SignInCode {
  code: string;
  username: string;
  scopes: string[];
  redirect_uri: string;
  code_verifier: string | null;
  expires_at: number;
}

/** An email the sandbox "sent": kept in its mailbox with an id and the time. */
export interface MailboxEmail extends Email {
  id: string;
  sent_at: string;
}

/* ---------------- test machinery ---------------- */

export interface FaultPlan {
  remaining: number;
  kinds: FaultKind[];
  delay_ms: number;
  path_prefix: string;
  served: number;
}
export const FAULT_KINDS = ['5xx', '502', '429', 'drop', 'delay', 'malformed', 'schema'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface RequestLogRec {
  at: number;
  method: string;
  path: string;
  idempotency_key: string | null;
  status: number;
  fault: FaultKind | null;
  replayed: boolean;
}

export type AuthorizationRec = AuthorizationRecord;

export interface SandboxState {
  version: number;
  clock_offset_ms: number;
  seq: number;
  profile: Profile;
  /* the simulated TikTok */
  users: Record<string, TikTokUser>;
  conversations: Record<string, ConversationRec>;
  comments: Record<string, CommentRec>;
  follows: FollowRec[];
  advertisers: Record<string, AdvertiserRec>;
  signin_codes: Record<string, SignInCode>;
  mailbox: MailboxEmail[];
  /* the service's tables (memory-store.ts) */
  verifications: Record<string, VerificationRecord>;
  /** Times of `link/start` per email, for its rate limit. */
  link_starts: Record<string, number[]>;
  sessions: Record<string, SessionRecord>;
  oauth: Record<string, OAuthAttemptRecord>;
  links: Record<string, LinkRecord>;
  idempotency: Record<string, IdempotencyRecord>;
  events: EventRecord[];
  unread: UnreadRecord[];
  sends: Record<string, SendRecord>;
  authorizations: Record<string, AuthorizationRecord>;
  /* test machinery */
  faults: FaultPlan | null;
  requests: RequestLogRec[];
}

/* ---------------- ids ---------------- */

const HEX = '0123456789abcdef';
export function randomHex(n: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(n));
  return Array.from(bytes, (b) => HEX[b % 16]).join('');
}
export function randomDigits(n: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(n));
  return Array.from(bytes, (b) => String(b % 10)).join('');
}
/** A prefixed opaque id, unique within the state. */
export function nextId(state: SandboxState, prefix: string): string {
  state.seq += 1;
  return `${prefix}_${state.seq.toString(36)}${randomHex(8)}`;
}
/** TikTok-style 19-digit numeric id (videos, comments). */
export const numericId = () => `7${randomDigits(18)}`;
export const iso = (ms: number) => new Date(ms).toISOString();

/* ---------------- seeds ---------------- */

export const SEED_GMAIL = 'alex.rivera.demo@gmail.com';
const AVATAR = (u: string) => `https://p16-sign.tiktokcdn-us.com/tos-useast5-avt-0068-tx/${u}~c5_100x100.jpeg`;

function user(
  username: string,
  display_name: string,
  email: string,
  account_type: AccountType,
  signin: boolean,
  videos: string[] = [],
): TikTokUser {
  return {
    open_id: `-000${randomHex(6)}-${username.replace(/[^a-z0-9]/gi, '')}`,
    username,
    display_name,
    avatar_url: AVATAR(username),
    account_type,
    email,
    signin,
    videos,
  };
}

/** Video ids of the seed accounts (fixed so fixtures and tests can name them). */
export const SEED_VIDEOS = {
  alex: ['7301234567890123456', '7301234567890123457', '7301234567890123458'],
  riveracreates: ['7302234567890123456'],
} as const;

const HOUR = 3_600_000;

/** The seed world: accounts, a linked account, conversations, comments, follows, advertisers and Ads history. */
export function seedState(now: number): SandboxState {
  const state = emptyState(seedUsers());
  seedActivity(state, now);
  seedAds(state, now);
  return state;
}

function seedUsers(): TikTokUser[] {
  return [
    // The Gmail user's own TikTok accounts, offered on the sign-in page.
    user('alex.rivera', 'Alex Rivera', SEED_GMAIL, 'personal', true, [...SEED_VIDEOS.alex]),
    user('riveracreates', 'Rivera Creates', SEED_GMAIL, 'business', true, [...SEED_VIDEOS.riveracreates]),
    user('alex.rivera.music', 'Alex Rivera Music', 'bookings.alexrivera@outlook.com', 'business', true), // email differs → email_mismatch
    user('alexr.cooks', 'Alex Cooks', SEED_GMAIL, 'personal', true), // linked to another Gmail → already_linked
    // Other TikTok users.
    user('maya.creates', 'Maya Chen', 'maya.chen@example.com', 'personal', false, ['7303234567890123456']),
    user('jordan_films', 'Jordan Blake', 'jordan@example.com', 'business', false, ['7304234567890123456']),
    user('sam.eats', 'Sam Okafor', 'sam@example.com', 'personal', false),
    user('lina.travels', 'Lina Haddad', 'lina@example.com', 'personal', false),
    user('coffeelab.co', 'Coffee Lab', 'hello@coffeelab.example', 'business', false),
    user('dev.kim', 'Devon Kim', 'devon@example.com', 'personal', false),
  ];
}

function emptyState(users: TikTokUser[]): SandboxState {
  return {
    version: STATE_VERSION,
    clock_offset_ms: 0,
    seq: 0,
    profile: 'simulated',
    users: Object.fromEntries(users.map((u) => [u.username, u])),
    conversations: {},
    comments: {},
    follows: [],
    advertisers: {},
    signin_codes: {},
    mailbox: [],
    verifications: {},
    link_starts: {},
    sessions: {},
    oauth: {},
    links: {},
    idempotency: {},
    events: [],
    unread: [],
    sends: {},
    authorizations: {},
    faults: null,
    requests: [],
  };
}

/** A linked account of another Gmail address, and alex.rivera's conversations, comments and followers (some unread). */
function seedActivity(state: SandboxState, now: number): void {
  seedOtherLink(state, now);
  seedConversations(state, now);
  seedComments(state, now);
  seedFollows(state, now);
}

/** `count` unread items of one kind on the account of `username` (none when count is 0). */
function seedUnread(state: SandboxState, username: string, kind: UnreadRecord['kind'], ref: string, count: number) {
  if (count > 0) state.unread.push({ open_id: state.users[username]!.open_id, kind, ref, count });
}

/** alexr.cooks is already linked to another Gmail address. */
function seedOtherLink(state: SandboxState, now: number): void {
  const other = nextId(state, 'lnk');
  const cooks = state.users['alexr.cooks']!;
  state.links[other] = {
    link_id: other,
    gmail: 'alex.r.cooks@gmail.com',
    status: 'active',
    tiktok: profileOf(cooks),
    grant: simulatedGrant(cooks, SCOPES),
    linked_at: now - 90 * 24 * HOUR,
    updated_at: now - 90 * 24 * HOUR,
  };
}

/** Conversations of alex.rivera: one open window, one about to close, one expired, one at its quota. */
function seedConversations(state: SandboxState, now: number): void {
  const convo = (
    participant: string,
    owner: string,
    messages: [dir: 'in' | 'out', hoursAgo: number, text: string][],
    unreadCount: number,
  ) => {
    const id = nextId(state, 'cnv');
    state.conversations[id] = {
      conversation_id: id,
      owner,
      participant,
      messages: messages.map(([direction, h, text]) => ({
        message_id: nextId(state, 'msg'),
        direction,
        text,
        sent_at: now - h * HOUR,
      })),
    };
    seedUnread(state, owner, 'messages', id, unreadCount);
  };
  convo(
    'maya.creates',
    'alex.rivera',
    [
      ['in', 30, 'Hey Alex! Loved your latte art video ☕'],
      ['out', 29, 'Thank you so much!'],
      ['in', 2, 'Would you be up for a collab next week?'],
    ],
    1,
  );
  convo('jordan_films', 'alex.rivera', [['in', 47, 'Can I use your clip in my travel montage? I will credit you.']], 1);
  convo(
    'sam.eats',
    'alex.rivera',
    [
      ['in', 80, 'What grinder do you use?'],
      ['out', 79, 'A Comandante C40!'],
    ],
    0,
  );
  convo(
    'dev.kim',
    'alex.rivera',
    [
      ['in', 5, 'Are you selling the beans from the video?'] as ['in', number, string],
      ...Array.from({ length: 10 }, (_, i) => ['out', 4 - i * 0.1, `Follow-up ${i + 1}`] as ['out', number, string]),
    ],
    0,
  );
}

/** Comments on alex.rivera's videos (and one on riveracreates'), with alex's reply to the first. */
function seedComments(state: SandboxState, now: number): void {
  const comment = (
    owner: string,
    video_id: string,
    username: string,
    text: string,
    hoursAgo: number,
    parent: string | null = null,
  ) => {
    const id = numericId();
    state.comments[id] = {
      comment_id: id,
      owner,
      video_id,
      parent_comment_id: parent,
      username,
      text,
      created_at: now - hoursAgo * HOUR,
      status: 'published',
    };
    if (parent === null) seedUnread(state, owner, 'comments', id, 1);
    return id;
  };
  const [v1, v2] = SEED_VIDEOS.alex;
  const c1 = comment('alex.rivera', v1, 'maya.creates', 'This is so satisfying to watch 😍', 6);
  comment('alex.rivera', v1, 'alex.rivera', 'Thank you Maya!', 5, c1);
  comment('alex.rivera', v1, 'lina.travels', 'Which café is this? I need to visit', 3);
  comment('alex.rivera', v2, 'jordan_films', 'The lighting in this one 🔥', 20);
  comment('riveracreates', SEED_VIDEOS.riveracreates[0], 'coffeelab.co', 'We would love to feature this!', 10);
}

/** alex.rivera's followers (one unread); alex follows maya already. */
function seedFollows(state: SandboxState, now: number): void {
  state.follows.push({ follower: 'lina.travels', username: 'alex.rivera', at: now - 12 * HOUR });
  seedUnread(state, 'alex.rivera', 'followers', 'lina.travels', 1);
  state.follows.push({ follower: 'alex.rivera', username: 'maya.creates', at: now - 200 * HOUR });
}

/** Advertisers (one per role, and an outside brand) and an authorization history for the admin one. */
function seedAds(state: SandboxState, now: number): void {
  // Advertisers: every Gmail user is admin of the first, operator of the second, analyst of the third.
  const adv = (advertiser_id: string, name: string, default_role: AdvertiserRec['default_role']) => {
    state.advertisers[advertiser_id] = { advertiser_id, name, default_role, roles: {} };
  };
  adv('7301000000000000001', 'Rivera Coffee Co.', 'admin');
  adv('7301000000000000002', 'Northwind Outdoor Gear', 'operator');
  adv('7301000000000000003', 'Lumen Analytics Agency', 'analyst');
  adv('7301000000000000004', 'Sunset Skincare', null); // an outside brand that asks our user for authorization

  // An authorization history for the admin advertiser.
  const auth = (
    username: string,
    status: AuthorizationStatus,
    requested: Permission[],
    granted: Permission[],
    daysAgo: number,
  ) => {
    const id = nextId(state, 'auth');
    const requested_at = now - daysAgo * 24 * HOUR;
    state.authorizations[id] = {
      authorization_id: id,
      advertiser_id: '7301000000000000001',
      requested_by: SEED_GMAIL,
      username,
      status,
      requested,
      granted,
      requested_at,
      decided_at: status === 'pending' ? null : requested_at + 6 * HOUR,
      expires_at: status === 'pending' ? requested_at + 7 * 24 * HOUR : null,
    };
  };
  auth('coffeelab.co', 'authorized', ['spark_ads', 'analytics'], ['spark_ads', 'analytics'], 20);
  auth('maya.creates', 'pending', ['spark_ads'], [], 2);
  auth('jordan_films', 'rejected', ['spark_ads', 'live'], [], 9);
}

/** The account as the service shows it. */
export const profileOf = (u: TikTokUser) => ({
  open_id: u.open_id,
  username: u.username,
  display_name: u.display_name,
  avatar_url: u.avatar_url,
  account_type: u.account_type,
});

/** A simulated TikTok grant: its access token names the account and never expires (the sandbox has no refresh to test). */
export function simulatedGrant(u: TikTokUser, scopes: string[]): TikTokGrant {
  return {
    open_id: u.open_id,
    scopes: [...scopes],
    access_token: `sim.${u.open_id}.${randomHex(16)}`,
    access_expires_at: 8.64e15,
    refresh_token: null,
    refresh_expires_at: null,
  };
}

/** The TikTok scopes the service asks for; `user.info.basic` is required, the user may untick the others. */
export const SCOPES = [
  'user.info.basic',
  'user.info.profile',
  'video.list',
  'comment.list',
  'comment.reply',
  'direct_message.read',
  'direct_message.send',
  'follow.write',
];

/** "sam.lee_99" → "Sam Lee 99": how a new account's display name reads. */
export function displayNameOf(handle: string): string {
  const words = handle.split(/[._\-+]+/).filter(Boolean);
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ') || handle;
}

/** The account a new Gmail address can sign in with when no TikTok account has its email: created on demand. */
export function accountFor(state: SandboxState, gmail: string): TikTokUser {
  const existing = Object.values(state.users).find((u) => u.email === gmail && u.signin);
  if (existing) return existing;
  const base =
    (gmail.split('@')[0] ?? 'user')
      .replace(/[^A-Za-z0-9_.]/g, '')
      .replace(/\.+$/, '')
      .slice(0, 20)
      .toLowerCase() || 'user';
  let username = base.length >= 2 ? base : `${base}_tt`;
  for (let i = 2; state.users[username]; i++) username = `${base.slice(0, 20)}${i}`;
  const created = user(username, displayNameOf(gmail.split('@')[0] ?? username), gmail, 'personal', true, [
    numericId(),
  ]);
  state.users[username] = created;
  return created;
}
