/**
 * The observable contract on one row or message: `data-ttg-kind` on a recognised one, `data-ttg-warning` on an
 * impostor (`impersonation`) or on TikTok mail Gmail itself warns about (`gmail`: spam, banner, "via"; no action is
 * offered), plus our visible mark (chip, warning). Idempotent: re-applying the same state is a no-op, and a mark
 * that Gmail removed (it rebuilt the element's content) is put back, which counts as a new rendering.
 */
import type { Classification } from '@/utils/detect';
import type { EmailKind } from '@/utils/detect/kinds';
import type { GmailWarning } from '@/utils/gmail/selectors';
import type { Detected, Published } from '../detected';
import type { GmailSettings } from '../settings';

export const KIND_ATTR = 'data-ttg-kind';
export const WARNING_ATTR = 'data-ttg-warning';
type Warning = 'impersonation' | 'gmail' | null;

/** What a row or message shows for its verdict. */
export interface Shown {
  /** A genuine email's kind (none when Gmail warns about it). */
  kind: EmailKind | null;
  warning: Warning;
  /** Whether it gets a visible mark: its kind is on in the settings, or it is warned about. */
  marked: boolean;
}

export function shownFor(verdict: Classification, gmailWarning: GmailWarning | null, settings: GmailSettings): Shown {
  const kind = verdict.tiktok && !gmailWarning ? verdict.kind : null;
  const warning: Warning =
    verdict.impostor && settings.impersonation_warnings ? 'impersonation' : gmailWarning ? 'gmail' : null;
  return { kind, warning, marked: kind ? settings.kinds.has(kind) : !!warning };
}

interface MarkState {
  /** What the element is showing: the email's identity and verdict. */
  sig: string;
  /** Our element inside it (chip, warning), if any. */
  mark: HTMLElement | null;
  /** Incremented each time the element had to be (re)rendered for this email. */
  generation: number;
}

const states = new WeakMap<HTMLElement, MarkState>();

/** Set or clear the contract attributes, touching the DOM only when they differ. */
function setContractAttributes(el: HTMLElement, { kind, warning }: Pick<Shown, 'kind' | 'warning'>): void {
  if (kind) {
    if (el.getAttribute(KIND_ATTR) !== kind) el.setAttribute(KIND_ATTR, kind);
  } else if (el.hasAttribute(KIND_ATTR)) el.removeAttribute(KIND_ATTR);
  if (warning) {
    if (el.getAttribute(WARNING_ATTR) !== warning) el.setAttribute(WARNING_ATTR, warning);
  } else if (el.hasAttribute(WARNING_ATTR)) el.removeAttribute(WARNING_ATTR);
}

/** Is our mark still where we put it, in one of `owners` (Gmail did not rebuild them)? */
const markInPlace = (owners: HTMLElement[], mark: HTMLElement | null): boolean =>
  !!mark?.isConnected && owners.some((owner) => owner.contains(mark));

/**
 * Brings `el` up to date with `shown` (`sig`: the email's identity and verdict): when either changed, or Gmail took
 * our mark out of `owners`, the old mark goes and `place` puts the new one (a new rendering); the contract attributes
 * follow unless `attributes` is false. Returns the rendering's generation.
 */
export function renderMark(
  el: HTMLElement,
  sig: string,
  shown: Shown,
  owners: HTMLElement[],
  place: () => HTMLElement,
  attributes = true,
): number {
  let state = states.get(el);
  if (!state || state.sig !== sig || (shown.marked && !markInPlace(owners, state.mark))) {
    state?.mark?.remove();
    state = { sig, mark: shown.marked ? place() : null, generation: (state?.generation ?? 0) + 1 };
    states.set(el, state);
  }
  if (attributes) setContractAttributes(el, shown);
  return state.generation;
}

/** Takes our mark and the contract attributes off `el`. */
export function clearMark(el: HTMLElement): void {
  states.get(el)?.mark?.remove();
  states.delete(el);
  setContractAttributes(el, { kind: null, warning: null });
}

/** What the hub is told of a genuine TikTok row or message. */
export function published(
  scope: Detected['scope'],
  element: HTMLElement,
  read: { key: string; email: string; name: string; subject: string },
  verdict: Extract<Classification, { tiktok: true }>,
  generation: number,
): Published {
  const { key, email, name, subject } = read;
  return {
    generation,
    detected: {
      scope,
      element,
      key,
      kind: verdict.kind,
      impostor: false,
      sender: { email, name },
      subject,
      facts: verdict.facts,
    },
  };
}

/** True for nodes the extension inserted: the detector's chips and banners, the inline features' `ttg-*` hosts
 * (mutation records about them are ignored). */
export const isOwnNode = (node: Node): boolean =>
  node.nodeType === 1 &&
  ((node as Element).localName.startsWith('ttg-') ||
    (node as Element).classList.contains('ttg-chip') ||
    (node as Element).classList.contains('ttg-banner'));
