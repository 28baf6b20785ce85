/**
 * What a reply email's own text is (server/mail/reply-text.ts) over the corpus of replies as mail programs write them
 * (tests/fixtures/reply-email/corpus.ts), the reply-token format (server/mail/reply-token.ts): signed, bound to
 * its thread, refused when garbled, any case accepted; a trusted relay's verdict (inbound-auth.ts); the settings.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { authProblem } from '../../server/mail/inbound-auth';
import { readReplyToken, replyAddress, replyToken, tokenOfAddress } from '../../server/mail/reply-token';
import { replyText } from '../../server/mail/reply-text';
import { REPLY_CORPUS } from '../fixtures/reply-email/corpus';

describe('reply text', () => {
  it(`keeps exactly what the person wrote in each of the ${REPLY_CORPUS.length} replies of the corpus`, () => {
    expect(REPLY_CORPUS.length).toBeGreaterThanOrEqual(30);
    const wrong = REPLY_CORPUS.map((c) => ({ name: c.name, got: replyText(c), want: c.expect })).filter(
      (r) => r.got !== r.want,
    );
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
    for (const bad of [
      '',
      'x',
      token.slice(0, 39),
      `${token}0`,
      flipped,
      forgedThread,
      token.replace(/^./, 'g'),
      `../${token}`,
    ]) {
      expect(readReplyToken(key, bad), bad).toBeNull();
    }
  });
});

describe('inbound authentication by a trusted relay', () => {
  const auth = { mode: 'relay' as const, authservId: 'mx.provider.example' };
  const lines = (...values: string[]) =>
    values.map((v) => ({ key: 'authentication-results', line: `Authentication-Results: ${v}` }));
  const check = (...values: string[]) => authProblem(auth, Buffer.alloc(0), lines(...values), 'gmail.com', {});

  it("trusts only the relay's own Authentication-Results saying dmarc=pass for the From domain", async () => {
    expect(
      await check(
        'mx.provider.example; dkim=pass header.d=gmail.com; spf=pass; dmarc=pass (p=NONE) header.from=gmail.com',
      ),
    ).toBeNull();
    expect(await check('mx.provider.example;\r\n\tdmarc=pass header.from=GMAIL.com')).toBeNull();
    expect(await check('evil.example; dmarc=pass header.from=gmail.com')).toMatch(/no Authentication-Results/);
    expect(
      await check(
        'mx.provider.example; dmarc=fail header.from=gmail.com',
        'evil.example; dmarc=pass header.from=gmail.com',
      ),
    ).toMatch(/DMARC fail/);
    expect(await check('mx.provider.example; dmarc=pass header.from=evil.example')).toMatch(/not gmail\.com/);
    expect(await check('mx.provider.example; dkim=pass header.d=gmail.com')).toMatch(/not evaluated/);
  });
});

describe('reply-by-email settings', () => {
  const base = { DATA_DIR: '/tmp/unused', REPLY_DOMAIN: 'reply.example.com' };
  it('need a way in, a relay for relay mode, and never INBOUND_AUTH=off in production', () => {
    expect(() => loadConfig(base)).toThrow(/REPLY_DOMAIN needs INBOUND_SMTP_PORT .* or INBOUND_SECRET/);
    expect(() => loadConfig({ DATA_DIR: '/tmp/unused', INBOUND_SMTP_PORT: '2525' })).toThrow(
      /REPLY_DOMAIN is required with INBOUND_SMTP_PORT/,
    );
    expect(() => loadConfig({ ...base, INBOUND_SECRET: 'short' })).toThrow(
      /INBOUND_SECRET is not valid: must be at least 16 characters\.$/,
    );
    expect(() => loadConfig({ ...base, INBOUND_SMTP_PORT: '25', INBOUND_AUTH: 'relay' })).toThrow(
      /INBOUND_TRUSTED_RELAY is required/,
    );
    const production = {
      ...base,
      INBOUND_SMTP_PORT: '25',
      NODE_ENV: 'production',
      SECRET_KEY: 'a'.repeat(64),
      SMTP_URL: 'smtp://x',
      MAIL_FROM: 'L <l@example.com>',
    };
    expect(() => loadConfig({ ...production, INBOUND_AUTH: 'off' })).toThrow(/refused when NODE_ENV=production/);
    expect(loadConfig({ ...base, INBOUND_SMTP_PORT: '25', REPLY_DOMAIN: 'Reply.Example.com' }).reply).toMatchObject({
      domain: 'reply.example.com',
      smtpPort: 25,
      smtpHost: '127.0.0.1',
      auth: 'dmarc',
      secret: null,
      maxBytes: 5_000_000,
    });
    expect(loadConfig({ DATA_DIR: '/tmp/unused' }).reply).toBeNull();
    expect(() => loadConfig({ ...base, REPLY_DOMAIN: 'not a domain' })).toThrow(/REPLY_DOMAIN is not valid/);
  });
});
