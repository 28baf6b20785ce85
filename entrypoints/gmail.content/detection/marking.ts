/**
 * One detection pass: the rows to look at (every row of the visible views after a view change, else the rows the
 * mutations touched) are read and classified in slices, then marked in one batch (DOM writes spread over several
 * frames would make the browser lay the list out again after each slice), and the hub is told which TikTok rows are in
 * view; then the same for the open conversation's messages. Rows and messages that left the visible view lose their
 * marks.
 */
import { anyOf, queryAll } from '@/utils/gmail/selectors';
import { publish, type Published } from '../detected';
import { clearMark, KIND_ATTR, WARNING_ATTR } from './marks';
import { processMessages } from './messages';
import { applyRow, planRow, type RowPlan } from './rows';
import type { Slicer } from './schedule';
import { countFailure, type DetectionState } from './state';

const ROW = anyOf('row');
/** Past this many rows, the hub is told in a task of its own: comparing a big list's entries is work of its own. */
const BIG_LIST = 200;

function forgetRow(state: DetectionState, row: HTMLElement): void {
  state.marked.delete(row);
  state.rowsInView.delete(row);
  clearMark(row);
}

/** Takes the rows this pass reads; after a view change, first unmarks what is no longer in the visible views. */
function takeRows(state: DetectionState, full: boolean): HTMLElement[] {
  const rows = full
    ? state.mains.flatMap((m) => queryAll(m, 'rowList').flatMap((list) => queryAll(list, 'row')))
    : [...state.dirtyRows];
  state.dirtyRows.clear();
  if (full) {
    const inView = new Set(rows);
    for (const row of state.marked) if (!inView.has(row)) forgetRow(state, row);
    for (const el of document.querySelectorAll<HTMLElement>(`[${KIND_ATTR}],[${WARNING_ATTR}]`)) {
      if (!state.mains.some((m) => m.contains(el))) el.matches(ROW) ? forgetRow(state, el) : clearMark(el);
    }
  }
  return rows;
}

/** Reads and classifies, no DOM writes. */
async function planRows(state: DetectionState, rows: HTMLElement[], slice: Slicer): Promise<RowPlan[]> {
  const plans: RowPlan[] = [];
  for (const row of rows) {
    try {
      if (row.isConnected) plans.push(planRow(row, state.settings.service));
    } catch (e) {
      countFailure(state.stats, e);
    }
    if (slice.due()) await slice.yieldToPage();
  }
  return plans;
}

/** Writes every mark in one go. */
function markRows(state: DetectionState, plans: RowPlan[]): void {
  for (const plan of plans) {
    if (!plan.row.isConnected) continue;
    try {
      const published = applyRow(plan, state.settings);
      state.marked.add(plan.row);
      if (published) state.rowsInView.set(plan.row, published);
      else state.rowsInView.delete(plan.row);
    } catch (e) {
      countFailure(state.stats, e);
    }
  }
}

function markMessages(state: DetectionState): void {
  const messages: Published[] = [];
  for (const main of state.mains) {
    try {
      processMessages(main, state.settings, messages);
    } catch (e) {
      countFailure(state.stats, e);
    }
  }
  publish('message', messages);
}

export async function markPass(state: DetectionState, slice: Slicer): Promise<void> {
  state.stats.passes++;
  const full = state.full;
  state.full = false;
  const plans = await planRows(state, takeRows(state, full), slice);
  markRows(state, plans);
  if (plans.length > BIG_LIST) await slice.yieldToPage();
  for (const row of state.marked) if (!row.isConnected) forgetRow(state, row);
  publish('row', [...state.rowsInView.values()]);
  if (state.messagesDirty || full) {
    state.messagesDirty = false;
    markMessages(state);
  }
}
