/**
 * Watching Gmail for what detection must look at again:
 * - one MutationObserver on the visible view roots (`[role=main]`) turns each batch of records into the rows and the
 *   conversation they concern (never for our own nodes; a row's own class change is hover or read state);
 * - a view change (`hashchange`, Gmail showing or hiding one of its cached views) finds the view roots again and asks
 *   for a full pass.
 */
import { anyOf, isHidden, queryAll, rowAboveLine, rowOfLine, visibleMains } from '@/utils/gmail/selectors';
import { measureTask } from '../tasks';
import { isOwnNode } from './marks';
import { countFailure, type DetectionState } from './state';

const ROW = anyOf('row');
/** Row lists never hold a conversation (the reading pane is their sibling): no message lookups inside them. */
const ROW_LIST = anyOf('rowList');
const CONVERSATION_PART = anyOf('message', 'messageCollapsed', 'conversationItem');
const WATCHED_ATTRIBUTES = [
  'class',
  'style',
  'email',
  'name',
  'data-legacy-last-message-id',
  'data-legacy-thread-id',
  'data-thread-id',
  'data-legacy-message-id',
  'data-message-id',
  'aria-expanded',
];
const VIEW_ATTRIBUTES = { attributes: true, attributeFilter: ['style', 'role', 'hidden'] };

/** Notes one added node: the rows it is or holds, and whether it is part of a conversation. */
function noteAdded(state: DetectionState, el: Element, inRowList: boolean): void {
  if (el.matches(ROW)) state.dirtyRows.add(el as HTMLElement);
  else if (el.querySelector(ROW)) for (const row of el.querySelectorAll<HTMLElement>(ROW)) state.dirtyRows.add(row);
  if (!inRowList && (el.matches(CONVERSATION_PART) || el.querySelector(CONVERSATION_PART))) state.messagesDirty = true;
}

/** Notes what one record concerns; true when it removed nodes. */
function noteRecord(state: DetectionState, record: MutationRecord): boolean {
  const target = record.target as Element;
  if (record.type === 'attributes' && isOwnNode(target)) return false;
  // Checked once per record: looking for messages in a new 5,000-row tbody is a full scan that never matches.
  const inRowList = !!target.closest?.(ROW_LIST);
  if (record.type === 'childList') {
    if ([...record.addedNodes, ...record.removedNodes].every(isOwnNode)) return false;
    for (const node of record.addedNodes)
      if (node.nodeType === 1 && !isOwnNode(node)) noteAdded(state, node as Element, inRowList);
  }
  const row = target.closest?.(ROW);
  const lineAbove = row ? null : rowAboveLine(target); // vertical split: the conversation's second `tr`
  if (row) {
    if (record.type !== 'attributes' || record.attributeName !== 'class' || target !== row)
      state.dirtyRows.add(rowOfLine(row as HTMLElement));
  } else if (lineAbove) {
    state.dirtyRows.add(lineAbove);
  } else if (!inRowList && (target.closest?.(CONVERSATION_PART) || target.querySelector?.(CONVERSATION_PART))) {
    state.messagesDirty = true;
  }
  return record.type === 'childList' && record.removedNodes.length > 0;
}

function noteMutations(state: DetectionState, records: MutationRecord[]): void {
  let removed = false;
  for (const record of records) if (noteRecord(state, record)) removed = true;
  if (removed) for (const row of state.marked) if (!row.isConnected) state.dirtyRows.add(row);
}

/** Watches the view roots and Gmail's view container; calls `onChange` after noting a change, `onView` after a view change. */
export function watchGmail(state: DetectionState, onChange: () => void, onView: () => void): () => void {
  const fail = (e: unknown) => countFailure(state.stats, e);
  const mainObserver = new MutationObserver((records) => {
    const start = performance.now();
    try {
      noteMutations(state, records);
      if (state.dirtyRows.size || state.messagesDirty) onChange();
    } catch (e) {
      fail(e);
    }
    measureTask('ttg-detect', start);
  });
  const viewObserver = new MutationObserver(() => refreshViews());

  /** Watch Gmail's view container: its children toggle display:none when the view changes. */
  function watchViews(mains: HTMLElement[]): void {
    viewObserver.disconnect();
    const containers = queryAll(document, 'viewContainer');
    for (const c of containers) {
      viewObserver.observe(c, { childList: true });
      for (const child of c.children) viewObserver.observe(child, VIEW_ATTRIBUTES);
    }
    if (!containers.length) viewObserver.observe(document.body, { childList: true, subtree: !mains.length });
    for (const m of mains) viewObserver.observe(m, VIEW_ATTRIBUTES);
  }

  function refreshViews(): void {
    try {
      const next = visibleMains();
      const same = next.length === state.mains.length && next.every((m, i) => m === state.mains[i]);
      watchViews(next);
      if (same && next.every((m) => !isHidden(m))) return;
      state.mains = next;
      mainObserver.disconnect();
      for (const m of next)
        mainObserver.observe(m, {
          childList: true,
          subtree: true,
          attributes: true,
          attributeFilter: WATCHED_ATTRIBUTES,
        });
      state.full = state.messagesDirty = true;
      onChange();
      onView();
    } catch (e) {
      fail(e);
    }
  }

  const onHash = () => {
    refreshViews();
    state.full = true;
    onChange();
  };
  window.addEventListener('hashchange', onHash);
  refreshViews();
  return () => {
    window.removeEventListener('hashchange', onHash);
    mainObserver.disconnect();
    viewObserver.disconnect();
  };
}
