/**
 * Runs detection over the visible Gmail view and keeps it true as Gmail changes the page:
 * - one MutationObserver per visible view root (`[role=main]`), batched per microtask, touching only the rows the
 *   mutations concern (a full pass when the view changes);
 * - view changes from `hashchange` and from Gmail showing/hiding its cached views (`div.aeF > div.nH` style);
 * - rows are read and classified in ~4 ms slices, then marked in one batch (one relayout, not one per slice), and
 *   the hub is fed in a task of its own, so the page never stalls.
 * Nothing here throws into the page: failures are counted for the diagnostics.
 */
import { SELECTORS, isHidden, queryAll, visibleMains, rowOfLine } from '@/utils/gmail/selectors';
import { publish, type Detected } from './detected';
import { clearMessage, processMessages } from './features/detect-messages';
import { applyRow, clearRow, planRow, type RowPlan } from './features/detect-rows';
import { isOwnNode, KIND_ATTR, WARNING_ATTR } from './features/marks';
import type { GmailSettings } from './settings';

const SLICE_MS = 4;
const ROW_SELECTOR = SELECTORS.row.join(',');
/** Row lists never hold a conversation (the reading pane is their sibling): no message lookups inside them. */
const ROW_LIST_SELECTOR = SELECTORS.rowList.join(',');
const MESSAGE_SELECTOR = [...SELECTORS.message, ...SELECTORS.messageCollapsed, '[role="listitem"]', 'h2'].join(',');
const WATCHED_ATTRIBUTES = ['class', 'style', 'email', 'name', 'data-legacy-last-message-id', 'data-legacy-thread-id', 'data-thread-id', 'data-legacy-message-id', 'data-message-id', 'aria-expanded'];

/** `npm run bench` sets this attribute on the page to read the detector's work slices from the performance timeline. */
function measureSlice(start: number): void {
  if (document.documentElement.hasAttribute('data-ttg-bench')) performance.measure('ttg-detect', { start, end: performance.now() });
}

export interface DetectorStats {
  passes: number;
  errors: number;
  last_error: string | null;
}

export function startDetector(initial: GmailSettings, onViewChange: () => void): { setSettings(s: GmailSettings): void; stats: DetectorStats; stop(): void } {
  let settings = initial;
  let mains: HTMLElement[] = [];
  const stats: DetectorStats = { passes: 0, errors: 0, last_error: null };
  const marked = new Set<HTMLElement>(); // rows currently carrying our marks
  const rowDetected = new Map<HTMLElement, { detected: Detected; generation: number }>();
  const dirtyRows = new Set<HTMLElement>();
  let fullPass = true;
  let messagesDirty = true;
  let scheduled = false;
  let running = false;

  const fail = (e: unknown) => {
    stats.errors++;
    stats.last_error = String((e as Error)?.message ?? e).slice(0, 300);
  };

  const yieldToPage = () => new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });

  function schedule(): void {
    if (scheduled || running) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      void pass().catch(fail);
    });
  }

  async function pass(): Promise<void> {
    running = true;
    let sliceStart = performance.now();
    try {
      do {
        stats.passes++;
        const full = fullPass;
        fullPass = false;
        const rows = full ? mains.flatMap((m) => queryAll(m, 'rowList').flatMap((list) => queryAll(list, 'row'))) : [...dirtyRows];
        dirtyRows.clear();
        if (full) {
          // Rows and messages that left the visible view lose their marks.
          const inView = new Set(rows);
          for (const row of marked) if (!inView.has(row)) forgetRow(row);
          for (const el of document.querySelectorAll<HTMLElement>(`[${KIND_ATTR}],[${WARNING_ATTR}]`)) {
            if (!mains.some((m) => m.contains(el))) (el.matches(ROW_SELECTOR) ? forgetRow(el) : clearMessage(el));
          }
        }
        // Read and classify in slices, then write every mark in one go: DOM writes spread over several frames would
        // make the browser lay the list out again after each slice.
        const plans: RowPlan[] = [];
        for (const row of rows) {
          try {
            if (row.isConnected) plans.push(planRow(row, settings.service));
          } catch (e) {
            fail(e);
          }
          if (performance.now() - sliceStart > SLICE_MS) {
            measureSlice(sliceStart);
            await yieldToPage();
            sliceStart = performance.now();
          }
        }
        for (const plan of plans) {
          if (!plan.row.isConnected) continue;
          try {
            const out: { detected: Detected; generation: number }[] = [];
            applyRow(plan, settings, out);
            marked.add(plan.row);
            if (out[0]) rowDetected.set(plan.row, out[0]);
            else rowDetected.delete(plan.row);
          } catch (e) {
            fail(e);
          }
        }
        // The hub only queues its listeners, but comparing a big list's entries is work of its own: next task.
        if (plans.length > 200) {
          measureSlice(sliceStart);
          await yieldToPage();
          sliceStart = performance.now();
        }
        for (const row of marked) if (!row.isConnected) forgetRow(row);
        publish('row', [...rowDetected.values()]);
        if (messagesDirty || full) {
          messagesDirty = false;
          const messages: { detected: Detected; generation: number }[] = [];
          for (const main of mains) {
            try {
              processMessages(main, settings, messages);
            } catch (e) {
              fail(e);
            }
          }
          publish('message', messages);
        }
      } while (fullPass || dirtyRows.size || messagesDirty);
    } finally {
      running = false;
      measureSlice(sliceStart);
    }
  }

  function forgetRow(row: HTMLElement): void {
    marked.delete(row);
    rowDetected.delete(row);
    clearRow(row);
  }

  const onMutations = (records: MutationRecord[]) => {
    let removed = false;
    for (const record of records) {
      const target = record.target as Element;
      if (record.type === 'attributes' && isOwnNode(target)) continue;
      // Checked once per record: looking for messages in a new 5,000-row tbody is a full scan that never matches.
      const inRowList = !!target.closest?.(ROW_LIST_SELECTOR);
      if (record.type === 'childList') {
        if ([...record.addedNodes, ...record.removedNodes].every(isOwnNode)) continue;
        for (const node of record.addedNodes) {
          if (node.nodeType !== 1 || isOwnNode(node)) continue;
          const el = node as Element;
          if (el.matches(ROW_SELECTOR)) dirtyRows.add(el as HTMLElement);
          else if (el.querySelector(ROW_SELECTOR)) for (const row of el.querySelectorAll<HTMLElement>(ROW_SELECTOR)) dirtyRows.add(row);
          if (!inRowList && (el.matches(MESSAGE_SELECTOR) || el.querySelector(MESSAGE_SELECTOR))) messagesDirty = true;
        }
        if (record.removedNodes.length) removed = true;
      }
      const row = target.closest?.(ROW_SELECTOR);
      if (row) {
        if (record.type === 'attributes' && record.attributeName === 'class' && target === row) continue; // hover, read state
        dirtyRows.add(rowOfLine(row as HTMLElement));
      } else if (target.closest?.('tr')?.previousElementSibling?.matches(ROW_SELECTOR)) {
        // vertical split: the conversation's second `tr` belongs to the row before it
        dirtyRows.add(target.closest('tr')!.previousElementSibling as HTMLElement);
      } else if (!inRowList && (target.closest?.(MESSAGE_SELECTOR) || target.querySelector?.(MESSAGE_SELECTOR))) {
        messagesDirty = true;
      }
    }
    if (removed) for (const row of marked) if (!row.isConnected) dirtyRows.add(row);
    if (dirtyRows.size || messagesDirty) schedule();
  };

  const mainObserver = new MutationObserver((records) => {
    const start = performance.now();
    try {
      onMutations(records);
    } catch (e) {
      fail(e);
    }
    measureSlice(start);
  });
  const viewObserver = new MutationObserver(() => refreshViews());

  function refreshViews(): void {
    try {
      const next = visibleMains();
      const same = next.length === mains.length && next.every((m, i) => m === mains[i]);
      // Watch Gmail's view container: its children toggle display:none when the view changes.
      viewObserver.disconnect();
      const containers = document.querySelectorAll<HTMLElement>('div.aeF');
      if (containers.length) {
        for (const c of containers) {
          viewObserver.observe(c, { childList: true });
          for (const child of c.children) viewObserver.observe(child, { attributes: true, attributeFilter: ['style', 'role', 'hidden'] });
        }
      } else {
        viewObserver.observe(document.body, { childList: true, subtree: !next.length });
      }
      for (const m of next) viewObserver.observe(m, { attributes: true, attributeFilter: ['style', 'role', 'hidden'] });
      if (same && next.every((m) => !isHidden(m))) return;
      mains = next;
      mainObserver.disconnect();
      for (const m of mains) {
        mainObserver.observe(m, { childList: true, subtree: true, attributes: true, attributeFilter: WATCHED_ATTRIBUTES });
      }
      fullPass = true;
      messagesDirty = true;
      schedule();
      onViewChange();
    } catch (e) {
      fail(e);
    }
  }

  const onHash = () => {
    refreshViews();
    fullPass = true;
    schedule();
  };
  window.addEventListener('hashchange', onHash);
  refreshViews();

  return {
    stats,
    setSettings(s) {
      settings = s;
      fullPass = true;
      messagesDirty = true;
      schedule();
    },
    stop() {
      window.removeEventListener('hashchange', onHash);
      mainObserver.disconnect();
      viewObserver.disconnect();
    },
  };
}
