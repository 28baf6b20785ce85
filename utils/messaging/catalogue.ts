/**
 * Every message a context may send to the background worker, with who may send it.
 *
 * - `page`:  the extension's own pages (popup, options, ads and review pages), trusted.
 * - `gmail`: the content script in a https://mail.google.com tab. The Gmail page can be compromised, so
 *            gmail messages never return secrets and never approve, unlink, link or change the service, and never
 *            read conversation text, drafts or the outbox (those are the composer frame's).
 * - `frame`: our composer page (inline-frame.html) framed in a Gmail tab. Its code is ours and the page cannot script
 *            it, but what it is told comes from that tab: it acts only for the account that tab reported, and learns
 *            what it shows from the background (`inlineFrameClaim`), never from the page.
 *
 * The request schema is parsed on arrival in the background (a message that fails it is refused), the
 * response schema is the type the caller gets back inside a `Result`.
 */
import { z } from 'zod';
import {
  Advertiser,
  Authorization,
  AuthorizationStatus,
  Comment,
  Conversation,
  Link,
  NotificationSettings,
  NotificationSettingsPatch,
  LinkStatus,
  Message,
  Permission,
  ReplyWindow,
  ServiceInfo,
  Unread,
  Verification,
} from '../api/schemas';

export type SenderKind = 'page' | 'gmail' | 'frame';

const def = <Req extends z.ZodType, Res extends z.ZodType>(from: SenderKind[], request: Req, response: Res) => ({
  from,
  request,
  response,
});

const gmailAddress = z.string().trim().min(3).max(320);
const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });
const username = z.string().trim().min(1).max(64);

/* ---------- outbox (durable replies) ---------- */
export const ReplyTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), username, conversation_id: z.string().min(1).max(200) }),
  z.object({
    kind: z.literal('comment'),
    username,
    comment_id: z.string().min(1).max(200),
    video_id: z.string().max(40).optional(),
  }),
]);
export type ReplyTarget = z.infer<typeof ReplyTarget>;

export const OutboxStatus = z.enum(['queued', 'sending', 'sent', 'draft']);
export const OutboxEntry = z.object({
  entry_id: z.string(),
  gmail: z.string(),
  target: ReplyTarget,
  text: z.string(),
  idempotency_key: z.string(),
  status: OutboxStatus,
  attempts: z.number().int().nonnegative(),
  next_attempt_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  /**
   * Why a `draft` was refused for good, or the last transient failure of a `queued` entry. A `not_supported` refusal
   * (API 1.1) keeps the service's way to do it by hand (`fallback_url`, a tiktok.com page).
   */
  error: z.object({ code: z.string(), message: z.string(), fallback_url: z.string().url().optional() }).nullable(),
  /** What the service returned once `sent`. */
  result: z
    .object({
      id: z.string(),
      sent_at: z.string(),
      comment_status: z.enum(['published', 'pending_review', 'hidden']).optional(),
      reply_window: ReplyWindow.optional(),
    })
    .nullable(),
});
export type OutboxEntry = z.infer<typeof OutboxEntry>;

/** Key of the text a user is typing in a composer, e.g. `message:<gmail>:<username>`. */
const draftKey = z.string().min(1).max(300);

/* ---------- composer frames (inline-frame.html in a Gmail tab) ---------- */
export const InlineFrameKind = z.enum(['message', 'comment', 'mention']);
const VideoId = z.string().regex(/^\d{1,25}$/);
export const InlineFrameTarget = z.object({
  gmail: z.string(),
  kind: InlineFrameKind,
  username: z.string(),
  video_id: z.string().optional(),
  /** Whose video the comment is on (from the email's TikTok link), for Open in TikTok. */
  video_owner: z.string().optional(),
  /** True once: the user opened this composer just now (their click or key), so it takes the focus. */
  focus: z.boolean(),
});
export type InlineFrameTarget = z.infer<typeof InlineFrameTarget>;

/* ---------- link flow ---------- */
export const LinkStep = z.enum(['email', 'code', 'signin', 'linked']);
export const LinkFlow = z.object({
  gmail: z.string(),
  step: LinkStep,
  verification: Verification.nullable(),
  link: Link.nullable(),
  /** When the current code was requested: codes Gmail showed before that are old ones and not used by themselves. */
  code_sent_at: z.string().optional(),
  /** After "Change address": no new code for this address before then (the Resend countdown of the last one). */
  next_code_at: z.string().optional(),
  /** The last failure of a step, kept because the popup may have closed while it ran (e.g. during sign-in). */
  error: z
    .lazy(() => ResultError)
    .nullable()
    .optional(),
});
export type LinkFlow = z.infer<typeof LinkFlow>;
export const LinkHealth = z.enum(['ok', 'unlinked', 'reauth_required', 'unreachable']);
export const LinkState = z.object({ gmail: z.string(), link: Link.nullable(), health: LinkHealth });
export type LinkState = z.infer<typeof LinkState>;

/* ---------- emails from the service (issue 15) ---------- */
/** A linked Gmail address and which TikTok activity the service emails it (null: this service emails none). */
export const EmailedAccount = z.object({
  gmail: z.string(),
  username: z.string(),
  status: LinkStatus,
  notifications: NotificationSettings.nullable(),
  /** The service could not be asked just now: the last known choice. */
  stale: z.boolean(),
});
export type EmailedAccount = z.infer<typeof EmailedAccount>;

/* ---------- settings / diagnostics ---------- */
export const SelectorHealth = z.object({
  checked_at: z.string(),
  url_view: z.string(),
  matched: z.record(z.string(), z.object({ count: z.number().int(), via: z.string().nullable() })),
  ok: z.boolean(),
});
export type SelectorHealth = z.infer<typeof SelectorHealth>;

export const catalogue = {
  /* both */
  ping: def(['page', 'gmail', 'frame'], empty, z.object({ version: z.string(), mode: z.enum(['sandbox', 'service']) })),
  linkState: def(['page', 'gmail', 'frame'], z.object({ gmail: gmailAddress }), LinkState),
  /** Without `gmail`: every address the sender may act for (a Gmail tab: only its own account). */
  markRead: def(
    ['page', 'gmail'],
    z.object({ kinds: z.array(z.enum(['messages', 'comments', 'followers', 'ads'])), gmail: gmailAddress.optional() }),
    Unread,
  ),

  /* content script reports */
  /** `page_id`: random per document of the content script (where the browser gives no `documentId`). */
  reportGmailAccount: def(
    ['gmail'],
    z.object({
      gmail: gmailAddress,
      account_index: z.number().int().min(0).max(99),
      page_id: z.string().min(8).max(64),
    }),
    ok,
  ),
  reportCodes: def(
    ['gmail'],
    z.object({
      gmail: gmailAddress,
      codes: z.array(z.object({ code: z.string().regex(/^\d{6}$/), seen_at: z.string() })).max(20),
    }),
    ok,
  ),
  reportDiagnostics: def(['gmail'], SelectorHealth, ok),

  /* inline actions in Gmail */
  /**
   * The content script asks for a composer frame for one email's target: the target is pinned here, for this tab and
   * the account it reported, and the frame that claims the token first (by frame id) is the only one that gets it.
   */
  inlineFrameOpen: def(
    ['gmail'],
    z.object({
      kind: InlineFrameKind,
      username,
      video_id: VideoId.optional(),
      video_owner: username.optional(),
      focus: z.boolean(),
    }),
    z.object({ token: z.string() }),
  ),
  inlineFrameClaim: def(['frame'], z.object({ token: z.string().min(8).max(100) }), InlineFrameTarget),
  conversationContext: def(
    ['frame', 'page'],
    z.object({ gmail: gmailAddress, username }),
    z.object({ conversation: Conversation.nullable(), messages: z.array(Message) }),
  ),
  commentContext: def(
    ['frame', 'page'],
    z.object({ gmail: gmailAddress, username, video_id: z.string().max(40).optional() }),
    z.object({ comments: z.array(Comment) }),
  ),
  /** Queue a reply in the durable outbox. `client_key` makes a double click or a re-sent message a no-op. */
  sendReply: def(
    ['frame', 'page'],
    z.object({
      gmail: gmailAddress,
      target: ReplyTarget,
      text: z.string().min(1).max(6000),
      client_key: z.string().min(8).max(100),
    }),
    OutboxEntry,
  ),
  outboxList: def(['frame', 'page'], z.object({ gmail: gmailAddress.optional() }), z.array(OutboxEntry)),
  outboxRetry: def(
    ['frame', 'page'],
    z.object({ entry_id: z.string(), text: z.string().min(1).max(6000).optional() }),
    OutboxEntry,
  ),
  outboxDiscard: def(['frame', 'page'], z.object({ entry_id: z.string() }), ok),
  draftGet: def(['frame', 'page'], z.object({ key: draftKey }), z.object({ text: z.string() })),
  draftSave: def(['frame', 'page'], z.object({ key: draftKey, text: z.string().max(6000) }), ok),
  follow: def(
    ['gmail', 'page'],
    z.object({ gmail: gmailAddress, username }),
    z.object({ username: z.string(), following: z.boolean() }),
  ),
  /** Whether the linked account already follows `username` (Follow back then says "Following"). */
  followStatus: def(
    ['gmail', 'page'],
    z.object({ gmail: gmailAddress, username }),
    z.object({ username: z.string(), following: z.boolean() }),
  ),
  /** Opens one of the extension's own pages; never a URL supplied by the caller. */
  openExtensionPage: def(
    ['gmail', 'page'],
    z.object({
      page: z.enum(['link', 'review', 'ads', 'options', 'drafts']),
      gmail: gmailAddress.optional(),
      authorization_id: z.string().max(200).optional(),
      /** Review from a list row, which has no authorization id: the row's subject names the request. */
      subject: z.string().max(500).optional(),
    }),
    ok,
  ),

  /* popup: activity strip (extension pages only) */
  /** Unread TikTok activity of one Gmail address (what the badge counts for it). */
  unreadCounts: def(['page'], z.object({ gmail: gmailAddress }), Unread),
  /** Marks that kind read for `gmail` and shows its TikTok emails in the Gmail tab of that account (or a new one). */
  openActivity: def(
    ['page'],
    z.object({ gmail: gmailAddress, kind: z.enum(['messages', 'comments', 'followers']) }),
    Unread,
  ),

  /* popup: link flow (extension pages only) */
  activeGmail: def(['page'], empty, z.object({ gmail: z.string().nullable(), account_index: z.number().nullable() })),
  linkFlow: def(['page'], z.object({ gmail: gmailAddress }), LinkFlow),
  linkStart: def(['page'], z.object({ gmail: z.string().max(400) }), LinkFlow),
  linkResend: def(['page'], z.object({ gmail: gmailAddress }), LinkFlow),
  linkVerify: def(['page'], z.object({ gmail: gmailAddress, code: z.string().max(20) }), LinkFlow),
  linkSignIn: def(['page'], z.object({ gmail: gmailAddress }), LinkFlow),
  linkConfirm: def(['page'], z.object({ gmail: gmailAddress }), LinkState),
  linkCancel: def(['page'], z.object({ gmail: gmailAddress }), ok),
  unlink: def(['page'], z.object({ gmail: gmailAddress }), LinkState),
  /** The embedded sandbox's sign-in page (sandbox-signin.html): who is signing in, and the user's decision. */
  sandboxSignInInfo: def(
    ['page'],
    z.object({ state: z.string().min(1).max(200) }),
    z.object({
      gmail: z.string(),
      accounts: z.array(
        z.object({
          username: z.string(),
          display_name: z.string(),
          avatar_url: z.string(),
          account_type: z.enum(['personal', 'business']),
          email: z.string(),
        }),
      ),
    }),
  ),
  sandboxSignInDecide: def(
    ['page'],
    z.object({ state: z.string().min(1).max(200), username: z.string().max(64).nullable() }),
    ok,
  ),

  /* Ads Manager (extension pages only) */
  adsAdvertisers: def(['page'], z.object({ gmail: gmailAddress }), z.array(Advertiser)),
  adsList: def(
    ['page'],
    z.object({ gmail: gmailAddress, advertiser_id: z.string().optional(), status: AuthorizationStatus.optional() }),
    z.array(Authorization),
  ),
  adsCreate: def(
    ['page'],
    z.object({
      gmail: gmailAddress,
      advertiser_id: z.string(),
      username: z.string().max(64),
      permissions: z.array(Permission).min(1),
    }),
    Authorization,
  ),
  adsPatch: def(
    ['page'],
    z.object({ gmail: gmailAddress, authorization_id: z.string(), permissions: z.array(Permission).min(1) }),
    Authorization,
  ),
  adsResend: def(['page'], z.object({ gmail: gmailAddress, authorization_id: z.string() }), Authorization),
  adsDelete: def(['page'], z.object({ gmail: gmailAddress, authorization_id: z.string() }), Authorization),
  adsRequests: def(
    ['page'],
    z.object({ gmail: gmailAddress, status: AuthorizationStatus.optional() }),
    z.array(Authorization),
  ),
  adsApprove: def(
    ['page'],
    z.object({ gmail: gmailAddress, authorization_id: z.string(), permissions: z.array(Permission).min(1) }),
    Authorization,
  ),
  adsReject: def(['page'], z.object({ gmail: gmailAddress, authorization_id: z.string() }), Authorization),
  /** API 1.1 invite link: opens a Gmail compose window (that account) with a ready message and the request's invite link. */
  adsEmailInvite: def(['page'], z.object({ gmail: gmailAddress, authorization_id: z.string().min(1).max(200) }), ok),

  /* embedded sandbox (extension pages only; only when the service mode is the embedded sandbox) */
  /** The sandbox's mailbox for one Gmail address: what it would have emailed (codes, activity), newest first. */
  sandboxMailbox: def(['page'], z.object({ gmail: gmailAddress }), z.array(z.unknown())),
  /** A `/sandbox/<action>` test control: simulate activity, act as owner, advance the clock, inject faults, reset. */
  sandboxControl: def(
    ['page'],
    z.object({
      action: z
        .string()
        .regex(/^[a-z_]+(\/[A-Za-z0-9_.-]+)*$/)
        .max(200),
      body: z.record(z.string(), z.unknown()).default({}),
    }),
    z.unknown(),
  ),

  /* options page, popup footer, review page */
  /** What the chosen service is and can do (API 1.1 `GET /v1/service`); `info` null when it cannot be reached. */
  serviceInfo: def(['page'], empty, z.object({ mode: z.enum(['sandbox', 'service']), info: ServiceInfo.nullable() })),
  serviceTest: def(
    ['page'],
    z.object({ base_url: z.string().url().optional() }),
    z.object({ latency_ms: z.number(), mode: z.enum(['sandbox', 'service']), info: ServiceInfo.nullable().optional() }),
  ),
  pollNow: def(['page'], empty, Unread),
  /** Options → Emails from the service: per linked address, which activity the service emails (read fresh). */
  emailNotifications: def(
    ['page'],
    empty,
    z.object({ reply_by_email: z.boolean(), accounts: z.array(EmailedAccount) }),
  ),
  /** Turns emailed kinds on or off for one linked address (`PATCH /v1/links/{id}/notifications`). */
  emailNotificationsSet: def(
    ['page'],
    z.object({
      gmail: gmailAddress,
      changes: NotificationSettingsPatch.refine((c) => Object.keys(c).length > 0, 'Nothing to change.'),
    }),
    EmailedAccount,
  ),
  exportData: def(
    ['page'],
    empty,
    z.object({
      exported_at: z.string(),
      settings: z.unknown(),
      outbox: z.array(OutboxEntry),
      drafts: z.record(z.string(), z.string()),
    }),
  ),
  clearAll: def(['page'], empty, ok),
  diagnostics: def(
    ['page'],
    empty,
    z.object({
      version: z.string(),
      mode: z.string(),
      service: z.string(),
      gmail: SelectorHealth.nullable(),
      report: z.string(),
    }),
  ),
} as const;

export type Catalogue = typeof catalogue;
export type MessageName = keyof Catalogue;
export type RequestOf<K extends MessageName> = z.input<Catalogue[K]['request']>;
export type ResponseOf<K extends MessageName> = z.output<Catalogue[K]['response']>;

/**
 * A failure as pages and the content script see it: the service's error codes, and those the extension adds itself:
 * `not_linked` (no session or link for that Gmail address yet), `unreachable` (network failure or timeout after the
 * retries), `bad_response` (an answer that breaks the schema), `forbidden_sender` (that context may not send that
 * message), `invalid_message` (the message failed its schema), `cancelled` (the user closed a sign-in window),
 * `permission_missing` (the browser did not grant the service's host permission), `quota` (browser storage is full).
 */
export const ResultError = z.object({
  code: z.string(),
  message: z.string(),
  retry_after_s: z.number().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ResultError = z.infer<typeof ResultError>;
export type Result<T> = { ok: true; data: T } | { ok: false; error: ResultError };
