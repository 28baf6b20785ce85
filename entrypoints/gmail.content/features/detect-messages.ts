/**
 * Messages of the open conversation: expanded `div.adn` (sender, body and links) get the contract attributes, a
 * chip in the header and, for impostors, a banner; collapsed `div.adf` (no body yet) get only the chip or the
 * warning chip. Gmail swaps a collapsed item for an expanded one on click; both are re-read on every pass. TikTok mail
 * that Gmail itself warns about (its banner, "via" another domain, Spam) gets our warning beside Gmail's instead of
 * its kind, and is not published: no action is offered (issue 11 §5).
 */
import { classifyEmail, type LinkInput } from '@/utils/detect';
import { messageGmailWarning, query, queryAll, threadSubject } from '@/utils/gmail/selectors';
import type { Detected } from '../detected';
import type { GmailSettings } from '../settings';
import { kindChip, warningChip } from './chips';
import { rememberWarned } from './gmail-warned';
import { warningBanner } from './impersonation-warning';
import { markInPlace, setContractAttributes, type MarkState, type Warning } from './marks';

const states = new WeakMap<HTMLElement, MarkState>();

function bodyOf(message: HTMLElement): { text: string; links: LinkInput[] } {
  const body = query(message, 'messageBody');
  if (!body) return { text: '', links: [] };
  const links = [...body.querySelectorAll('a[href]')].map((a) => ({ href: a.getAttribute('href') ?? '', safe_redirect: a.getAttribute('data-saferedirecturl') }));
  return { text: body.textContent ?? '', links };
}

/** Bring one message up to date; push it to `out` if it is a genuine TikTok message (expanded only). */
export function processMessage(message: HTMLElement, expanded: boolean, subject: string, view: HTMLElement, settings: GmailSettings, out: { detected: Detected; generation: number }[]): void {
  const sender = query(message, 'messageSender');
  const email = sender?.getAttribute('email');
  if (!sender || !email) return;
  const name = sender.getAttribute('name') ?? sender.textContent?.trim() ?? '';
  const key = message.getAttribute('data-legacy-message-id') ?? message.getAttribute('data-message-id')?.replace(/^#/, '') ?? `msg:${email}|${subject}`;
  const { text, links } = expanded ? bodyOf(message) : { text: '', links: [] };
  const verdict = classifyEmail({ email, name }, { subject, body: expanded ? text : undefined, links }, settings.service);
  const gmailWarning = verdict.tiktok ? messageGmailWarning(message, view) : null;
  if (gmailWarning && gmailWarning !== 'spam') rememberWarned(key, gmailWarning);
  const kind = verdict.tiktok && !gmailWarning ? verdict.kind : null;
  const warn: Warning = verdict.impostor && settings.impersonation_warnings ? 'impersonation' : gmailWarning ? 'gmail' : null;
  const showChip = kind ? settings.kinds.has(kind) : !!warn;
  const sig = `${key}\u0000${email}\u0000${name}\u0000${kind}\u0000${showChip}\u0000${warn}\u0000${gmailWarning}\u0000${expanded}`;

  let state = states.get(message);
  if (!state || state.sig !== sig || (showChip && !markInPlace(message, state.mark))) {
    state?.mark?.remove();
    let mark: HTMLElement | null = null;
    if (showChip) {
      if (warn && expanded) {
        mark = warningBanner(gmailWarning ?? undefined);
        (query(message, 'messageHeader') ?? sender).before(mark);
      } else {
        mark = kind ? kindChip(kind) : warningChip(warn ?? undefined, gmailWarning ?? undefined);
        sender.after(mark);
        mark.style.marginLeft = '8px';
      }
    }
    state = { sig, kind, warning: warn, mark, generation: (state?.generation ?? 0) + 1 };
    states.set(message, state);
  }
  if (expanded) setContractAttributes(message, kind, warn);
  if (verdict.tiktok && !gmailWarning && expanded) {
    out.push({
      generation: state.generation,
      detected: { scope: 'message', element: message, key, kind: verdict.kind, impostor: false, sender: { email, name }, subject, facts: verdict.facts },
    });
  }
}

/** Every message in one visible view. */
export function processMessages(main: HTMLElement, settings: GmailSettings, out: { detected: Detected; generation: number }[]): void {
  const expanded = queryAll(main, 'message');
  const collapsed = queryAll(main, 'messageCollapsed').filter((el) => !el.classList.contains('adn'));
  if (!expanded.length && !collapsed.length) return;
  const subject = threadSubject(main);
  for (const message of expanded) processMessage(message, true, subject, main, settings, out);
  for (const message of collapsed) processMessage(message, false, subject, main, settings, out);
}

export function clearMessage(message: HTMLElement): void {
  states.get(message)?.mark?.remove();
  states.delete(message);
  setContractAttributes(message, null, null);
}
