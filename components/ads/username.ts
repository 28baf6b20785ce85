/**
 * Reading the TikTok usernames a user types or pastes: a leading `@`, surrounding spaces and a pasted profile or
 * video address (`https://www.tiktok.com/@name`, `tiktok.com/@name/video/1?lang=en`) are accepted, and when the
 * rest breaks the service's `invalid_username` rule the result says exactly which part is wrong. Usernames are
 * case-insensitive on TikTok: the result is the canonical lower-case name.
 */
import { isValidUsername, USERNAME_RE } from '@/utils/api/schemas';

export type UsernameProblem =
  | { kind: 'empty' }
  | { kind: 'too_short' }
  | { kind: 'too_long'; length: number }
  | { kind: 'invalid_char'; char: string }
  | { kind: 'ends_with_dot' };

export type ParsedUsername = { ok: true; username: string } | { ok: false; input: string; problem: UsernameProblem };

const MIN = 2;
const MAX = 24;
const ALLOWED_CHAR = /[A-Za-z0-9_.]/u;

/** `@name` from a TikTok profile or video address (www., m. or no subdomain, with or without https://), or null. */
const PROFILE_URL = /^(?:https?:\/\/)?(?:(?:www|m|vm)\.)?tiktok\.com\/@([^/?#\s]+)(?:[/?#]\S*)?$/iu;

export function parseUsername(raw: string): ParsedUsername {
  const input = raw.trim();
  const fromUrl = PROFILE_URL.exec(input)?.[1];
  const name = fromUrl !== undefined ? safeDecode(fromUrl) : input.startsWith('@') ? input.slice(1).trim() : input;
  const fail = (problem: UsernameProblem): ParsedUsername => ({ ok: false, input, problem });
  if (name === '') return fail({ kind: 'empty' });
  const bad = Array.from(name).find((c) => !ALLOWED_CHAR.test(c));
  if (bad !== undefined) return fail({ kind: 'invalid_char', char: bad });
  if (name.length < MIN) return fail({ kind: 'too_short' });
  if (name.length > MAX) return fail({ kind: 'too_long', length: name.length });
  if (name.endsWith('.')) return fail({ kind: 'ends_with_dot' });
  // The same rule the service enforces; the checks above only explain it.
  if (!USERNAME_RE.test(name) || !isValidUsername(name)) return fail({ kind: 'invalid_char', char: name });
  return { ok: true, username: name.toLowerCase() };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Several usernames pasted at once: separated by spaces, commas, semicolons or new lines; repeats dropped. */
export function parseUsernameList(raw: string): ParsedUsername[] {
  const seen = new Set<string>();
  const out: ParsedUsername[] = [];
  for (const part of raw.split(/[\s,;]+/u)) {
    if (part === '') continue;
    const parsed = parseUsername(part);
    const key = parsed.ok ? parsed.username.toLowerCase() : parsed.input;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(parsed);
  }
  return out;
}
