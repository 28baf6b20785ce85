/**
 * Secrets at rest (issue 17, security), on PostgreSQL: after linking two accounts, sending, and a refresh that rotated
 * every token, `pg_dump` of the whole database holds none of the TikTok access or refresh tokens the emulator ever
 * issued, no session token and no OAuth callback code, and neither do the server's logs; sessions are stored as their
 * SHA-256. SECRET_KEY rotation: with the new key and SECRET_KEY_PREVIOUS the old tokens still open, are sealed again
 * at start, and then the new key alone suffices; without SECRET_KEY_PREVIOUS the links ask for a new sign-in.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { eventually, startStack, stopPostgres, type Stack } from './harness';

afterAll(stopPostgres);

const pgDump = (url: string) =>
  execFileSync('/usr/lib/postgresql/15/bin/pg_dump', ['--data-only', '--inserts', url], {
    maxBuffer: 256 * 1024 * 1024,
  }).toString();
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function linkAndSend(s: Stack, gmail: string, username: string) {
  const account = s.tiktok.addAccount({ username });
  const { token, link } = await s.link(gmail, username);
  const dm = s.tiktok.incomingMessage(account, { username: `fan.of.${username}` }, 'hi there');
  await s.tiktok.deliver(dm.webhook);
  await eventually(async () => (await s.api('GET', '/v1/events', undefined, { token })).data.items.length >= 2);
  const send = (text: string) =>
    s.api(
      'POST',
      `/v1/links/${link.link_id}/conversations/${dm.message.conversation_id}/messages`,
      { text },
      { token, key: randomBytes(8).toString('hex') },
    );
  return { account, token, link, send };
}

it('no TikTok token, session token or callback code in the database dump or the logs; sessions are hashes', async () => {
  const logs: string[] = [];
  const s = await startStack({
    db: 'postgres',
    env: { SECRET_KEY: randomBytes(32).toString('hex') },
    log: (l) => logs.push(l),
  });
  try {
    const a = await linkAndSend(s, 'alex@gmail.com', 'maya.creates');
    const b = await linkAndSend(s, 'blair@gmail.com', 'sam.bakes');
    expect((await a.send('first')).error.code).toBe('ok');
    s.tiktok.expireTokens(); // the next calls refresh: new access and refresh tokens (rotated)
    expect((await a.send('after refresh')).error.code).toBe('ok');
    expect((await b.send('after refresh too')).error.code).toBe('ok');
    s.tiktok.fail('message/send', 'http500'); // an error path logs too
    await b.send('through an error');

    const dump = pgDump(s.env.DATABASE_URL!);
    expect(dump).toContain('maya.creates'); // the dump is real and holds the links
    const tokens = s.tiktok.issued;
    expect(tokens.length).toBeGreaterThanOrEqual(8); // 2 sign-ins + 2 refreshes, access + refresh each
    const leaks = (where: string) => [...tokens, a.token, b.token].filter((tok) => where.includes(tok));
    expect(leaks(dump)).toEqual([]);
    expect(leaks(logs.join('\n'))).toEqual([]);
    // Sessions: only their SHA-256 is stored; the plain token appears nowhere.
    expect(dump).toContain(sha256(a.token));
    const codes = s.tiktok.calls
      .filter((c) => c.path.includes('oauth2/token'))
      .map((c) => JSON.parse(c.body).auth_code as string);
    expect(codes.length).toBe(2);
    expect(codes.filter((c) => dump.includes(c))).toEqual([]);
  } finally {
    await s.stop();
  }
});

it('SECRET_KEY rotation: old tokens open with SECRET_KEY_PREVIOUS, are sealed again at start, then the new key alone works', async () => {
  const oldKey = randomBytes(32).toString('hex');
  const newKey = randomBytes(32).toString('base64');
  const logs: string[] = [];
  const s = await startStack({ db: 'postgres', env: { SECRET_KEY: oldKey }, log: (l) => logs.push(l) });
  try {
    const a = await linkAndSend(s, 'alex@gmail.com', 'maya.creates');
    const sealedBefore = pgDump(s.env.DATABASE_URL!);

    Object.assign(s.env, { SECRET_KEY: newKey, SECRET_KEY_PREVIOUS: oldKey });
    await s.restart();
    await eventually(async () => logs.some((l) => /SECRET_KEY rotation: 1 links sealed again/.test(l)));
    expect((await s.api('GET', `/v1/links/${a.link.link_id}`, undefined, { token: a.token })).data.status).toBe(
      'active',
    );
    expect((await a.send('during the rotation')).error.code).toBe('ok');

    delete s.env.SECRET_KEY_PREVIOUS;
    await s.restart();
    expect((await a.send('after the rotation')).error.code).toBe('ok');
    expect(s.tiktok.calls.filter((c) => c.path.includes('refresh_token')).length).toBe(0); // the stored tokens were used, not replaced
    expect(s.tiktok.sentMessages(a.account.open_id).map((m) => m.text)).toEqual([
      'during the rotation',
      'after the rotation',
    ]);

    // Control: a key changed without SECRET_KEY_PREVIOUS leaves the tokens unreadable: the link needs a new sign-in.
    Object.assign(s.env, { SECRET_KEY: randomBytes(32).toString('hex') });
    await s.restart();
    const lost = await a.send('with a lost key');
    expect(lost.error.code).toBe('reauth_required');
    expect(sealedBefore).not.toBe('');
  } finally {
    await s.stop();
  }
});
