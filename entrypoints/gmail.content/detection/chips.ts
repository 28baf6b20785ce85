/**
 * The small marks the detector puts in Gmail: a kind chip on genuine TikTok rows and message headers, and the
 * impostor warning. Built with createElement/textContent only (Gmail enforces Trusted Types); `ttg-` class names;
 * colours that read on Gmail's light and dark themes.
 */
import type { EmailKind } from '@/utils/detect/kinds';
import type { GmailWarning } from '@/utils/gmail/selectors';
import { t, type MessageKey } from '@/utils/i18n';
import CSS from './chips.css?inline';

const STYLE_ID = 'ttg-detect-style';

export function ensureStyles(doc: Document = document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  (doc.head ?? doc.documentElement).append(style);
}

const KIND_KEYS: Record<EmailKind, MessageKey> = {
  code: 'gmail_kind_code',
  security: 'gmail_kind_security',
  message: 'gmail_kind_message',
  comment: 'gmail_kind_comment',
  mention: 'gmail_kind_mention',
  follower: 'gmail_kind_follower',
  like: 'gmail_kind_like',
  live: 'gmail_kind_live',
  ads: 'gmail_kind_ads',
  shop: 'gmail_kind_shop',
  other: 'gmail_kind_other',
};

const labels = new Map<EmailKind, string>();
const kindLabel = (kind: EmailKind) => labels.get(kind) ?? labels.set(kind, t(KIND_KEYS[kind])).get(kind)!;

let chipTitle: string | undefined;
/** A chip naming the kind of a genuine TikTok email. */
export function kindChip(kind: EmailKind): HTMLElement {
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
export function warningChip(warning: 'impersonation' | 'gmail' = 'impersonation', reason?: GmailWarning): HTMLElement {
  const chip = document.createElement('span');
  chip.className = 'ttg-chip ttg-warn';
  chip.dataset.ttgChip = warning;
  if (warning === 'gmail') {
    chip.setAttribute('role', 'alert');
    chip.textContent = t('gmail_gmail_warning');
    if (reason) chip.title = t(GMAIL_WARNING_DETAIL[reason]);
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

export const GMAIL_WARNING_DETAIL: Record<GmailWarning, MessageKey> = {
  spam: 'gmail_gmail_warning_spam',
  banner: 'gmail_gmail_warning_banner',
  via: 'gmail_gmail_warning_via',
};
