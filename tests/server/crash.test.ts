/**
 * `kill -9` the real server process (`npm run server`'s entry) in the middle of sends and start it again on the same
 * data, on PGlite and on PostgreSQL: each reply reaches TikTok (the emulator) exactly once — the one TikTok had
 * already taken is found and not resent, the one it had not is sent — and the session and the link survive.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../support/smtp-sink';
import { startTikTokEmulator } from '../support/tiktok-emulator';
import { apiAt, emulatorEnv, eventually, linkVia, postgresDatabase, stopPostgres, type DbKind } from './harness';
import { freePort, startProcess } from './processes';

afterAll(stopPostgres);

describe.each<DbKind>(['pglite', 'postgres'])('kill -9 mid-send on %s', (db) => {
  it('each interrupted reply reaches TikTok exactly once after a restart; session and link survive', async () => {
    const tiktok = await startTikTokEmulator();
    const smtp = await startSmtpSink();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ttg-crash-'));
    const port = await freePort();
    const env = {
      ...emulatorEnv(tiktok, smtp),
      PORT: String(port),
      DATA_DIR: dataDir,
      TIKTOK_TIMEOUT_MS: '20000',
      ...(db === 'postgres' && { DATABASE_URL: await postgresDatabase() }),
    };
    let proc = await startProcess(env);
    try {
      tiktok.webhookUrl = `${proc.url}/webhooks/tiktok`;
      const maya = tiktok.addAccount({ username: 'maya.creates' });
      const { token, link } = await linkVia(proc.url, smtp, tiktok, 'alex@gmail.com', 'maya.creates');
      const api = (m: string, p: string, b?: unknown, key?: string) => apiAt(proc.url, m, p, b, { token, key });
      const a = tiktok.incomingMessage(maya, { username: 'jordan.k' }, 'Still on for Friday?');
      const b = tiktok.incomingMessage(maya, { username: 'sam.lee' }, 'Got the file?');
      await tiktok.deliver(a.webhook);
      await tiktok.deliver(b.webhook);
      await eventually(async () => (await api('GET', '/v1/events')).data.items.length >= 2);

      // TikTok takes the first send and hangs before answering; it hangs on the second before acting.
      tiktok.fail('message/send', 'timeout', { acted: true });
      const sendA = api(
        'POST',
        `/v1/links/${link.link_id}/conversations/${a.message.conversation_id}/messages`,
        { text: 'Yes, 10am!' },
        'crash-a',
      ).catch(() => null);
      await eventually(async () => tiktok.sentMessages(maya.open_id).some((m) => m.text === 'Yes, 10am!'));
      tiktok.fail('message/send', 'timeout', { acted: false });
      const sendB = api(
        'POST',
        `/v1/links/${link.link_id}/conversations/${b.message.conversation_id}/messages`,
        { text: 'Sending it now' },
        'crash-b',
      ).catch(() => null);
      await eventually(async () => tiktok.calls.filter((c) => c.path.includes('message/send')).length >= 2);

      proc.child.kill('SIGKILL');
      await new Promise((r) => proc.child.once('exit', r));
      await Promise.all([sendA, sendB]);

      proc = await startProcess(env);
      // Within a minute of the restart (the sends' lease), both are settled by the server on its own.
      const settled = async (cid: string, text: string, key: string) =>
        (await api('POST', `/v1/links/${link.link_id}/conversations/${cid}/messages`, { text }, key)).error.code ===
        'ok';
      await eventually(async () => tiktok.sentMessages(maya.open_id).some((m) => m.text === 'Sending it now'), 90_000);
      await eventually(
        async () =>
          (await settled(a.message.conversation_id, 'Yes, 10am!', 'crash-a')) &&
          settled(b.message.conversation_id, 'Sending it now', 'crash-b'),
        30_000,
      );
      expect(
        tiktok
          .sentMessages(maya.open_id)
          .map((m) => m.text)
          .sort(),
      ).toEqual(['Sending it now', 'Yes, 10am!']);
      expect((await api('GET', `/v1/links/${link.link_id}`)).data).toMatchObject({
        status: 'active',
        tiktok: { username: 'maya.creates' },
      });
    } finally {
      proc.child.kill('SIGKILL');
      await Promise.all([tiktok.stop(), smtp.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
