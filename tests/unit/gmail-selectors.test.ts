/**
 * Every Gmail selector against every fixture, with the counts a person reading the fixture expects (only the
 * visible view counts; hidden cached views are skipped), and the self-check report the options page shows.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { query, queryAll, selfCheck, visibleMains, type SelectorName } from '@/utils/gmail/selectors';

const DIR = path.resolve('tests/fixtures/gmail');

function load(file: string): Document {
  return new DOMParser().parseFromString(readFileSync(path.join(DIR, file), 'utf8'), 'text/html');
}

const count = (doc: Document, name: SelectorName) =>
  visibleMains(doc).reduce((n, main) => n + queryAll(main, name).length, 0);

type Expected = Partial<Record<SelectorName, number>>;
const EXPECTED: Record<string, Expected> = {
  // hand-made fixtures from research (Social tab, 25 rows; open thread with one collapsed and one expanded message).
  // messageSender counts expanded headers (h3): per message, collapsed ones match a later fallback.
  'inbox.html': {
    main: 1,
    rowList: 1,
    row: 25,
    rowSender: 25,
    message: 0,
    messageCollapsed: 0,
    categoryTabs: 4,
    readingPane: 0,
  },
  'thread.html': {
    main: 1,
    rowList: 0,
    row: 0,
    message: 1,
    messageCollapsed: 1,
    messageSender: 1,
    threadSubject: 1,
    messageBody: 1,
  },
  'primary-inbox.html': {
    main: 1,
    rowList: 1,
    row: 8,
    rowSender: 8,
    rowIds: 8,
    rowSubject: 8,
    message: 0,
    categoryTabs: 0,
  },
  'search-results.html': { main: 1, rowList: 1, row: 5, rowSender: 5 },
  // vertical pane: 3 `tr.zA` per conversation, one row each (the `tr` with the id)
  'reading-pane-vertical.html': {
    main: 1,
    rowList: 1,
    row: 6,
    rowSender: 6,
    rowIds: 6,
    readingPane: 2,
    message: 1,
    messageBody: 1,
  },
  'reading-pane-horizontal.html': { main: 1, rowList: 1, row: 6, readingPane: 2, message: 1 },
  'multiple-inboxes.html': { main: 1, rowList: 3, row: 9, rowSender: 9 },
  'thread-impostor.html': { main: 1, row: 0, message: 2, messageCollapsed: 1, messageSender: 2, threadSubject: 1 },
  'languages.html': { main: 1, rowList: 1, row: 10, categoryTabs: 4 },
  'search-spam.html': { main: 1, rowList: 1, row: 3, rowLabel: 1 },
  'thread-gmail-warnings.html': {
    main: 1,
    message: 3,
    messageSender: 3,
    gmailWarningBanner: 1,
    messageSenderLine: 3,
    threadLabel: 1,
  }, // the Inbox label beside the subject
};

describe('Gmail selectors on every fixture', () => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    test(file, () => {
      const doc = load(file);
      const counts = Object.fromEntries(
        Object.keys(expected).map((name) => [
          name,
          name === 'main' ? visibleMains(doc).length : count(doc, name as SelectorName),
        ]),
      );
      expect(counts).toEqual(expected);
      const health = selfCheck(doc, '#inbox');
      expect(health.ok).toBe(true);
      expect(health.matched.main?.count).toBe(1);
      expect(health.matched.accountLink?.count).toBeGreaterThanOrEqual(1);
    });
  }

  test('the first fallback is the one that matches on current markup, and the health report names it', () => {
    const doc = load('primary-inbox.html');
    const [main] = visibleMains(doc);
    expect(query(main!, 'row')).not.toBeNull();
    const health = selfCheck(doc);
    expect(health.matched.row).toEqual({ count: 8, via: 'tr.zA[id]' });
    expect(health.matched.rowSender?.via).toBe('.yW [email]');
  });

  test('falls back when the preferred selector is gone, and reports not ok when nothing matches', () => {
    const doc = load('primary-inbox.html');
    for (const row of doc.querySelectorAll('tr.zA')) row.classList.remove('zA');
    const health = selfCheck(doc);
    expect(health.matched.row).toEqual({ count: 8, via: 'tr[role="row"][jscontroller]' });
    for (const el of doc.querySelectorAll('[role="main"]')) el.removeAttribute('role');
    for (const el of doc.querySelectorAll('.aeF > .nH')) el.remove();
    expect(selfCheck(doc).ok).toBe(false);
  });

  test('hidden cached views are not the visible view', () => {
    const doc = load('thread-impostor.html');
    expect(doc.querySelectorAll('[role="main"]').length).toBe(2);
    expect(visibleMains(doc).length).toBe(1);
    expect(count(doc, 'row')).toBe(0);
  });
});
