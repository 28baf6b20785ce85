/**
 * The server's pure pieces, many inputs per class: settings (a bad value names its variable, secrets are never
 * echoed), token sealing and state signing, webhook signatures, and TikTok's long ids parsed exactly without
 * touching numbers inside message texts.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, helpText, loadConfig } from '../../server/config';
import { secretsFrom } from '../../server/crypto';
import { parseTikTokJson } from '../../server/tiktok/json';
import { signatureProblem } from '../../server/webhooks';

describe('settings', () => {
  it('defaults run with nothing set', () => {
    expect(loadConfig({})).toMatchObject({
      port: 8788,
      host: '127.0.0.1',
      tiktok: null,
      signin: 'business',
      dataDir: '.data/server',
      webhookToleranceS: 300,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '-1'],
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['PUBLIC_URL', 'ftp://x'],
    ['PUBLIC_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://x'],
    ['SECRET_KEY', 'short'],
    ['SECRET_KEY', 'ab'.repeat(16)],
    ['SMTP_URL', 'http://mail'],
    ['MAIL_FROM', 'me@example.com'],
    ['TIKTOK_SIGNIN', 'personal'],
    ['TIKTOK_AUTH_URL', 'tiktok.com'],
    ['TIKTOK_TIMEOUT_MS', '5'],
    ['WEBHOOK_TOLERANCE_S', '1e9'],
    ['TIKTOK_PKCE_ENCODING', 'plain'],
  ])('%s=%s stops the server with one sentence naming it', (name, value) => {
    const e = (() => {
      try {
        loadConfig({ [name]: value });
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(ConfigError);
    const message = (e as Error).message;
    expect(message.startsWith(`${name} `)).toBe(true);
    expect(message.split(/\. /)).toHaveLength(1);
    if (['SECRET_KEY', 'DATABASE_URL', 'SMTP_URL'].includes(name)) expect(message).not.toContain(value);
  });

  it('production needs a key, SMTP and a sender; an app needs both halves', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/^SECRET_KEY/);
    const key = randomBytes(32).toString('hex');
    expect(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: key })).toThrow(/^SMTP_URL/);
    expect(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: key, SMTP_URL: 'smtp://a:b@h:25' })).toThrow(
      /^MAIL_FROM/,
    );
    expect(
      loadConfig({
        NODE_ENV: 'production',
        SECRET_KEY: randomBytes(48).toString('base64'),
        SMTP_URL: 'smtp://a:b@h:25',
        MAIL_FROM: 'Link <l@example.com>',
      }).mailFrom,
    ).toEqual({ name: 'Link', email: 'l@example.com' });
    expect(() => loadConfig({ TIKTOK_CLIENT_KEY: 'k' })).toThrow(/^TIKTOK_CLIENT_SECRET/);
    expect(() => loadConfig({ TIKTOK_CLIENT_SECRET: 's' })).toThrow(/^TIKTOK_CLIENT_KEY/);
  });

  it('--help lists every setting', () => {
    for (const name of [
      'PORT',
      'HOST',
      'PUBLIC_URL',
      'DATABASE_URL',
      'DATA_DIR',
      'SECRET_KEY',
      'SMTP_URL',
      'MAIL_FROM',
      'TIKTOK_CLIENT_KEY',
      'TIKTOK_CLIENT_SECRET',
      'TIKTOK_SIGNIN',
      'TIKTOK_AUTH_URL',
      'TIKTOK_OPEN_API_URL',
      'TIKTOK_BUSINESS_API_URL',
    ]) {
      expect(helpText()).toContain(`  ${name} `);
    }
  });
});

describe('sealing and signing', () => {
  const a = secretsFrom(randomBytes(32));
  const b = secretsFrom(randomBytes(32));

  it('a sealed token opens only with the same key and the same row', () => {
    const sealed = a.seal('act.secret-token', 'access:lnk_1');
    expect(sealed).not.toContain('secret-token');
    expect(a.seal('act.secret-token', 'access:lnk_1')).not.toBe(sealed); // random IV
    expect(a.open(sealed, 'access:lnk_1')).toBe('act.secret-token');
    expect(() => a.open(sealed, 'access:lnk_2')).toThrow();
    expect(() => b.open(sealed, 'access:lnk_1')).toThrow();
    const [v, iv, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => a.open(`${v}.${iv}.${flipped.toString('base64url')}`, 'access:lnk_1')).toThrow();
    for (const junk of ['', 'v1', 'v1..', 'v2.a.b', 'plain-token']) expect(() => a.open(junk, 'x')).toThrow();
  });

  it('signatures verify only for the same payload and key', () => {
    const sig = a.sign('oauth-state:st_1');
    expect(a.verify('oauth-state:st_1', sig)).toBe(true);
    for (const [payload, s] of [
      ['oauth-state:st_2', sig],
      ['oauth-state:st_1', b.sign('oauth-state:st_1')],
      ['oauth-state:st_1', ''],
      ['oauth-state:st_1', 'x'.repeat(43)],
    ]) {
      expect(a.verify(payload!, s!)).toBe(false);
    }
  });
});

describe('webhook signatures', () => {
  const secret = 'client-secret';
  const body = '{"event":"im_receive_msg"}';
  const now = 1_764_000_000_000;
  const t = now / 1000;
  const sign = (ts: number, raw = body, key = secret) =>
    `t=${ts},s=${createHmac('sha256', key).update(`${ts}.${raw}`).digest('hex')}`;

  it('accepts a fresh signature of the raw body', () => {
    expect(signatureProblem(body, sign(t), secret, now, 300)).toBeNull();
    expect(signatureProblem(body, sign(t - 299), secret, now, 300)).toBeNull();
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['no s', `t=${t}`],
    ['no t', 's=abc'],
    ['t not a number', 'Tt=x,s=00'],
    ['stale', sign(t - 301)],
    ['from the future', sign(t + 301)],
    ['other secret', sign(t, body, 'nope')],
    ['other body', sign(t, `${body} `)],
    ['short s', `t=${t},s=abcd`],
    ['non-hex s', `t=${t},s=${'z'.repeat(64)}`],
  ])('refuses %s', (_name, header) => {
    expect(signatureProblem(body, header, secret, now, 300)).not.toBeNull();
  });
});

describe("TikTok's long ids", () => {
  it('parses ids above 2^53 exactly and leaves small numbers and texts alone', () => {
    const raw =
      '{"code":0,"data":{"messages":[{"message_id":7301234567890123456789,"timestamp":1764000000000,"text":{"body":"call 12345678901234567890, ok \\" 98765432109876543210"}}],"n":-1.5e3,"big":[7301234567890123456,1]}}';
    const out = parseTikTokJson(raw) as {
      code: number;
      data: {
        messages: { message_id: string; timestamp: number; text: { body: string } }[];
        n: number;
        big: unknown[];
      };
    };
    expect(out.code).toBe(0);
    expect(out.data.messages[0]!.message_id).toBe('7301234567890123456789');
    expect(out.data.messages[0]!.timestamp).toBe(1764000000000);
    expect(out.data.messages[0]!.text.body).toBe('call 12345678901234567890, ok " 98765432109876543210');
    expect(out.data.n).toBe(-1500);
    expect(out.data.big).toEqual(['7301234567890123456', 1]);
  });

  it('still refuses what is not JSON', () => {
    for (const bad of ['', '{', '{"a":}', 'nope', '{"a":1}}']) expect(() => parseTikTokJson(bad)).toThrow();
  });
});
