/**
 * Is an inbound email really from its From domain? (`INBOUND_AUTH`)
 * - `dmarc` (default): DKIM, SPF and DMARC checked here with `mailauth` against DNS; the mail must pass DMARC for the
 *   domain of its From. Over SMTP the client's IP, HELO and MAIL FROM feed SPF; over HTTP (no IP) the aligned DKIM
 *   signature decides, which Gmail always adds.
 * - `relay`: a trusted mail provider checked it: the topmost `Authentication-Results` header whose authserv-id is
 *   `INBOUND_TRUSTED_RELAY` must say `dmarc=pass` for the From domain (the provider removes such headers that came
 *   from outside, RFC 8601 §5).
 * - `off`: nothing checked — for local tests only (refused in production, a warning at start).
 */
import { authenticate } from 'mailauth';

export type InboundAuth =
  { mode: 'dmarc'; resolver?: DnsResolver } | { mode: 'relay'; authservId: string } | { mode: 'off' };
/** `dns.promises.resolve`'s shape (tests give one that answers from memory). */
export type DnsResolver = (name: string, rrtype: string) => Promise<string[] | string[][]>;

export interface SmtpEnvelope {
  ip?: string;
  helo?: string;
  sender?: string;
}

/** Null when the mail passes for `fromDomain`, else why not (for the log). */
export async function authProblem(
  auth: InboundAuth,
  raw: Buffer,
  headerLines: readonly { key: string; line: string }[],
  fromDomain: string,
  env: SmtpEnvelope,
): Promise<string | null> {
  if (auth.mode === 'off') return null;
  if (auth.mode === 'relay') return relayProblem(auth.authservId, headerLines, fromDomain);
  const { dmarc } = await authenticate(raw, {
    ...(env.ip && { ip: env.ip }),
    ...(env.helo && { helo: env.helo }),
    ...(env.sender && { sender: env.sender }),
    ...(auth.resolver && { resolver: auth.resolver }),
    disableArc: true,
    disableBimi: true,
  });
  const result = dmarc && typeof dmarc === 'object' ? dmarc.status?.result : undefined;
  const domain = dmarc && typeof dmarc === 'object' ? dmarc.status?.header?.from : undefined;
  if (result !== 'pass') return `DMARC ${result ?? 'not evaluated'} for ${fromDomain}`;
  return domain?.toLowerCase() === fromDomain
    ? null
    : `DMARC passed for ${domain ?? '?'}, not for the From domain ${fromDomain}`;
}

function relayProblem(
  authservId: string,
  headerLines: readonly { key: string; line: string }[],
  fromDomain: string,
): string | null {
  const ours = headerLines
    .filter((h) => h.key === 'authentication-results')
    .map((h) => h.line.replace(/^[^:]*:\s*/, '').replace(/\r?\n[ \t]+/g, ' '))
    .find((v) => v.split(';')[0]!.trim().split(/\s+/)[0]!.toLowerCase() === authservId.toLowerCase());
  if (!ours) return `no Authentication-Results from the trusted relay ${authservId}`;
  const dmarc = /\bdmarc=(\w+)[^;]*?header\.from=([^\s;]+)/i.exec(ours);
  if (!dmarc || dmarc[1]!.toLowerCase() !== 'pass') return `the relay says DMARC ${dmarc?.[1] ?? 'was not evaluated'}`;
  return dmarc[2]!.toLowerCase() === fromDomain ? null : `the relay's DMARC pass is for ${dmarc[2]}, not ${fromDomain}`;
}
