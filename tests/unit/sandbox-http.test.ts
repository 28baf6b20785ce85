// @vitest-environment node
/**
 * What only the loopback HTTP transport does: CORS for the extension's worker, the TikTok sign-in and consent page
 * (text escaped, Allow / scopes / Cancel answered with a redirect to the extension's redirect URL), dropped sockets,
 * and binding to 127.0.0.1.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServiceClient, type ServiceClient } from '@/utils/api/client';
import { SEED_GMAIL, type MailboxEmail } from '@/utils/sandbox';
import { startSandboxServer, type SandboxServer } from '@/utils/sandbox/http-server';
import { seedState } from '@/utils/sandbox/state';

const REDIRECT = 'https://abcdefghijklmnop.chromiumapp.org/cb';
let server: SandboxServer;

beforeAll(async () => {
  const state = seedState(Date.now());
  state.users['alex.rivera']!.display_name = '<img src=x onerror=alert(1)> Alex';
  server = await startSandboxServer({ port: 0, state });
});
afterAll(() => server.close());

async function signedIn(): Promise<ServiceClient> {
  const c = createServiceClient({ baseUrl: server.url, maxRetries: 0 });
  const v = await c.linkStart(SEED_GMAIL);
  const mail = (await (await fetch(`${server.url}/sandbox/mailbox?to=${SEED_GMAIL}`)).json()) as {
    data: { items: MailboxEmail[] };
  };
  const code = /^(\d{6})/.exec(mail.data.items[0]!.subject)![1]!;
  return c.withToken((await c.linkVerify(v.verification_id, code)).session_token);
}

describe('sandbox HTTP server', () => {
  let c: ServiceClient;
  let authorizeUrl = '';
  let state = '';
  beforeEach(async () => {
    // every test signs in again: move past the hourly limit of codes per address
    await fetch(`${server.url}/sandbox/clock`, { method: 'POST', body: JSON.stringify({ advance_s: 3_601 }) });
    c = await signedIn();
    ({ authorize_url: authorizeUrl, state } = await c.oauthStart(REDIRECT));
  });

  it('listens on 127.0.0.1 and answers CORS preflights for any origin', async () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
    const pre = await fetch(`${server.url}/v1/link/start`, {
      method: 'OPTIONS',
      headers: {
        origin: 'chrome-extension://abc',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'idempotency-key, content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    expect(pre.headers.get('access-control-allow-private-network')).toBe('true');
    const res = await fetch(`${server.url}/v1/links`, { headers: { origin: 'chrome-extension://abc' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('retry-after');
  });

  it('serves the sign-in page with the accounts as escaped text and the consent list', async () => {
    expect(authorizeUrl.startsWith(`${server.url}/sandbox/oauth/authorize?`)).toBe(true);
    const page = await fetch(authorizeUrl);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; Alex');
    expect(html).not.toContain('<img');
    expect(html).toContain('value="riveracreates"');
    expect(html).toContain('value="direct_message.send"');
  });

  it('answers Allow with a redirect carrying code and state; the unticked scopes are not granted', async () => {
    const form = new URLSearchParams([
      ['scopes_shown', '1'],
      ['scope', 'comment.list'],
      ['scope', 'comment.reply'],
      ['username', 'alex.rivera'],
    ]);
    const res = await fetch(authorizeUrl, { method: 'POST', body: form, redirect: 'manual' });
    expect(res.status).toBe(303);
    const to = new URL(res.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(REDIRECT);
    expect(to.searchParams.get('state')).toBe(state);
    const link = await c.oauthComplete(state, to.toString());
    expect(link.capabilities).toMatchObject({ messages: false, comments: true });
  });

  it('answers Cancel with error=access_denied', async () => {
    const res = await fetch(authorizeUrl, {
      method: 'POST',
      body: new URLSearchParams({ deny: '1' }),
      redirect: 'manual',
    });
    const to = new URL(res.headers.get('location')!);
    expect(to.searchParams.get('error')).toBe('access_denied');
    await expect(c.oauthComplete(state, to.toString())).rejects.toMatchObject({ code: 'permission_denied' });
  });

  it('shows an error page, not a redirect, for an unknown sign-in', async () => {
    const res = await fetch(
      `${server.url}/sandbox/oauth/authorize?state=st_unknown&redirect_uri=${encodeURIComponent(REDIRECT)}`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Unknown sign-in attempt');
  });

  it('destroys the socket for the drop fault', async () => {
    await fetch(`${server.url}/sandbox/faults`, {
      method: 'POST',
      body: JSON.stringify({ count: 1, kinds: ['drop'] }),
    });
    await expect(fetch(`${server.url}/v1/links`)).rejects.toThrow(TypeError);
    expect((await fetch(`${server.url}/v1/links`)).status).toBe(401);
  });
});
