/**
 * What a reply email's own text is (server/mail/reply-text.ts) over the corpus of replies as mail programs write them
 * (tests/fixtures/reply-email/corpus.ts), and the reply-token format (server/mail/reply-token.ts): signed, bound to
 * its thread, refused when garbled, any case accepted.
 */
import { describe, expect, it } from 'vitest';
import { readReplyToken, replyAddress, replyToken, tokenOfAddress } from '../../server/mail/reply-token';
import { replyText } from '../../server/mail/reply-text';
import { REPLY_CORPUS } from '../fixtures/reply-email/corpus';

describe('reply text', () => {
  it(`keeps exactly what the person wrote in each of the ${REPLY_CORPUS.length} replies of the corpus`, () => {
    expect(REPLY_CORPUS.length).toBeGreaterThanOrEqual(30);
    const wrong = REPLY_CORPUS.map((c) => ({ name: c.name, got: replyText(c), want: c.expect })).filter((r) => r.got !== r.want);
    expect(wrong).toEqual([]);
  });

  it('survives hostile input: huge, deeply nested, broken entities', () => {
    const started = Date.now();
    expect(replyText({ html: `${'<div>'.repeat(30_000)}hi${'</div>'.repeat(30_000)}` })).toBe('hi');
    expect(replyText({ html: 'a &#99999999; &#x110000; &#0; &bogus; b' })).toBe('a    &bogus; b');
    expect(replyText({ text: `${'> quoted\n'.repeat(100_000)}` })).toBe('');
    expect(replyText({ text: 'x'.repeat(1_000_000) }).length).toBe(200_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('reply token', () => {
  const key = Buffer.alloc(32, 7);
  const other = Buffer.alloc(32, 8);
  const thread = '00112233445566778899';

  it('names its thread, in any case, only with the right key', () => {
    const token = replyToken(key, thread);
    expect(token).toMatch(/^[0-9a-f]{40}$/);
    expect(readReplyToken(key, token)).toBe(thread);
    expect(readReplyToken(key, token.toUpperCase())).toBe(thread);
    expect(readReplyToken(other, token)).toBeNull();
    const address = replyAddress(key, thread, 'reply.link.example');
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
    expect(tokenOfAddress(address.toUpperCase(), 'reply.link.example')).toBe(token.toUpperCase());
    expect(tokenOfAddress(address, 'other.example')).toBeNull();
    expect(tokenOfAddress('maya@reply.link.example', 'reply.link.example')).toBeNull();
  });

  it('refuses garbled tokens and one thread id carrying another thread’s MAC', () => {
    const token = replyToken(key, thread);
    const forgedThread = `${'99887766554433221100'}${token.slice(20)}`;
    const flipped = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
    for (const bad of ['', 'x', token.slice(0, 39), `${token}0`, flipped, forgedThread, token.replace(/^./, 'g'), `../${token}`]) {
      expect(readReplyToken(key, bad), bad).toBeNull();
    }
  });
});
