/**
 * The sandbox's `Mailer`: instead of sending, it keeps each email in the mailbox of the sandbox state (newest first,
 * at most 500), where `/sandbox/mailbox` and the local Gmail pages read it. The simulated TikTok's own notification
 * emails go to the same mailbox.
 */
import type { Clock, Email, Mailer } from '../service/ports';
import { iso, nextId, type MailboxEmail, type SandboxState } from './state';

const MAILBOX_MAX = 500;

export function deliver(state: SandboxState, now: number, email: Email): MailboxEmail {
  const kept: MailboxEmail = { ...structuredClone(email), id: nextId(state, 'mail'), sent_at: iso(now) };
  state.mailbox.unshift(kept);
  state.mailbox.length = Math.min(state.mailbox.length, MAILBOX_MAX);
  return kept;
}

export function createMailboxMailer(state: () => SandboxState, clock: Clock): Mailer {
  return { send: async (email) => void deliver(state(), clock.now(), email) };
}
