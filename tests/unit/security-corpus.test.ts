/**
 * Hostile email corpus through the detection functions (issue 8 item 1, unit level): no impostor is recognised as
 * TikTok, every genuine email still is, every impostor claiming TikTok is flagged, and no TikTok action link is
 * offered for a non-TikTok destination. Links are judged with the corpus's own checker, not with utils/detect.
 */
import { describe, expect, test } from 'vitest';
import { classifyEmail, type Classification } from '@/utils/detect';
import { HOSTILE_CORPUS, TRAP_TITLE, isTikTokActionUrl, type HostileEmail } from '../fixtures/hostile/corpus';

/** As an open message (body and links) and as a list row (sender and subject only). */
const views = (e: HostileEmail) => ({
  message: classifyEmail(e.from, { subject: e.subject, body: e.text, links: e.links.map((l) => ({ href: l.href })) }),
  row: classifyEmail(e.from, { subject: e.subject }),
});

const SAFE_FACT = /^[A-Za-z0-9_.-]*$/;

describe('hostile email corpus', () => {
  const started = performance.now();
  const results = HOSTILE_CORPUS.map((e) => ({ e, ...views(e) }));
  const elapsedMs = performance.now() - started;

  test('is large and covers every family of attack', () => {
    expect(HOSTILE_CORPUS.length).toBeGreaterThanOrEqual(200);
    expect(new Set(HOSTILE_CORPUS.map((e) => e.id)).size).toBe(HOSTILE_CORPUS.length);
    expect(HOSTILE_CORPUS.filter((e) => e.expect.genuine).length).toBeGreaterThanOrEqual(40);
    expect(HOSTILE_CORPUS.filter((e) => e.expect.impostor).length).toBeGreaterThanOrEqual(40);
  });

  test('no impostor or other sender is recognised as TikTok, and every genuine one is', () => {
    const wrong = results.flatMap(({ e, message, row }) =>
      [message, row]
        .filter((c) => c.tiktok !== e.expect.genuine)
        .map(() => `${e.id} ${e.category} <${e.from.email}>: expected genuine=${e.expect.genuine}`),
    );
    expect(wrong).toEqual([]);
  });

  test('every impostor claiming TikTok is flagged, and nothing else is', () => {
    const wrong = results.flatMap(({ e, message, row }) =>
      [message, row]
        .filter((c) => c.impostor !== e.expect.impostor)
        .map(() => `${e.id} ${e.category} "${e.from.name}" <${e.from.email}>: expected impostor=${e.expect.impostor}`),
    );
    expect(wrong).toEqual([]);
  });

  test('no TikTok action link for a non-TikTok destination, and TikTok links behind wrappers survive', () => {
    const offending: string[] = [];
    for (const { e, message } of results) {
      if (!message.tiktok) continue;
      for (const link of message.facts.tiktok_links) {
        if (!isTikTokActionUrl(link, e.expect.allowed_link_hosts ?? []))
          offending.push(`${e.id} ${e.category}: ${link}`);
      }
      for (const fact of [
        message.facts.username,
        message.facts.video_id,
        message.facts.authorization_id,
        message.facts.code,
      ]) {
        if (fact !== undefined && !SAFE_FACT.test(fact)) offending.push(`${e.id}: unsafe fact ${JSON.stringify(fact)}`);
      }
    }
    expect(offending).toEqual([]);
    const kept = results.filter(
      ({ e, message }) =>
        e.category === 'wrapped-tiktok-genuine' && message.tiktok && message.facts.tiktok_links.length === 1,
    );
    expect(kept.length).toBe(HOSTILE_CORPUS.filter((e) => e.category === 'wrapped-tiktok-genuine').length);
  });

  test('prints the counts', () => {
    const genuine = results.filter(({ e }) => e.expect.genuine);
    const recognised = genuine.filter(({ message, row }) => message.tiktok && row.tiktok).length;
    const isTikTok = (c: Classification) => c.tiktok;
    const accepted = results.filter(
      ({ e, message, row }) => !e.expect.genuine && (isTikTok(message) || isTikTok(row)),
    ).length;
    const impostors = results.filter(({ e }) => e.expect.impostor);
    const warned = impostors.filter(({ message, row }) => message.impostor && row.impostor).length;
    const offered = results.flatMap(({ e, message }) =>
      message.tiktok
        ? message.facts.tiktok_links.filter((l) => !isTikTokActionUrl(l, e.expect.allowed_link_hosts ?? []))
        : [],
    ).length;
    const linksKept = results.reduce(
      (n, { message }) => n + (message.tiktok ? message.facts.tiktok_links.length : 0),
      0,
    );
    const executed =
      Number((globalThis as { __ttgPwned?: number }).__ttgPwned ?? 0) + (document.title === TRAP_TITLE ? 1 : 0);
    console.log(
      `hostile corpus: ${HOSTILE_CORPUS.length} emails, ${executed} executed, ${accepted} impostors/others accepted as TikTok, ` +
        `${impostors.length - warned}/${impostors.length} impostors unflagged, ${offered} non-TikTok links offered, ` +
        `${linksKept} TikTok links kept, ${recognised}/${genuine.length} genuine recognised, ${elapsedMs.toFixed(0)} ms for ${HOSTILE_CORPUS.length * 2} classifications`,
    );
    expect(executed).toBe(0);
    expect(accepted).toBe(0);
    expect(warned).toBe(impostors.length);
    expect(offered).toBe(0);
    expect(recognised).toBe(genuine.length);
  });
});
