/**
 * The observable contract on one row or message: `data-ttg-kind` on a recognised one, `data-ttg-warning` on an
 * impostor (`impersonation`) or on TikTok mail Gmail itself warns about (`gmail`: spam, banner, "via"; no action is
 * offered), plus our visible mark (chip, warning). Idempotent: re-applying the same state is a no-op, and a mark
 * that Gmail removed (it rebuilt the element's content) is put back, which counts as a new rendering.
 */
import type { EmailKind } from '@/utils/detect/kinds';

export const KIND_ATTR = 'data-ttg-kind';
export const WARNING_ATTR = 'data-ttg-warning';
export type Warning = 'impersonation' | 'gmail' | null;

export interface MarkState {
  /** What the element is showing: the email's identity and verdict. */
  sig: string;
  kind: EmailKind | null;
  warning: Warning;
  /** Our element inside it (chip, warning), if any. */
  mark: HTMLElement | null;
  /** Incremented each time the element had to be (re)rendered for this email. */
  generation: number;
}

/** Set or clear the contract attributes, touching the DOM only when they differ. */
export function setContractAttributes(el: HTMLElement, kind: EmailKind | null, warning: Warning): void {
  if (kind) {
    if (el.getAttribute(KIND_ATTR) !== kind) el.setAttribute(KIND_ATTR, kind);
  } else if (el.hasAttribute(KIND_ATTR)) el.removeAttribute(KIND_ATTR);
  if (warning) {
    if (el.getAttribute(WARNING_ATTR) !== warning) el.setAttribute(WARNING_ATTR, warning);
  } else if (el.hasAttribute(WARNING_ATTR)) el.removeAttribute(WARNING_ATTR);
}

/** Is our mark still where we put it (Gmail did not rebuild the element)? */
export const markInPlace = (owner: HTMLElement, mark: HTMLElement | null): boolean => !!mark && mark.isConnected && owner.contains(mark);

/** True for nodes the extension inserted: the detector's chips and banners, the inline features' `ttg-*` hosts
 * (mutation records about them are ignored). */
export const isOwnNode = (node: Node): boolean =>
  node.nodeType === 1 &&
  ((node as Element).localName.startsWith('ttg-') || (node as Element).classList.contains('ttg-chip') || (node as Element).classList.contains('ttg-banner'));
