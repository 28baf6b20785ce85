/**
 * Mailbox list rows: classify from sender and subject, mark, and describe them for the hub. A TikTok row
 * Gmail files under Spam gets Gmail's-warning chip instead of its kind and is not published (no action, issue 11 §5).
 */
import {
  classifyEmail,
  isGenuineSender,
  isImpersonating,
  type Classification,
  type ServiceSenders,
} from '@/utils/detect';
import { query, queryRow, rowChipSlot, rowGmailWarning, rowLines, type GmailWarning } from '@/utils/gmail/selectors';
import type { Published } from '../detected';
import type { GmailSettings } from '../settings';
import { chipFor } from './chips';
import { warnedBefore } from './gmail-warned';
import { clearMark, published, renderMark, shownFor } from './marks';

/** Verdicts by email identity: a re-rendered or reused row costs a lookup, not a classification. */
const verdicts = new Map<string, Classification>();
const VERDICT_CACHE_MAX = 20_000;

interface RowRead {
  key: string;
  email: string;
  name: string;
  subject: string;
  /** The row's own `tr`s (up to three in the vertical split: `rowLines`). */
  scopes: HTMLElement[];
}

function readRow(row: HTMLElement): RowRead | null {
  const sender = query(row, 'rowSender');
  const email = sender?.getAttribute('email');
  if (!sender || !email) return null;
  // Vertical reading pane: the subject lives in the conversation's second `tr`.
  const scopes = rowLines(row);
  const idEl = queryRow(row, 'rowIds');
  const subjectEl = queryRow(row, 'rowSubject');
  const subject = subjectEl?.textContent?.trim() ?? '';
  const name = sender.getAttribute('name') ?? sender.textContent?.trim() ?? '';
  const key =
    idEl?.getAttribute('data-legacy-last-message-id') ??
    idEl?.getAttribute('data-legacy-thread-id') ??
    idEl?.getAttribute('data-thread-id')?.replace(/^#/, '') ??
    `row:${email}|${subject}`;
  return { key, email, name, subject, scopes };
}

/** Most rows are not TikTok's: who the sender is (TikTok, impostor, other) is decided once per sender. */
const senders = new Map<string, Classification | null>();
const OTHER: Classification = { tiktok: false, impostor: false };
const IMPOSTOR: Classification = { tiktok: false, impostor: true };
/** The service senders the cached verdicts were made with: others (another service) clear them. */
let verdictsFor: ServiceSenders | undefined;

function verdictFor(read: RowRead, service: ServiceSenders): Classification {
  if (service !== verdictsFor) {
    verdictsFor = service;
    senders.clear();
    verdicts.clear();
  }
  const senderId = `${read.email}\u0000${read.name}`;
  let bySender = senders.get(senderId);
  if (bySender === undefined) {
    if (senders.size > VERDICT_CACHE_MAX) senders.clear();
    const sender = { email: read.email, name: read.name };
    bySender = isGenuineSender(read.email, service) ? null : isImpersonating(sender, service) ? IMPOSTOR : OTHER;
    senders.set(senderId, bySender);
  }
  if (bySender) return bySender;
  const id = `${senderId}\u0000${read.subject}`;
  let verdict = verdicts.get(id);
  if (!verdict) {
    if (verdicts.size > VERDICT_CACHE_MAX) verdicts.clear();
    verdict = classifyEmail({ email: read.email, name: read.name }, { subject: read.subject }, service);
    verdicts.set(id, verdict);
  }
  return verdict;
}

/** What a row shows and what it is: read from the DOM and classified, with no DOM writes (the detector batches those). */
export interface RowPlan {
  row: HTMLElement;
  read: RowRead | null;
  verdict: Classification | null;
  /** Gmail's own warning on a TikTok row (spam), which turns every action off. */
  gmailWarning: GmailWarning | null;
}

export function planRow(row: HTMLElement, service: ServiceSenders): RowPlan {
  const read = readRow(row);
  const verdict = read ? verdictFor(read, service) : null;
  return {
    row,
    read,
    verdict,
    gmailWarning: verdict?.tiktok ? (rowGmailWarning(row, read!.scopes) ?? warnedBefore(read!.key)) : null,
  };
}

/** Brings one row up to date from its plan; what to publish of it if it is a genuine TikTok row. */
export function applyRow({ row, read, verdict, gmailWarning }: RowPlan, settings: GmailSettings): Published | null {
  if (!read || !verdict) {
    clearMark(row);
    return null;
  }
  const shown = shownFor(verdict, gmailWarning, settings);
  const sig = JSON.stringify([
    read.key,
    read.email,
    read.name,
    read.subject,
    shown.marked,
    shown.warning,
    gmailWarning,
  ]);
  const generation = renderMark(row, sig, shown, read.scopes, () => {
    const mark = chipFor(shown, gmailWarning);
    rowChipSlot(row)?.prepend(mark);
    return mark;
  });
  return verdict.tiktok && !gmailWarning ? published('row', row, read, verdict, generation) : null;
}
