/**
 * The small marks the detector puts in Gmail: a kind chip on genuine TikTok rows and message headers, and the
 * impostor warning. Built with createElement/textContent only (Gmail enforces Trusted Types); `ttg-` class names;
 * colours that read on Gmail's light and dark themes.
 */
import type { EmailKind } from '@/utils/detect/kinds';
import type { GmailWarning } from '@/utils/gmail/selectors';
import { t } from '@/utils/i18n';
import CSS from './chips.css?inline';
import type { Shown } from './marks';

const STYLE_ID = 'ttg-detect-style';

export function ensureStyles(doc: Document = document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  (doc.head ?? doc.documentElement).append(style);
}

const labels = new Map<EmailKind, string>();
const kindLabel = (kind: EmailKind) => labels.get(kind) ?? labels.set(kind, t(`gmail_kind_${kind}`)).get(kind)!;

let chipTitle: string | undefined;
/** A chip naming the kind of a genuine TikTok email. */
function kindChip(kind: EmailKind): HTMLElement {
  const chip = document.createElement('span');
  chip.className = 'ttg-chip';
  chip.dataset.ttgChip = kind;
  chip.textContent = kindLabel(kind);
  chip.title = chipTitle ??= t('gmail_chip_title');
  return chip;
}

let impostor: { short: string; full: string } | undefined;
/**
 * The short warning used in list rows and collapsed messages: Gmail's own warning (its reason on hover), or the
 * impostor warning, which is a short label that fits a narrow row with the full sentence on hover (`title`) and for
 * screen readers (visually hidden text; the short label is hidden from them).
 */
function warningChip(warning: 'impersonation' | 'gmail' = 'impersonation', reason?: GmailWarning): HTMLElement {
  const chip = document.createElement('span');
  chip.className = 'ttg-chip ttg-warn';
  chip.dataset.ttgChip = warning;
  if (warning === 'gmail') {
    chip.setAttribute('role', 'alert');
    chip.textContent = t('gmail_gmail_warning');
    if (reason) chip.title = gmailWarningDetail(reason);
    return chip;
  }
  impostor ??= { short: t('gmail_impostor_chip'), full: t('gmail_impostor_warning') };
  chip.title = impostor.full;
  const label = document.createElement('span');
  label.setAttribute('aria-hidden', 'true');
  label.textContent = impostor.short;
  const spoken = document.createElement('span');
  spoken.className = 'ttg-sr';
  spoken.textContent = impostor.full;
  chip.append(label, spoken);
  return chip;
}

/** Why Gmail warns, in words: its banner, "via" another domain, Spam. */
export const gmailWarningDetail = (reason: GmailWarning): string => t(`gmail_gmail_warning_${reason}`);

/** A row's or collapsed message's mark: the kind chip of a genuine email, else the warning chip. */
export const chipFor = (shown: Shown, gmailWarning: GmailWarning | null): HTMLElement =>
  shown.kind ? kindChip(shown.kind) : warningChip(shown.warning ?? undefined, gmailWarning ?? undefined);
