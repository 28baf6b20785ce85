/**
 * The service API of ../shared/service-api.md (version 1.1, reading 1.0 servers too) as zod schemas.
 * These schemas are the single source of the TypeScript types used for the service:
 * every type below is `z.infer` of a schema, never written by hand.
 */
import { z } from 'zod';

export const isoTime = z.string().min(1);
export const id = z.string().min(1);

export const ERROR_HTTP_STATUS = {
  ok: 200,
  invalid_params: 400,
  invalid_email: 400,
  invalid_username: 400,
  invalid_code: 400,
  access_token_invalid: 401,
  reauth_required: 401,
  permission_denied: 403,
  scope_not_authorized: 403,
  not_found: 404,
  code_expired: 410,
  email_mismatch: 409,
  already_linked: 409,
  duplicate_request: 409,
  reply_window_expired: 409,
  message_quota_exceeded: 409,
  text_too_long: 400,
  too_many_attempts: 429,
  rate_limit_exceeded: 429,
  upstream_error: 502,
  internal_error: 500,
  not_supported: 501,
} as const;

export const ErrorCode = z.enum(
  Object.keys(ERROR_HTTP_STATUS) as [keyof typeof ERROR_HTTP_STATUS, ...(keyof typeof ERROR_HTTP_STATUS)[]],
);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  log_id: z.string(),
  retry_after_s: z.number().nonnegative().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

/** The TikTok v2 envelope around every response. */
export const envelope = <T extends z.ZodType>(data: T) => z.object({ data: data.nullable(), error: ApiErrorBody });
export const AnyEnvelope = envelope(z.unknown());

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), cursor: z.string().nullable(), has_more: z.boolean() });

/* ---------------- 1. Linking ---------------- */

export const VerificationStatus = z.enum(['code_sent', 'verified', 'expired', 'locked']);
export const Verification = z.object({
  verification_id: id,
  email: z.string(),
  status: VerificationStatus,
  expires_at: isoTime,
  resend_after: isoTime,
  attempts_left: z.number().int().nonnegative(),
});
export type Verification = z.infer<typeof Verification>;

export const LinkStatus = z.enum(['active', 'reauth_required', 'revoked']);
export const AccountType = z.enum(['personal', 'business']);
export const TikTokProfile = z.object({
  open_id: id,
  username: z.string(),
  display_name: z.string(),
  avatar_url: z.string(),
  account_type: AccountType,
});
const CapabilityName = z.enum(['messages', 'comments', 'follow']);
/** 1.0: messages, comments and one `reason`; 1.1 adds `follow` (absent from a 1.0 server: assume true) and `reasons` per capability. */
export const Capabilities = z.object({
  messages: z.boolean(),
  comments: z.boolean(),
  follow: z.boolean().optional(),
  reason: z.string().optional(),
  reasons: z.partialRecord(CapabilityName, z.string()).optional(),
});
export type Capabilities = z.infer<typeof Capabilities>;
/**
 * Our addition to 1.1 (docs/server.md): which kinds of activity the service emails to the linked Gmail address.
 * Present on a `Link` when the service emails activity; changed with `PATCH /v1/links/{id}/notifications`.
 */
export const NOTIFICATION_KINDS = ['messages', 'comments', 'mentions', 'followers', 'ads'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NotificationSettings = z.object({
  messages: z.boolean(),
  comments: z.boolean(),
  mentions: z.boolean(),
  followers: z.boolean(),
  ads: z.boolean(),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;
/** The PATCH body: some of the kinds, booleans only, no other key. */
export const NotificationSettingsPatch = NotificationSettings.partial().strict();
export const Link = z.object({
  link_id: id,
  gmail: z.string(),
  status: LinkStatus,
  tiktok: TikTokProfile,
  scopes: z.array(z.string()),
  capabilities: Capabilities,
  linked_at: isoTime,
  updated_at: isoTime,
  notifications: NotificationSettings.optional(),
});
export type Link = z.infer<typeof Link>;

export const LinkStartBody = z.object({ email: z.string() });
export const LinkResendBody = z.object({ verification_id: id });
export const LinkVerifyBody = z.object({ verification_id: id, code: z.string() });
export const LinkVerifyResult = z.object({
  session_token: z.string().min(1),
  session_expires_at: isoTime,
  verification: Verification,
});
export const OAuthStartBody = z.object({ redirect_uri: z.string().url() });
export const OAuthStartResult = z.object({
  authorize_url: z.string().url(),
  state: z.string().min(1),
  expires_at: isoTime,
});
export const OAuthCompleteBody = z.object({ state: z.string().min(1), callback_url: z.string().url() });

/* ---------------- 2. Activity ---------------- */

export const ReplyWindow = z.object({
  state: z.enum(['open', 'expired']),
  expires_at: isoTime,
  messages_remaining: z.number().int().nonnegative(),
});
export type ReplyWindow = z.infer<typeof ReplyWindow>;
export const Participant = z.object({ username: z.string(), display_name: z.string(), avatar_url: z.string() });
export const Conversation = z.object({
  conversation_id: id,
  participant: Participant,
  last_message_at: isoTime,
  unread_count: z.number().int().nonnegative(),
  reply_window: ReplyWindow,
});
export type Conversation = z.infer<typeof Conversation>;
export const Message = z.object({
  message_id: id,
  conversation_id: id,
  direction: z.enum(['in', 'out']),
  text: z.string(),
  sent_at: isoTime,
});
export type Message = z.infer<typeof Message>;
export const SendMessageBody = z.object({ text: z.string() });
export const SendMessageResult = Message.extend({ reply_window: ReplyWindow });
export type SendMessageResult = z.infer<typeof SendMessageResult>;

export const CommentStatus = z.enum(['published', 'pending_review', 'hidden']);
export const Comment = z.object({
  comment_id: id,
  video_id: z.string(),
  parent_comment_id: z.string().nullable(),
  username: z.string(),
  display_name: z.string(),
  text: z.string(),
  created_at: isoTime,
  status: CommentStatus,
});
export type Comment = z.infer<typeof Comment>;
export const ReplyCommentBody = z.object({ text: z.string() });
export const FollowBody = z.object({ username: z.string() });
export const FollowResult = z.object({ username: z.string(), following: z.literal(true) });
/** `GET /v1/links/{id}/follows/{username}` (proposed addition to API 1.1, see docs/architecture.md): does the linked account follow them? */
export const FollowStatus = z.object({ username: z.string(), following: z.boolean() });

export const EventType = z.enum([
  'message.received',
  'comment.received',
  'follower.new',
  'like.received',
  'link.status_changed',
  'ads_authorization.status_changed',
  'ads_request.received',
]);
export type EventType = z.infer<typeof EventType>;
export const Event = z.object({
  event_id: id,
  type: EventType,
  link_id: z.string(),
  at: isoTime,
  summary: z.string(),
  ref: z.object({
    conversation_id: z.string().optional(),
    comment_id: z.string().optional(),
    username: z.string().optional(),
    authorization_id: z.string().optional(),
    /** 1.1: follower.new / like.received without a username ("3 new followers"). */
    count: z.number().int().nonnegative().optional(),
  }),
});
export type Event = z.infer<typeof Event>;
export const Unread = z.object({
  messages: z.number().int().nonnegative(),
  comments: z.number().int().nonnegative(),
  followers: z.number().int().nonnegative(),
  ads: z.number().int().nonnegative(),
});
export type Unread = z.infer<typeof Unread>;
export const EventsPage = listOf(Event).extend({ unread: Unread });
export type EventsPage = z.infer<typeof EventsPage>;

/* ---------------- 3. Ads Manager ---------------- */

export const Permission = z.enum(['spark_ads', 'analytics', 'live', 'direct_messages']);
export type Permission = z.infer<typeof Permission>;
export const AdvertiserRole = z.enum(['admin', 'operator', 'analyst']);
export const Advertiser = z.object({ advertiser_id: id, name: z.string(), role: AdvertiserRole });
export type Advertiser = z.infer<typeof Advertiser>;
export const AuthorizationStatus = z.enum(['pending', 'authorized', 'rejected', 'expired', 'revoked']);
export type AuthorizationStatus = z.infer<typeof AuthorizationStatus>;
export const Authorization = z.object({
  authorization_id: id,
  advertiser: z.object({ advertiser_id: id, name: z.string() }),
  tiktok: z.object({ username: z.string(), display_name: z.string(), account_type: AccountType }),
  status: AuthorizationStatus,
  permissions: z.object({ requested: z.array(Permission), granted: z.array(Permission) }),
  requested_at: isoTime,
  decided_at: isoTime.nullable(),
  expires_at: isoTime.nullable(),
  /** 1.1: the link the owner opens to approve in TikTok, while pending. */
  invite_url: z.string().url().optional(),
});
export type Authorization = z.infer<typeof Authorization>;
export const CreateAuthorizationBody = z.object({
  advertiser_id: id,
  username: z.string(),
  permissions: z.array(Permission).min(1),
});
export const PermissionsBody = z.object({ permissions: z.array(Permission).min(1) });

/* ---------------- 1.1: discovery ---------------- */

export const ServiceInfo = z.object({
  name: z.string(),
  api_version: z.string(),
  tiktok: z.enum(['simulated', 'tiktok']),
  features: z.object({
    follow: z.boolean(),
    ads: z.boolean(),
    ads_approve_in_api: z.boolean(),
    reply_by_email: z.boolean(),
  }),
  notification_senders: z.array(z.string()),
  reply_domain: z.string().nullable().optional(),
});
export type ServiceInfo = z.infer<typeof ServiceInfo>;
/** What a 1.0 server (no `GET /v1/service`) is taken to be: everything on, no senders. */
export const SERVICE_INFO_V1: ServiceInfo = {
  name: 'Service',
  api_version: '1.0',
  tiktok: 'tiktok',
  features: { follow: true, ads: true, ads_approve_in_api: true, reply_by_email: false },
  notification_senders: [],
};

/* ---------------- shared rules (checked by the client before sending, enforced by the service) ---------------- */

export { USERNAME_RE, isValidUsername, COMMENT_MAX, MESSAGE_MAX, tiktokLength } from './rules';
