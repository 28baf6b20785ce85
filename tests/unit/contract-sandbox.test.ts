// @vitest-environment node
/**
 * The black-box contract suite (tests/contract/suite.ts) against the embedded sandbox and the loopback HTTP sandbox,
 * each in both profiles (`simulated`, `tiktok-like`). Only this harness uses `/sandbox/` controls: to choose the
 * profile and to make the session and the link the suite is given (a real deployment gets them from a person).
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { FetchLike } from '@/utils/api/client';
import { createServiceClient } from '@/utils/api/client';
import { createSandbox, SEED_GMAIL, type MailboxEmail } from '@/utils/sandbox';
import { startSandboxServer, type SandboxServer } from '@/utils/sandbox/http-server';
import { contractSuite, type ContractTarget } from '../contract/suite';

const REDIRECT = 'https://abcdefghijklmnop.chromiumapp.org/';

async function linkedTarget(
  baseUrl: string,
  doFetch: FetchLike,
  profile: 'simulated' | 'tiktok-like',
): Promise<ContractTarget> {
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await doFetch(baseUrl + path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return ((await res.json()) as { data: T }).data;
  };
  await control('POST', '/sandbox/profile', { profile });
  const c = createServiceClient({ baseUrl, fetch: doFetch, maxRetries: 0 });
  const v = await c.linkStart(SEED_GMAIL);
  const { items } = await control<{ items: MailboxEmail[] }>(
    'GET',
    `/sandbox/mailbox?to=${encodeURIComponent(SEED_GMAIL)}`,
  );
  const code = /^(\d{6})/.exec(items[0]!.subject)![1]!;
  const { session_token } = await c.linkVerify(v.verification_id, code);
  const s = c.withToken(session_token);
  const o = await s.oauthStart(REDIRECT);
  // Messages and comments need a Business Account where the profile is tiktok-like.
  const username = profile === 'tiktok-like' ? 'riveracreates' : 'alex.rivera';
  const { redirect_url } = await control<{ redirect_url: string }>('POST', '/sandbox/oauth/decide', {
    state: o.state,
    username,
  });
  const link = await s.oauthComplete(o.state, redirect_url);
  return { baseUrl, fetch: doFetch, session: session_token, linkId: link.link_id };
}

for (const profile of ['simulated', 'tiktok-like'] as const) {
  describe(`embedded sandbox, ${profile}`, () => {
    let target: ContractTarget = { baseUrl: 'https://sandbox.invalid' };
    beforeAll(async () => {
      const sandbox = createSandbox({
        authorizeUrl: (q) => `chrome-extension://test/sandbox-signin.html?${new URLSearchParams(q)}`,
      });
      target = await linkedTarget(
        'https://sandbox.invalid',
        (input, init) => sandbox.handle(new Request(input, init)),
        profile,
      );
    });
    contractSuite(`embedded, ${profile}`, () => target);
  });

  describe(`HTTP sandbox, ${profile}`, () => {
    let server: SandboxServer | null = null;
    let target: ContractTarget = { baseUrl: 'http://127.0.0.1:1' };
    beforeAll(async () => {
      server = await startSandboxServer({ port: 0 });
      target = await linkedTarget(server.url, (input, init) => fetch(input, init), profile);
    });
    afterAll(() => server?.close());
    contractSuite(`HTTP, ${profile}`, () => target);
  });
}
