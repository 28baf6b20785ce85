/**
 * Messages of the open conversation: expanded ones (sender, body and links) get the contract attributes, a
 * chip in the header and, for impostors, a banner; collapsed ones (no body yet) get only the chip or the
 * warning chip. Gmail swaps a collapsed item for an expanded one on click; both are re-read on every pass. TikTok mail
 * that Gmail itself warns about (its banner, "via" another domain, Spam) gets our warning beside Gmail's instead of
 * its kind, and is not published: no action is offered (issue 11 §5).
 */
import { classifyEmail, type LinkInput } from '@/utils/detect';
import { anyOf, messageGmailWarning, query, queryAll, threadSubject } from '@/utils/gmail/selectors';
import type { Published } from '../detected';
import type { GmailSettings } from '../settings';
import { chipFor } from './chips';
import { rememberWarned } from './gmail-warned';
import { published, renderMark, shownFor } from './marks';
import { warningBanner } from './warning-banner';

const EXPANDED = anyOf('message');

function bodyOf(message: HTMLElement): { text: string; links: LinkInput[] } {
  const body = query(message, 'messageBody');
  if (!body) return { text: '', links: [] };
  const links = queryAll(body, 'messageLink').map((a) => ({
    href: a.getAttribute('href') ?? '',
    safe_redirect: a.getAttribute('data-saferedirecturl'),
  }));
  return { text: body.textContent ?? '', links };
}

/** Brings one message up to date; pushes it to `out` if it is a genuine TikTok message (expanded only). */
function processMessage(
  message: HTMLElement,
  expanded: boolean,
  subject: string,
  view: HTMLElement,
  settings: GmailSettings,
  out: Published[],
): void {
  const sender = query(message, 'messageSender');
  const email = sender?.getAttribute('email');
  if (!sender || !email) return;
  const name = sender.getAttribute('name') ?? sender.textContent?.trim() ?? '';
  const key =
    message.getAttribute('data-legacy-message-id') ??
    message.getAttribute('data-message-id')?.replace(/^#/, '') ??
    `msg:${email}|${subject}`;
  const { text, links } = expanded ? bodyOf(message) : { text: '', links: [] };
  const verdict = classifyEmail(
    { email, name },
    { subject, body: expanded ? text : undefined, links },
    settings.service,
  );
  const gmailWarning = verdict.tiktok ? messageGmailWarning(message, view) : null;
  if (gmailWarning && gmailWarning !== 'spam') rememberWarned(key, gmailWarning);
  const shown = shownFor(verdict, gmailWarning, settings);
  const sig = JSON.stringify([key, email, name, shown.kind, shown.marked, shown.warning, gmailWarning, expanded]);
  const place = () => {
    if (shown.warning && expanded) {
      const banner = warningBanner(gmailWarning ?? undefined);
      (query(message, 'messageHeader') ?? sender).before(banner);
      return banner;
    }
    const chip = chipFor(shown, gmailWarning);
    sender.after(chip);
    chip.style.marginLeft = '8px';
    return chip;
  };
  const generation = renderMark(message, sig, shown, [message], place, expanded);
  if (verdict.tiktok && !gmailWarning && expanded)
    out.push(published('message', message, { key, email, name, subject }, verdict, generation));
}

/** Every message in one visible view. */
export function processMessages(main: HTMLElement, settings: GmailSettings, out: Published[]): void {
  const expanded = queryAll(main, 'message');
  const collapsed = queryAll(main, 'messageCollapsed').filter((el) => !el.matches(EXPANDED));
  if (!expanded.length && !collapsed.length) return;
  const subject = threadSubject(main);
  for (const message of expanded) processMessage(message, true, subject, main, settings, out);
  for (const message of collapsed) processMessage(message, false, subject, main, settings, out);
}
