/**
 * The black-box contract suite (tests/contract/suite.ts) against the server: with the TikTok emulator behind it on
 * PGlite and on PostgreSQL, and with no TikTok app at all (the simulated TikTok, as a fresh `npm run server` runs).
 * Only this harness makes the session and the link the suite is given (a real deployment gets them from a person).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { startServer, type RunningServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import { contractSuite, type ContractTarget } from '../contract/suite';
import { apiAt, EXTENSION_REDIRECT, startStack, stopPostgres, type DbKind, type Stack } from './harness';

afterAll(stopPostgres);

for (const db of ['pglite', 'postgres'] as DbKind[]) {
  describe(`server with TikTok's APIs (emulated) on ${db}`, () => {
    let s: Stack | null = null;
    let target: ContractTarget = { baseUrl: 'http://127.0.0.1:1' };
    beforeAll(async () => {
      s = await startStack({ db });
      const maya = s.tiktok.addAccount({ username: 'maya.creates' });
      const { token, link } = await s.link('alex@gmail.com', 'maya.creates');
      await s.tiktok.deliver(s.tiktok.incomingMessage(maya, { username: 'jordan.k' }, 'hello').webhook);
      await s.tiktok.deliver(s.tiktok.incomingComment(maya, { username: 'fan.4ever' }, 'nice').webhook);
      target = { baseUrl: s.url, session: token, linkId: link.link_id };
    }, 120_000);
    afterAll(() => s?.stop());
    contractSuite(`server, emulated TikTok, ${db}`, () => target);
  });
}

describe('server with no TikTok app (simulated TikTok) on PGlite', () => {
  let server: RunningServer | null = null;
  let dataDir = '';
  let target: ContractTarget = { baseUrl: 'http://127.0.0.1:1' };
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ttg-sim-'));
    server = await startServer(loadConfig({ PORT: '0', DATA_DIR: dataDir }), { log: () => undefined });
    const base = server.url;
    const gmail = 'alex.rivera.demo@gmail.com';
    const start = await apiAt(base, 'POST', '/v1/link/start', { email: gmail });
    const mail = ((await (await fetch(`${base}/dev/mailbox?to=${gmail}`)).json()) as { items: { subject: string }[] })
      .items[0]!;
    const verified = await apiAt(base, 'POST', '/v1/link/verify', {
      verification_id: start.data.verification_id,
      code: mail.subject.slice(0, 6),
    });
    const token = verified.data.session_token as string;
    const o = await apiAt(base, 'POST', '/v1/tiktok/oauth/start', { redirect_uri: EXTENSION_REDIRECT }, { token });
    const signIn = await (await fetch(o.data.authorize_url)).text();
    const username = /data-username="([^"]+)"/.exec(signIn)![1]!;
    const back = await fetch(o.data.authorize_url, {
      method: 'POST',
      body: new URLSearchParams({ state: o.data.state, username }),
      redirect: 'manual',
    });
    const done = await apiAt(
      base,
      'POST',
      '/v1/tiktok/oauth/complete',
      { state: o.data.state, callback_url: back.headers.get('location')! },
      { token },
    );
    target = { baseUrl: base, session: token, linkId: done.data.link_id };
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  contractSuite('server, simulated TikTok', () => target);
});
