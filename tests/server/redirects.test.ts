/**
 * The server accepts only a browser extension's identity redirect at `oauth/start` (Chrome's
 * `https://<id>.chromiumapp.org/`, Firefox's `https://<sha1 of the add-on id>.extensions.allizom.org/`), and only the
 * configured extensions' when `ALLOWED_EXTENSION_IDS` is set: anything else is `invalid_params` naming `redirect_uri`.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { redirectPolicy } from '../../server/redirects';
import { startStack, type Stack } from './harness';

const CHROME_ID = 'abcdefghijklmnopabcdefghijklmnop';
const FIREFOX_ID = 'tiktok-gmail-link@example.org';
const FIREFOX_LABEL = createHash('sha1').update(FIREFOX_ID).digest('hex');
const CHROME = `https://${CHROME_ID}.chromiumapp.org/tiktok`;
const FIREFOX = `https://${FIREFOX_LABEL}.extensions.allizom.org/tiktok`;

const HOSTILE = [
  `http://${CHROME_ID}.chromiumapp.org/`,
  'http://127.0.0.1:8080/cb',
  'https://evil.example/cb',
  `https://${CHROME_ID}.chromiumapp.org.evil.example/`,
  `https://evil.example/${CHROME_ID}.chromiumapp.org/`,
  `https://x.${CHROME_ID}.chromiumapp.org/`,
  `https://${CHROME_ID}.chromiumapp.org:444/`,
  `https://user:pw@${CHROME_ID}.chromiumapp.org/`,
  `https://${CHROME_ID}.chromiumapp.org/?next=https://evil.example`,
  `https://${CHROME_ID}.chromiumapp.org/#x`,
  'https://abcdefghijklmnop.chromiumapp.org/', // 16 letters: not an extension id
  `https://${'z'.repeat(32)}.chromiumapp.org/`, // outside a–p
  `https://${FIREFOX_LABEL.slice(1)}.extensions.allizom.org/`,
  `https://${FIREFOX_LABEL}.allizom.org/`,
  'javascript:alert(1)',
  'not a url',
];

describe('the redirect allow-list', () => {
  it('by default accepts any extension identity redirect, Chrome and Firefox, and nothing else', () => {
    const check = redirectPolicy(null);
    expect(check(CHROME)).toBeNull();
    expect(check(`https://${CHROME_ID}.chromiumapp.org/`)).toBeNull();
    expect(check(FIREFOX)).toBeNull();
    expect(check(FIREFOX.toUpperCase().replace('HTTPS', 'https'))).toBeNull(); // hosts compare without case
    for (const bad of HOSTILE) expect(check(bad), bad).toMatch(/^redirect_uri must be an extension sign-in redirect/);
  });

  it('with ALLOWED_EXTENSION_IDS, only those extensions (the Firefox add-on id is hashed as Firefox does)', () => {
    const check = redirectPolicy(loadConfig({ ALLOWED_EXTENSION_IDS: `${CHROME_ID}, ${FIREFOX_ID}` }).extensionIds);
    expect(check(CHROME)).toBeNull();
    expect(check(FIREFOX)).toBeNull();
    expect(check(`https://${'p'.repeat(32)}.chromiumapp.org/`)).toMatch(/does not serve/);
    expect(check(`https://${'0'.repeat(40)}.extensions.allizom.org/`)).toMatch(/does not serve/);
    for (const bad of HOSTILE) expect(check(bad)).not.toBeNull();
    expect(() => loadConfig({ ALLOWED_EXTENSION_IDS: 'https://evil.example' })).toThrow(
      /^ALLOWED_EXTENSION_IDS is not valid/,
    );
  });
});

describe('oauth/start on the server', () => {
  let s: Stack;
  let token = '';
  beforeAll(async () => {
    s = await startStack({ db: 'pglite', env: { ALLOWED_EXTENSION_IDS: `${CHROME_ID},${FIREFOX_ID}` } });
    const start = await s.api('POST', '/v1/link/start', { email: 'alex@gmail.com' });
    const mail = await s.smtp.waitFor((m) => m.to.includes('alex@gmail.com'));
    token = (
      await s.api('POST', '/v1/link/verify', {
        verification_id: start.data.verification_id,
        code: mail.subject.slice(0, 6),
      })
    ).data.session_token;
  }, 60_000);
  afterAll(() => s?.stop());

  it("accepts the allowed extensions' Chrome and Firefox redirects and refuses every other", async () => {
    for (const ok of [CHROME, FIREFOX])
      expect((await s.api('POST', '/v1/tiktok/oauth/start', { redirect_uri: ok }, { token })).error.code, ok).toBe(
        'ok',
      );
    for (const bad of [...HOSTILE.filter((u) => /^https?:/.test(u)), `https://${'p'.repeat(32)}.chromiumapp.org/`]) {
      const r = await s.api('POST', '/v1/tiktok/oauth/start', { redirect_uri: bad }, { token });
      expect(r.status, bad).toBe(400);
      expect(r.error).toMatchObject({ code: 'invalid_params', details: { field: 'redirect_uri' } });
    }
  });
});
