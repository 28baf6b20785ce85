/**
 * Issue 11's classes through detection (unit level): every case of tests/fixtures/hostile/classes.ts classified as an
 * open message (subject, body, links) and as a list row (sender and subject); Gmail's own warnings read from markup
 * built by tests/support/gmail-markup.ts; the generated confusables table checked against Unicode's full data.
 */
import { describe, expect, test } from 'vitest';
import { classifyEmail, type Classification } from '@/utils/detect';
import { LOOKALIKES } from '@/utils/detect/confusables';
import { claimsTikTok, skeleton } from '@/utils/detect/impersonation';
import { messageGmailWarning, rowGmailWarning } from '@/utils/gmail/selectors';
import { deriveLookalikes, loadConfusables, plainFold, renderModule } from '../../scripts/gen-confusables';
import { CLASS_CORPUS, type ClassCase } from '../fixtures/hostile/classes';
import { messageNode, rowNodes, threadNode, type GNode } from '../support/gmail-markup';
import { readFileSync } from 'node:fs';

const views = (c: ClassCase) => ({
  message: classifyEmail(c.from, { subject: c.subject, body: c.text, links: c.links.map((l) => ({ href: l.href })) }),
  row: classifyEmail(c.from, { subject: c.subject }),
});

/** What went wrong for one case in one view (empty: as expected). */
function problems(c: ClassCase, view: 'message' | 'row', got: Classification): string[] {
  const out: string[] = [];
  const e = c.expect;
  if (got.tiktok !== e.genuine) out.push(`genuine=${got.tiktok}`);
  if (got.impostor !== e.impostor) out.push(`impostor=${got.impostor}`);
  if (!got.tiktok) return out;
  const f = got.facts;
  if (e.kind && !c.gmail_warning && got.kind !== e.kind) out.push(`kind=${got.kind}`);
  if (e.code !== undefined && (f.code ?? null) !== e.code) out.push(`code=${f.code}`);
  const username = view === 'message' ? e.username : e.row_username;
  if (username !== undefined && (f.username ?? null) !== username) out.push(`username=${f.username}`);
  if (view === 'message' && e.handle_problem && f.handle_problem !== e.handle_problem)
    out.push(`handle_problem=${f.handle_problem}`);
  if (e.no_action && !c.gmail_warning && (f.code || f.username || f.authorization_id))
    out.push(`action: ${JSON.stringify({ code: f.code, username: f.username, authorization_id: f.authorization_id })}`);
  return out;
}

const results = CLASS_CORPUS.map((c) => ({ c, ...views(c) }));
const CLASSES = [...new Set(CLASS_CORPUS.map((c) => c.category))];

describe('issue 11 classes through detection', () => {
  test('every class has many cases', () => {
    for (const name of CLASSES)
      expect(CLASS_CORPUS.filter((c) => c.category === name).length, name).toBeGreaterThanOrEqual(10);
  });

  test.each(CLASSES)('%s: every case as an open message and as a row', (name) => {
    const wrong = results
      .filter(({ c }) => c.category === name)
      .flatMap(({ c, message, row }) => [
        ...problems(c, 'message', message).map((p) => `${c.id} message "${c.attack}": ${p}`),
        ...problems(c, 'row', row).map((p) => `${c.id} row "${c.attack}": ${p}`),
      ]);
    expect(wrong).toEqual([]);
  });

  test('prints the counts per class', () => {
    const line = CLASSES.map((name) => {
      const cases = results.filter(({ c }) => c.category === name);
      const ok = cases.filter(
        ({ c, message, row }) => !problems(c, 'message', message).length && !problems(c, 'row', row).length,
      ).length;
      return `${name} ${ok}/${cases.length}`;
    }).join(', ');
    console.log(`issue 11 classes (unit, message + row each): ${line}`);
  });
});

/** Builds markup with happy-dom's DOM (no HTML sink: the same tree Gmail's fixtures use). */
function build(node: GNode): Node {
  if (typeof node === 'string') return document.createTextNode(node);
  const [tag, attrs, ...children] = node;
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const child of children) el.append(build(child));
  return el;
}

describe("Gmail's own warnings read from its markup", () => {
  const from = { name: 'TikTok', email: 'register@account.tiktok.com' };
  const threadWith = (opts: { warning?: 'banner' | 'via'; spam?: boolean }) => {
    document.body.replaceChildren(
      build(
        threadNode({
          threadId: '18f0a1b2c3d4e5f6',
          subject: '482913 is your verification code',
          spam: opts.spam,
          messages: [{ from, messageId: '18f0a1b2c3d4e5f7', text: 'code', expanded: true, gmailWarning: opts.warning }],
        }),
      ),
    );
    return { message: document.querySelector<HTMLElement>('div.adn')!, view: document.body };
  };

  test.each([
    ['banner', { warning: 'banner' as const }, 'banner'],
    ['"via" another domain', { warning: 'via' as const }, 'via'],
    ['thread labelled Spam', { spam: true }, 'spam'],
    ['nothing', {}, null],
  ])('open message: %s', (_what, opts, expected) => {
    const { message, view } = threadWith(opts);
    expect(messageGmailWarning(message, view)).toBe(expected);
  });

  test('open message in the #spam view', () => {
    const { message, view } = threadWith({});
    location.hash = '#spam/FMfcgzQcqbV';
    try {
      expect(messageGmailWarning(message, view)).toBe('spam');
    } finally {
      location.hash = '#inbox';
    }
  });

  test('a display name or body saying "via" or "be careful" is not Gmail warning', () => {
    document.body.replaceChildren(
      build(
        messageNode({
          from: { name: 'TikTok via evil.example', email: from.email },
          messageId: '18f0a1b2c3d4e5f8',
          text: 'Be careful with this message. via evil.example',
          expanded: true,
        }),
      ),
    );
    expect(messageGmailWarning(document.querySelector('div.adn')!, document.body)).toBeNull();
  });

  test('rows: the Spam label chip, the #spam view, or nothing', () => {
    const row = (spamLabel: boolean) => {
      const table = document.createElement('table');
      for (const n of rowNodes({ from, subject: 'x', threadId: '18f0a1b2c3d4e5f9', spamLabel })) table.append(build(n));
      document.body.replaceChildren(table);
      return table.querySelector('tr')!;
    };
    expect(rowGmailWarning(row(true))).toBe('spam');
    expect(rowGmailWarning(row(false))).toBeNull();
    location.hash = '#spam';
    try {
      expect(rowGmailWarning(row(false))).toBe('spam');
    } finally {
      location.hash = '#inbox';
    }
  });
});

describe('lookalike letters come from Unicode confusables data', () => {
  const data = loadConfusables();

  test('utils/detect/confusables.ts is exactly what scripts/gen-confusables.ts derives (run npm run gen:confusables)', () => {
    expect(readFileSync('utils/detect/confusables.ts', 'utf8')).toBe(renderModule(deriveLookalikes(data)));
  });

  test('every confusable of t, i/l, k, o in the full data folds to that letter (forms NFKC makes ASCII read as written)', () => {
    const wrong: string[] = [];
    for (const [source, target] of Object.entries(data)) {
      const letter = { t: 't', i: 'i', l: 'i', k: 'k', o: 'o' }[plainFold(target)];
      if (!letter || /^[\x00-\x7f]*$/.test(source.normalize('NFKC')) || [...source.normalize('NFKC')].length !== 1)
        continue;
      if (skeleton(source) !== letter)
        wrong.push(`${source} U+${source.codePointAt(0)!.toString(16)} → ${skeleton(source)} (want ${letter})`);
    }
    expect(wrong).toEqual([]);
    expect(Object.values(LOOKALIKES).join('').length).toBeLessThan(800);
  });

  test('"TikTok" spelt with any one confusable per letter is a claim', () => {
    const pools = Object.fromEntries(Object.entries(deriveLookalikes(data)).map(([k, v]) => [k, [...v]]));
    let checked = 0;
    const misses: string[] = [];
    for (let i = 0; i < 200; i++) {
      const name = [...'tiktok'].map((letter, j) => pools[letter]![(i * 7 + j * 13) % pools[letter]!.length]).join('');
      checked++;
      if (!claimsTikTok(name)) misses.push(name);
    }
    expect(misses).toEqual([]);
    expect(checked).toBe(200);
  });
});
