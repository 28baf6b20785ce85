/**
 * Where the popup finds the emailed code: what the Gmail content script reported for that address (`storage.session`
 * `codes:<gmail>`), or, in the embedded sandbox (which sends no real email), its mailbox. These are only offered: the
 * Gmail page may be hostile and can show any "NNNNNN is your verification code" row (and TikTok sends login codes
 * too), so a code is used only when the user clicks it, one click per try, never by itself (each wrong try spends
 * one of the five attempts before the address locks).
 */
import { useEffect, useState } from 'preact/hooks';
import { storage } from 'wxt/utils/storage';
import { send } from '@/utils/messaging';

export interface FoundCodes {
  /** Codes Gmail showed (first seen) since this attempt's code was sent, newest first: each is offered, none used. */
  gmail: string[];
  /** The embedded sandbox's newest code email, or null. */
  sandbox: string | null;
}

type SeenCodes = { code: string; seen_at: string }[];
const CODE_SUBJECT = /^(\d{6}) is your verification code/;
const SANDBOX_POLL_MS = 1000;

/** At most this many Gmail codes are offered (the newest): more than one already means someone else sent some. */
const OFFERED = 3;

/** The codes Gmail first showed since `since` (ISO; older ones belong to earlier requests), newest first. */
export const codesSince = (codes: SeenCodes | null, since: string): string[] =>
  [...(codes ?? [])]
    .filter((c) => !!since && c.seen_at >= since)
    .sort((a, b) => b.seen_at.localeCompare(a.seen_at))
    .map((c) => c.code)
    .filter((code, i, all) => all.indexOf(code) === i)
    .slice(0, OFFERED);

const sameCodes = (a: string[], b: string[]) => a.length === b.length && a.every((code, i) => code === b[i]);

/** The codes for `gmail` requested at `since` (only watched while `active`). */
export function useFoundCodes(gmail: string, active: boolean, sandbox: boolean, since: string): FoundCodes {
  const [fromGmail, setFromGmail] = useState<string[]>([]);
  const [fromSandbox, setFromSandbox] = useState<string | null>(null);

  useEffect(() => {
    setFromGmail([]);
    setFromSandbox(null);
    if (!active) return;
    const key = `session:codes:${gmail}` as const;
    const showGmail = (codes: SeenCodes | null) => {
      const next = codesSince(codes, since);
      setFromGmail((shown) => (sameCodes(shown, next) ? shown : next));
    };
    void storage.getItem<SeenCodes>(key).then(showGmail);
    const unwatch = storage.watch<SeenCodes>(key, showGmail);
    if (!sandbox) return unwatch;

    const readMailbox = async () => {
      const r = await send('sandboxMailbox', { gmail });
      if (!r.ok) return;
      for (const item of r.data as { subject?: unknown }[]) {
        const match = typeof item?.subject === 'string' ? CODE_SUBJECT.exec(item.subject) : null;
        if (match) return setFromSandbox(match[1]!);
      }
    };
    void readMailbox();
    const timer = setInterval(readMailbox, SANDBOX_POLL_MS);
    return () => {
      unwatch();
      clearInterval(timer);
    };
  }, [gmail, active, sandbox, since]);

  return { gmail: fromGmail, sandbox: fromSandbox };
}
