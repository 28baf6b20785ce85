/**
 * Reading the TikTok usernames a user types or pastes: a leading `@` and surrounding spaces are accepted, and
 * when the rest breaks the service's `invalid_username` rule the result says exactly which part is wrong.
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

export function parseUsername(raw: string): ParsedUsername {
  const input = raw.trim();
  const name = input.startsWith('@') ? input.slice(1).trim() : input;
  const fail = (problem: UsernameProblem): ParsedUsername => ({ ok: false, input, problem });
  if (name === '') return fail({ kind: 'empty' });
  const bad = Array.from(name).find((c) => !ALLOWED_CHAR.test(c));
  if (bad !== undefined) return fail({ kind: 'invalid_char', char: bad });
  if (name.length < MIN) return fail({ kind: 'too_short' });
  if (name.length > MAX) return fail({ kind: 'too_long', length: name.length });
  if (name.endsWith('.')) return fail({ kind: 'ends_with_dot' });
  // The same rule the service enforces; the checks above only explain it.
  if (!USERNAME_RE.test(name) || !isValidUsername(name)) return fail({ kind: 'invalid_char', char: name });
  return { ok: true, username: name };
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
