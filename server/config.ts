/**
 * The server's settings, read from the environment and validated once at start. One table drives both the
 * validation (a bad value stops the server with one sentence naming the variable) and `npm run server -- --help`.
 */
import { z } from 'zod';

const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const port = whole(0, 65_535);
const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'must start with http:// or https://');

/** A secret of at least 32 bytes, written as hex or base64. */
export function parseSecretKey(raw: string): Buffer | null {
  const s = raw.trim();
  const bytes =
    /^[0-9a-f]+$/i.test(s) && s.length % 2 === 0
      ? Buffer.from(s, 'hex')
      : /^[A-Za-z0-9+/_-]+={0,2}$/.test(s)
        ? Buffer.from(s, 'base64')
        : null;
  return bytes && bytes.length >= 32 ? bytes : null;
}

interface Setting {
  name: string;
  help: string;
  default?: string;
  /** The default is computed elsewhere; `default` only describes it. */
  computed?: boolean;
  /** Never echoed in an error (it holds a password or key). */
  secret?: boolean;
  schema: z.ZodType;
}

const SETTINGS: Setting[] = [
  { name: 'PORT', help: 'port to listen on (0 picks a free one)', default: '8788', schema: port },
  { name: 'HOST', help: 'interface to listen on', default: '127.0.0.1', schema: z.string().min(1) },
  {
    name: 'PUBLIC_URL',
    help: 'public base URL that TikTok redirects and webhooks reach',
    default: 'http://HOST:PORT',
    computed: true,
    schema: httpUrl.optional(),
  },
  {
    name: 'DATABASE_URL',
    secret: true,
    help: 'postgres://… for PostgreSQL; absent: PGlite (embedded) in DATA_DIR',
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  },
  {
    name: 'DATA_DIR',
    help: 'folder for the embedded database and the generated dev key',
    default: '.data/server',
    schema: z.string().min(1),
  },
  {
    name: 'SECRET_KEY',
    secret: true,
    help: '≥ 32 random bytes as hex or base64: encrypts TikTok tokens, signs OAuth state (generated into DATA_DIR outside production)',
    schema: z
      .string()
      .refine((s) => parseSecretKey(s) !== null, 'must be at least 32 bytes written as hex or base64')
      .optional(),
  },
  {
    name: 'SMTP_URL',
    secret: true,
    help: 'smtp://user:pass@host:port or smtps://…; absent (not in production): a dev mailbox at GET /dev/mailbox',
    schema: z
      .string()
      .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
      .optional(),
  },
  {
    name: 'MAIL_FROM',
    help: "From of every email, as Name <address> (required in production; absent: the service's own sender)",
    schema: z
      .string()
      .regex(/^[^<>]*<[^\s@<>]+@[^\s@<>]+>$/, 'must look like Name <address>')
      .optional(),
  },
  {
    name: 'TIKTOK_CLIENT_KEY',
    help: "your TikTok app's client key; absent: simulated TikTok",
    schema: z.string().min(1).optional(),
  },
  {
    name: 'TIKTOK_CLIENT_SECRET',
    secret: true,
    help: "your TikTok app's client secret (required with TIKTOK_CLIENT_KEY)",
    schema: z.string().min(1).optional(),
  },
  {
    name: 'TIKTOK_SIGNIN',
    help: 'business (Business Accounts: DMs and comments) or login_kit (any account, profile only)',
    default: 'business',
    schema: z.enum(['business', 'login_kit']),
  },
  {
    name: 'TIKTOK_AUTH_URL',
    help: "TikTok's sign-in page",
    default: 'https://www.tiktok.com/v2/auth/authorize/',
    schema: httpUrl,
  },
  {
    name: 'TIKTOK_OPEN_API_URL',
    help: "TikTok's Login Kit API base",
    default: 'https://open.tiktokapis.com',
    schema: httpUrl,
  },
  {
    name: 'TIKTOK_BUSINESS_API_URL',
    help: "TikTok's Business API base (the server appends /v1.3/…)",
    default: 'https://business-api.tiktok.com/open_api',
    schema: httpUrl,
  },
  {
    name: 'TIKTOK_PKCE_ENCODING',
    help: 'how the PKCE code_challenge is written: base64url or hex',
    default: 'base64url',
    schema: z.enum(['base64url', 'hex']),
  },
  {
    name: 'TIKTOK_TIMEOUT_MS',
    help: 'how long one TikTok call may take before its outcome counts as unknown',
    default: '10000',
    schema: whole(100, 120_000),
  },
  {
    name: 'TIKTOK_BC_ID',
    help: 'Ads: your TikTok Business Center id (with the next two, Ads requests go out as its invite link); absent: no Ads',
    schema: z
      .string()
      .regex(/^\d{5,30}$/, 'must be the digits of a Business Center id')
      .optional(),
  },
  {
    name: 'TIKTOK_BC_ACCESS_TOKEN',
    secret: true,
    help: "Ads: a Business Center admin's Business API access token (for its invite link and its accounts' status)",
    schema: z.string().min(8, 'must be a Business API access token').optional(),
  },
  {
    name: 'TIKTOK_BC_MEMBERS',
    help: 'Ads: who may ask for authorizations, as Gmail addresses with an optional :admin, :operator or :analyst (default admin), comma-separated',
    schema: z
      .string()
      .refine((s) => parseMembers(s) !== null, 'must be address[:admin|operator|analyst], comma-separated')
      .optional(),
  },
  {
    name: 'TIKTOK_BC_NAME',
    help: 'Ads: the advertiser name people see',
    default: 'Business Center <TIKTOK_BC_ID>',
    computed: true,
    schema: z.string().min(1).max(100).optional(),
  },
  {
    name: 'TIKTOK_BC_POLL_S',
    help: "Ads: how often pending requests' status is read from the Business Center",
    default: '60',
    schema: whole(1, 3600),
  },
  {
    name: 'TIKTOK_STATS_POLL_S',
    help: 'how often each linked Business account\'s follower count is read (an increase is one "N new followers" event)',
    default: '900',
    schema: whole(1, 86_400),
  },
  {
    name: 'ALLOWED_EXTENSION_IDS',
    help: "extension ids whose sign-in redirect (https://<id>.chromiumapp.org/, Firefox's https://<sha1 of id>.extensions.allizom.org/) is accepted, comma-separated; absent: any extension's",
    schema: z
      .string()
      .refine(
        (s) => parseExtensionIds(s) !== null,
        'must be Chrome ids (32 letters a-p) or Firefox add-on ids, comma-separated',
      )
      .optional(),
  },
  {
    name: 'WEBHOOK_TOLERANCE_S',
    help: "how old a webhook's signed time may be",
    default: '300',
    schema: whole(5, 3600),
  },
  {
    name: 'NOTIFY_DELAY_S',
    help: 'notification emails wait this long after the last activity of a conversation (a burst becomes one email; at most 10 minutes after the first)',
    default: '60',
    schema: whole(0, 3600),
  },
  {
    name: 'REPLY_DOMAIN',
    help: 'domain of the reply addresses (reply+<token>@REPLY_DOMAIN); its MX points at INBOUND_SMTP_PORT, or its provider posts to /inbound/email; absent: no reply by email',
    schema: z
      .string()
      .regex(
        /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
        'must be a domain name like reply.example.com',
      )
      .optional(),
  },
  {
    name: 'INBOUND_SMTP_PORT',
    help: 'port of the inbound SMTP server for REPLY_DOMAIN (25 behind the MX; 0 picks a free one)',
    schema: port.optional(),
  },
  {
    name: 'INBOUND_SMTP_HOST',
    help: 'interface of the inbound SMTP server',
    default: 'HOST',
    computed: true,
    schema: z.string().min(1).optional(),
  },
  {
    name: 'INBOUND_SECRET',
    secret: true,
    help: "bearer secret of POST /inbound/email (a mail provider's inbound webhook posting the raw MIME message); absent: no HTTP inbound",
    schema: z.string().min(16, 'must be at least 16 characters').optional(),
  },
  {
    name: 'INBOUND_AUTH',
    help: "how inbound mail is authenticated: dmarc (DKIM/SPF/DMARC checked here), relay (trust INBOUND_TRUSTED_RELAY's Authentication-Results), off (local tests only)",
    default: 'dmarc',
    schema: z.enum(['dmarc', 'relay', 'off']),
  },
  {
    name: 'INBOUND_TRUSTED_RELAY',
    help: 'authserv-id of the mail provider whose Authentication-Results are trusted (INBOUND_AUTH=relay)',
    schema: z.string().min(1).optional(),
  },
  {
    name: 'INBOUND_MAX_BYTES',
    help: 'largest inbound email accepted (SMTP and HTTP)',
    default: '5000000',
    schema: whole(10_000, 25_000_000),
  },
  {
    name: 'SECRET_KEY_PREVIOUS',
    secret: true,
    help: 'the SECRET_KEY being rotated out: what it sealed still opens, and is sealed again with SECRET_KEY at start (docs/security.md)',
    schema: z
      .string()
      .refine((s) => parseSecretKey(s) !== null, 'must be at least 32 bytes written as hex or base64')
      .optional(),
  },
  {
    name: 'RATE_LIMIT_IP',
    help: 'calls per minute from one client IP, one limit across instances on one database',
    default: '600',
    schema: whole(1, 10_000_000),
  },
  {
    name: 'RATE_LIMIT_SESSION',
    help: 'calls per minute with one session token, one limit across instances on one database',
    default: '300',
    schema: whole(1, 10_000_000),
  },
  {
    name: 'RATE_LIMIT_CODES',
    help: 'code emails (link/start, link/resend) per hour from one client IP, counted in the database across instances',
    default: '20',
    schema: whole(1, 10_000_000),
  },
  {
    name: 'TRUST_PROXY',
    help: 'true behind a reverse proxy: the client IP is the last X-Forwarded-For address',
    default: 'false',
    schema: z.enum(['true', 'false']),
  },
  {
    name: 'CORS_ORIGINS',
    help: 'comma-separated origins allowed to call /v1 from a page (absent: any chrome-extension:// or moz-extension:// origin)',
    schema: z
      .string()
      .regex(
        /^(chrome-extension|moz-extension|safari-web-extension|https?):\/\/[^\s,/]+(,(chrome-extension|moz-extension|safari-web-extension|https?):\/\/[^\s,/]+)*$/,
        'must be origins such as chrome-extension://<id>, separated by commas',
      )
      .optional(),
  },
  {
    name: 'SEND_LEASE_S',
    help: 'how long a send is held by the instance sending it before another may settle it (at least 3 × TIKTOK_TIMEOUT_MS)',
    default: '60',
    schema: whole(1, 3600),
  },
  {
    name: 'NODE_ENV',
    help: 'production makes SECRET_KEY, SMTP_URL and MAIL_FROM required',
    default: 'development',
    schema: z.string(),
  },
];

export type AdsRole = 'admin' | 'operator' | 'analyst';

/** `a@x.com, b@y.com:analyst` → address (lowercase) → role; null when malformed. */
export function parseMembers(raw: string): Map<string, AdsRole> | null {
  const out = new Map<string, AdsRole>();
  for (const item of raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const m = /^([^\s@:,]+@[^\s@:,]+\.[^\s@:,]+)(?::(admin|operator|analyst))?$/i.exec(item);
    if (!m) return null;
    out.set(m[1]!.toLowerCase(), (m[2]?.toLowerCase() ?? 'admin') as AdsRole);
  }
  return out.size ? out : null;
}

/** Chrome extension ids (32 letters a–p) or Firefox add-on ids (`name@domain`, `{uuid}`), comma-separated; null when malformed. */
export function parseExtensionIds(raw: string): string[] | null {
  const ids = raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const valid = (id: string) =>
    /^[a-p]{32}$/.test(id) || /^[\w.+-]*@[\w.-]+$/.test(id) || /^\{[0-9a-f-]{36}\}$/i.test(id);
  return ids.length && ids.every(valid) ? ids : null;
}

export interface AdsConfig {
  bcId: string;
  accessToken: string;
  name: string;
  members: Map<string, AdsRole>;
  pollMs: number;
}

export interface ReplyConfig {
  domain: string;
  smtpPort: number | null;
  smtpHost: string;
  secret: string | null;
  auth: 'dmarc' | 'relay' | 'off';
  trustedRelay: string | null;
  maxBytes: number;
}

export interface Config {
  port: number;
  host: string;
  publicUrl: string | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
  secretKey: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: { name: string; email: string } | null;
  tiktok: { clientKey: string; clientSecret: string } | null;
  signin: 'business' | 'login_kit';
  authUrl: string;
  openApiUrl: string;
  businessApiUrl: string;
  pkce: 'base64url' | 'hex';
  timeoutMs: number;
  webhookToleranceS: number;
  /** Ads through a Business Center; null: no Ads (`features.ads` false). */
  ads: AdsConfig | null;
  /** How often follower counts are read from TikTok. */
  statsPollMs: number;
  /** Extension ids whose identity redirect `oauth/start` accepts; null: any extension's. */
  extensionIds: string[] | null;
  production: boolean;
  notifyDelayS: number;
  /** Reply by email (REPLY_DOMAIN and an inbound way); null when off. */
  reply: ReplyConfig | null;
  secretKeyPrevious: string | undefined;
  rateLimits: { ipPerMinute: number; sessionPerMinute: number; codesPerHour: number };
  trustProxy: boolean;
  /** Exact origins allowed by CORS; null: any browser-extension origin. */
  corsOrigins: string[] | null;
  sendLeaseMs: number;
}

const parseMailbox = (s: string) => {
  const m = /^([^<>]*)<([^<>]+)>$/.exec(s)!;
  return { name: m[1]!.trim().replace(/^"|"$/g, ''), email: m[2]!.trim() };
};

export class ConfigError extends Error {}

/** Reads and validates the settings; throws a `ConfigError` whose message is one sentence naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const v: Record<string, unknown> = {};
  for (const s of SETTINGS) {
    const raw = env[s.name] === '' ? undefined : env[s.name];
    const r = s.schema.safeParse(raw ?? (s.computed ? undefined : s.default));
    if (!r.success)
      throw new ConfigError(
        `${s.name} is not valid: ${r.error.issues[0]?.message ?? 'bad value'}${s.secret ? '' : ` (got "${raw ?? ''}")`}.`,
      );
    v[s.name] = r.data;
  }
  const production = v.NODE_ENV === 'production';
  if (production && !v.SECRET_KEY)
    throw new ConfigError(
      'SECRET_KEY is required when NODE_ENV=production (at least 32 random bytes as hex or base64).',
    );
  if (production && !v.SMTP_URL)
    throw new ConfigError('SMTP_URL is required when NODE_ENV=production (smtp://user:pass@host:port).');
  if (production && !v.MAIL_FROM)
    throw new ConfigError('MAIL_FROM is required when NODE_ENV=production (Name <address> on your own domain).');
  if (Boolean(v.TIKTOK_CLIENT_KEY) !== Boolean(v.TIKTOK_CLIENT_SECRET)) {
    throw new ConfigError(
      `${v.TIKTOK_CLIENT_KEY ? 'TIKTOK_CLIENT_SECRET' : 'TIKTOK_CLIENT_KEY'} is required when the other TikTok app setting is set.`,
    );
  }
  if ((v.SEND_LEASE_S as number) * 1000 < 3 * (v.TIKTOK_TIMEOUT_MS as number)) {
    throw new ConfigError(
      'SEND_LEASE_S must be at least 3 × TIKTOK_TIMEOUT_MS (a send must never outlive its lease, or another instance could send it again).',
    );
  }
  return {
    notifyDelayS: v.NOTIFY_DELAY_S as number,
    reply: replyConfig(v, production),
    ads: adsConfig(v),
    statsPollMs: (v.TIKTOK_STATS_POLL_S as number) * 1000,
    extensionIds: v.ALLOWED_EXTENSION_IDS ? parseExtensionIds(v.ALLOWED_EXTENSION_IDS as string) : null,
    port: v.PORT as number,
    host: v.HOST as string,
    publicUrl: (v.PUBLIC_URL as string | undefined)?.replace(/\/+$/, ''),
    databaseUrl: v.DATABASE_URL as string | undefined,
    dataDir: v.DATA_DIR as string,
    secretKey: v.SECRET_KEY as string | undefined,
    smtpUrl: v.SMTP_URL as string | undefined,
    mailFrom: v.MAIL_FROM ? parseMailbox(v.MAIL_FROM as string) : null,
    tiktok: v.TIKTOK_CLIENT_KEY
      ? { clientKey: v.TIKTOK_CLIENT_KEY as string, clientSecret: v.TIKTOK_CLIENT_SECRET as string }
      : null,
    signin: v.TIKTOK_SIGNIN as Config['signin'],
    authUrl: v.TIKTOK_AUTH_URL as string,
    openApiUrl: (v.TIKTOK_OPEN_API_URL as string).replace(/\/+$/, ''),
    businessApiUrl: (v.TIKTOK_BUSINESS_API_URL as string).replace(/\/+$/, ''),
    pkce: v.TIKTOK_PKCE_ENCODING as Config['pkce'],
    timeoutMs: v.TIKTOK_TIMEOUT_MS as number,
    webhookToleranceS: v.WEBHOOK_TOLERANCE_S as number,
    production,
    secretKeyPrevious: v.SECRET_KEY_PREVIOUS as string | undefined,
    rateLimits: {
      ipPerMinute: v.RATE_LIMIT_IP as number,
      sessionPerMinute: v.RATE_LIMIT_SESSION as number,
      codesPerHour: v.RATE_LIMIT_CODES as number,
    },
    trustProxy: v.TRUST_PROXY === 'true',
    corsOrigins: v.CORS_ORIGINS ? (v.CORS_ORIGINS as string).split(',') : null,
    sendLeaseMs: (v.SEND_LEASE_S as number) * 1000,
  };
}

/** The Business Center settings: all of them or none (one sentence naming what is missing). */
function adsConfig(v: Record<string, unknown>): AdsConfig | null {
  const given = ['TIKTOK_BC_ID', 'TIKTOK_BC_ACCESS_TOKEN', 'TIKTOK_BC_MEMBERS'].filter((k) => v[k]);
  if (given.length === 0) return null;
  const missing = ['TIKTOK_BC_ID', 'TIKTOK_BC_ACCESS_TOKEN', 'TIKTOK_BC_MEMBERS'].find((k) => !v[k]);
  if (missing)
    throw new ConfigError(
      `${missing} is required when ${given[0]} is set (Ads need the Business Center id, its access token and its members).`,
    );
  if (!v.TIKTOK_CLIENT_KEY)
    throw new ConfigError(
      'TIKTOK_BC_ID needs TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET: Ads go through your TikTok app.',
    );
  const bcId = v.TIKTOK_BC_ID as string;
  return {
    bcId,
    accessToken: v.TIKTOK_BC_ACCESS_TOKEN as string,
    name: (v.TIKTOK_BC_NAME as string | undefined) ?? `Business Center ${bcId}`,
    members: parseMembers(v.TIKTOK_BC_MEMBERS as string)!,
    pollMs: (v.TIKTOK_BC_POLL_S as number) * 1000,
  };
}

/** The reply-by-email settings, checked together: a reply domain needs a way in, and a way in needs the domain. */
function replyConfig(v: Record<string, unknown>, production: boolean): ReplyConfig | null {
  const domain = v.REPLY_DOMAIN as string | undefined;
  const smtpPort = v.INBOUND_SMTP_PORT as number | undefined;
  const secret = v.INBOUND_SECRET as string | undefined;
  const auth = v.INBOUND_AUTH as ReplyConfig['auth'];
  if (!domain) {
    if (smtpPort !== undefined || secret)
      throw new ConfigError(
        `REPLY_DOMAIN is required with ${smtpPort !== undefined ? 'INBOUND_SMTP_PORT' : 'INBOUND_SECRET'} (the domain of the reply addresses).`,
      );
    return null;
  }
  if (smtpPort === undefined && !secret)
    throw new ConfigError(
      'REPLY_DOMAIN needs INBOUND_SMTP_PORT (its MX points here) or INBOUND_SECRET (a mail provider posts to /inbound/email).',
    );
  if (auth === 'relay' && !v.INBOUND_TRUSTED_RELAY)
    throw new ConfigError(
      'INBOUND_TRUSTED_RELAY is required when INBOUND_AUTH=relay (the authserv-id of your mail provider).',
    );
  if (auth === 'off' && production)
    throw new ConfigError('INBOUND_AUTH=off is for local tests only: it is refused when NODE_ENV=production.');
  return {
    domain: domain.toLowerCase(),
    smtpPort: smtpPort ?? null,
    smtpHost: (v.INBOUND_SMTP_HOST as string | undefined) ?? (v.HOST as string),
    secret: secret ?? null,
    auth,
    trustedRelay: (v.INBOUND_TRUSTED_RELAY as string | undefined) ?? null,
    maxBytes: v.INBOUND_MAX_BYTES as number,
  };
}

/** `npm run server -- --help`: every setting, its meaning and default. */
export function helpText(): string {
  const rows = SETTINGS.map((s) => `  ${s.name.padEnd(24)}${s.help}${s.default ? ` (default ${s.default})` : ''}`);
  return `npm run server: the TikTok Gmail Link service on TikTok's APIs.\n\nSettings (environment variables):\n${rows.join('\n')}\n`;
}
