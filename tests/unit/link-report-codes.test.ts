/**
 * The Gmail tab's code reports (report-codes.ts) and what the worker keeps of them (gmail-reports.ts, gmail-tabs.ts): a code stays
 * pending until the worker accepted it (address not known yet, worker not answering or refusing), is sent again with
 * a backoff and as soon as the address appears, and is never sent again once accepted; the worker merges reports.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Detected, DetectedListener } from '@/entrypoints/gmail.content/detected';

let listener: DetectedListener | null = null;
vi.mock('@/entrypoints/gmail.content/detected', () => ({
  subscribe: (l: DetectedListener) => {
    listener = l;
    return () => (listener = null);
  },
}));

const { startReportingCodes } = await import('@/entrypoints/gmail.content/features/report-codes');
const reports = await import('@/entrypoints/background/gmail-reports');
const { codesItem, updateCodes } = reports;
const handlers = { ...(await import('@/entrypoints/background/gmail-tabs')).handlers, ...reports.handlers };

const GMAIL = 'alex@gmail.com';
const codeEmail = (code: string, from = 'register@account.tiktok.com') =>
  ({
    scope: 'row',
    key: code,
    kind: 'code',
    sender: { email: from, name: 'TikTok' },
    subject: `${code} is your verification code`,
    facts: { code, tiktok_links: [] },
  }) as unknown as Detected;

type Reply = { ok: true; data: { ok: true } } | { ok: false; error: { code: string; message: string } };
const OK: Reply = { ok: true, data: { ok: true } };
const refused = (code: string): Reply => ({ ok: false, error: { code, message: code } });

function setup(replies: Reply[], address: () => string | null = () => GMAIL) {
  const calls: { gmail: string; codes: string[] }[] = [];
  const send = vi.fn(async (_name: string, data: { gmail: string; codes: { code: string }[] }) => {
    calls.push({ gmail: data.gmail, codes: data.codes.map((c) => c.code) });
    return replies.shift() ?? OK;
  });
  const stop = startReportingCodes({ send: send as never, address, now: Date.now });
  return { calls, stop };
}

beforeEach(() => {
  vi.useFakeTimers();
  fakeBrowser.reset();
});
afterEach(() => {
  vi.useRealTimers();
  document.title = '';
});

describe('report-codes: a code is kept until the worker accepted it', () => {
  it('sends a genuine code once, and not again when Gmail shows it again', async () => {
    const { calls, stop } = setup([]);
    listener!(codeEmail('123456'));
    await vi.advanceTimersByTimeAsync(10);
    listener!(codeEmail('123456'));
    listener!(codeEmail('654321', 'someone@evil.example'));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toEqual([{ gmail: GMAIL, codes: ['123456'] }]);
    stop();
  });

  it('retries with a backoff while the worker does not answer or refuses (account report not stored yet)', async () => {
    const { calls, stop } = setup([refused('unreachable'), refused('forbidden_sender'), OK]);
    listener!(codeEmail('123456'));
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(150);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(300);
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls.map((c) => c.codes)).toEqual([['123456'], ['123456'], ['123456']]);
    stop();
  });

  it('waits for the signed-in address, and sends as soon as the title shows it', async () => {
    let address: string | null = null;
    const { calls, stop } = setup([], () => address);
    listener!(codeEmail('123456'));
    await vi.advanceTimersByTimeAsync(100);
    expect(calls).toEqual([]);
    address = GMAIL;
    document.title = `Inbox - ${GMAIL} - Gmail`;
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual([{ gmail: GMAIL, codes: ['123456'] }]);
    stop();
  });

  it('a code seen while one is in flight goes in the next report', async () => {
    const { calls, stop } = setup([]);
    listener!(codeEmail('111111'));
    listener!(codeEmail('222222'));
    await vi.advanceTimersByTimeAsync(1);
    listener!(codeEmail('333333'));
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.flatMap((c) => c.codes).sort()).toEqual(['111111', '222222', '333333']);
    stop();
  });
});

describe('gmail-reports: the codes kept for an address', () => {
  it('adds a report to what is kept (newest first, one entry per code, first seen) instead of replacing it', async () => {
    const now = Date.parse('2026-01-01T10:10:00.000Z');
    await updateCodes(GMAIL, [{ code: '111111', seen_at: '2026-01-01T10:00:00.000Z' }], now);
    await updateCodes(GMAIL, [{ code: '222222', seen_at: '2026-01-01T10:05:00.000Z' }], now);
    // The old code shown again later (a reload, another tab, the page re-rendering it) is still the old code.
    await updateCodes(GMAIL, [{ code: '111111', seen_at: '2026-01-01T10:06:00.000Z' }], now);
    expect(await codesItem(GMAIL).getValue()).toEqual([
      { code: '222222', seen_at: '2026-01-01T10:05:00.000Z' },
      { code: '111111', seen_at: '2026-01-01T10:00:00.000Z' },
    ]);
    await updateCodes(GMAIL, [], now + 60 * 60_000);
    expect(await codesItem(GMAIL).getValue()).toEqual([]);
  });

  it("accepts a tab's codes sent right behind its account report (not yet written when the codes arrive)", async () => {
    vi.useRealTimers();
    const tab = { kind: 'gmail' as const, tabId: 7, url: 'https://mail.google.com/mail/u/0/' };
    const account = handlers.reportGmailAccount!({ gmail: GMAIL, account_index: 0, page_id: 'page-0001' }, tab);
    const codes = handlers.reportCodes!(
      { gmail: GMAIL, codes: [{ code: '123456', seen_at: new Date().toISOString() }] },
      tab,
    );
    await expect(Promise.all([account, codes])).resolves.toEqual([{ ok: true }, { ok: true }]);
    expect((await codesItem(GMAIL).getValue()).map((c) => c.code)).toEqual(['123456']);
  });
});

describe("gmail-reports: a tab's account is fixed by its document's first report", () => {
  const OTHER = [
    'bob@gmail.com',
    'Alex@Gmail.com.evil.test',
    'victim+x@gmail.com',
    'admin@example.com',
    'ALEX@gmail.co',
  ];
  const tab = (documentId?: string) => ({
    kind: 'gmail' as const,
    tabId: 9,
    url: 'https://mail.google.com/mail/u/0/',
    ...(documentId && { documentId }),
  });
  const report = (gmail: string, page_id: string, documentId?: string) =>
    Promise.resolve(handlers.reportGmailAccount!({ gmail, account_index: 0, page_id }, tab(documentId))).then(
      () => 'ok',
      (e: { code?: string }) => e.code ?? 'threw',
    );
  const fileCode = (gmail: string, documentId?: string) =>
    Promise.resolve(
      handlers.reportCodes!({ gmail, codes: [{ code: '654321', seen_at: new Date().toISOString() }] }, tab(documentId)),
    ).then(
      () => 'ok',
      (e: { code?: string }) => e.code ?? 'threw',
    );

  it(`the same page then showing another address (${OTHER.length} forms) cannot report it, nor file codes for it`, async () => {
    vi.useRealTimers();
    expect(await report(GMAIL, 'page-aaaa')).toBe('ok');
    for (const other of OTHER) {
      expect(await report(other, 'page-aaaa'), other).toBe(other.toLowerCase() === GMAIL ? 'ok' : 'forbidden_sender');
      expect(await fileCode(other), other).toBe('forbidden_sender');
      expect(await codesItem(other).getValue(), other).toEqual([]);
    }
    expect(await fileCode(GMAIL)).toBe('ok'); // its own account still works
  });

  it("Chrome's documentId decides over the page id (a forged new page id is the same document)", async () => {
    vi.useRealTimers();
    expect(await report(GMAIL, 'page-aaaa', 'doc-1')).toBe('ok');
    expect(await report('bob@gmail.com', 'page-bbbb', 'doc-1')).toBe('forbidden_sender');
    expect(await fileCode('bob@gmail.com', 'doc-1')).toBe('forbidden_sender');
  });

  it('a reload (a new document) reports its account afresh, e.g. after switching accounts', async () => {
    vi.useRealTimers();
    expect(await report(GMAIL, 'page-aaaa', 'doc-1')).toBe('ok');
    expect(await report('bob@gmail.com', 'page-cccc', 'doc-2')).toBe('ok');
    expect(await fileCode('bob@gmail.com', 'doc-2')).toBe('ok');
    expect(await fileCode(GMAIL, 'doc-2')).toBe('forbidden_sender');
  });
});
