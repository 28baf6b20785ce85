/**
 * A reply whose outcome is unknown when its link stops being active (issue 17, "never sent twice"), on PGlite and on
 * PostgreSQL, with the TikTok emulator: the send times out (after TikTok acted, or before), TikTok then refuses the
 * grant on the client's retry (the link becomes `reauth_required`) or the person unlinks, the server's sweep runs,
 * the person signs in again (same session, or a new one after unlinking), and the client retries with the same
 * Idempotency-Key, as the extension's outbox does with a reply it kept. TikTok must have the message exactly once,
 * and the retry must answer the message TikTok has. While the link needs a sign-in the client hears
 * `reauth_required` (the extension keeps the reply as a draft saying so), never a result that drops the reply.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatedAccount } from '../support/tiktok-emulator';
import {
  eventually,
  linkVia,
  signInVia,
  startStack,
  stopPostgres,
  type DbKind,
  type Envelope,
  type Stack,
} from './harness';

afterAll(stopPostgres);

describe.each<DbKind>(['pglite', 'postgres'])('a send of unknown outcome across a re-link, on %s', (db) => {
  let s: Stack;
  let maya: EmulatedAccount;
  let token: string;
  let linkId: string;
  let fans = 0;

  beforeAll(async () => {
    s = await startStack({ db });
    maya = s.tiktok.addAccount({ username: 'maya.creates' });
    ({
      token,
      link: { link_id: linkId },
    } = await s.link('alex@gmail.com', 'maya.creates'));
  }, 90_000);
  afterAll(() => s?.stop());

  /** A new conversation (a fan wrote, its webhook was seen): its id. */
  async function conversation(): Promise<string> {
    const { message, webhook } = s.tiktok.incomingMessage(maya, { username: `fan.${++fans}` }, 'hello?');
    await s.tiktok.deliver(webhook);
    await eventually(async () =>
      (
        (await s.api('GET', '/v1/events?limit=100', undefined, { token })).data.items as {
          ref: { conversation_id?: string };
        }[]
      ).some((e) => e.ref.conversation_id === message.conversation_id),
    );
    return message.conversation_id;
  }
  const send = (cid: string, text: string, key: string): Promise<Envelope<any>> =>
    s.api('POST', `/v1/links/${linkId}/conversations/${cid}/messages`, { text }, { token, key });
  const atTikTok = (text: string) => s.tiktok.sentMessages(maya.open_id).filter((m) => m.text === text);
  const linkStatus = async () => (await s.api('GET', `/v1/links/${linkId}`, undefined, { token })).data.status;

  /** The send times out (TikTok acted or not), then TikTok refuses the grant on the retry, then the sweep runs. */
  async function unknownThenReauth(cid: string, text: string, key: string, acted: boolean) {
    s.tiktok.fail('business/message/send/', 'timeout', { acted });
    expect((await send(cid, text, key)).error.code).toBe('upstream_error');
    expect(atTikTok(text)).toHaveLength(acted ? 1 : 0);
    s.tiktok.refuseRefresh();
    s.tiktok.expireTokens();
    const refused = await send(cid, text, key);
    expect(refused).toMatchObject({ status: 401, error: { code: 'reauth_required' } });
    expect(await linkStatus()).toBe('reauth_required');
    await s.server.service.resumeSends();
    s.tiktok.refuseRefresh(false);
  }

  it('TikTok acted, the link needed a sign-in, the person signed in again: the retry answers that message, sent once', async () => {
    const cid = await conversation();
    await unknownThenReauth(cid, 'Acted before the sign-in', 'relink-acted', true);
    const relinked = await signInVia(s.url, s.tiktok, token, 'maya.creates');
    expect(relinked).toMatchObject({ link_id: linkId, status: 'active' });
    const again = await send(cid, 'Acted before the sign-in', 'relink-acted');
    expect(again.error.code).toBe('ok');
    const [sent, ...more] = atTikTok('Acted before the sign-in');
    expect(more).toHaveLength(0);
    expect(again.data.message_id).toBe(sent!.message_id);
    const replay = await send(cid, 'Acted before the sign-in', 'relink-acted');
    expect(replay.data.message_id).toBe(sent!.message_id);
    expect(atTikTok('Acted before the sign-in')).toHaveLength(1);
  }, 60_000);

  it('TikTok did not act, the link needed a sign-in, the person signed in again: the retry sends it once', async () => {
    const cid = await conversation();
    await unknownThenReauth(cid, 'Never reached TikTok', 'relink-lost', false);
    await signInVia(s.url, s.tiktok, token, 'maya.creates');
    await s.server.service.resumeSends(); // the sweep leaves it to the client's retry
    expect(atTikTok('Never reached TikTok')).toHaveLength(0);
    const again = await send(cid, 'Never reached TikTok', 'relink-lost');
    expect(again.error.code).toBe('ok');
    expect(atTikTok('Never reached TikTok')).toHaveLength(1);
    expect(again.data.message_id).toBe(atTikTok('Never reached TikTok')[0]!.message_id);
    expect((await send(cid, 'Never reached TikTok', 'relink-lost')).data.message_id).toBe(again.data.message_id);
    expect(atTikTok('Never reached TikTok')).toHaveLength(1);
  }, 60_000);

  it('TikTok acted, then the person unlinked and linked again (a new session): the retry answers that message, sent once', async () => {
    const cid = await conversation();
    s.tiktok.fail('business/message/send/', 'timeout', { acted: true });
    expect((await send(cid, 'Acted before the unlink', 'relink-unlinked')).error.code).toBe('upstream_error');
    expect((await s.api('DELETE', `/v1/links/${linkId}`, undefined, { token })).data.status).toBe('revoked');
    await s.server.service.resumeSends();
    const again = await linkVia(s.url, s.smtp, s.tiktok, 'alex@gmail.com', 'maya.creates');
    expect(again.link.link_id).toBe(linkId); // the same account from the same Gmail address keeps its link
    token = again.token;
    const retried = await send(cid, 'Acted before the unlink', 'relink-unlinked');
    expect(retried.error.code).toBe('ok');
    expect(atTikTok('Acted before the unlink')).toHaveLength(1);
    expect(retried.data.message_id).toBe(atTikTok('Acted before the unlink')[0]!.message_id);
  }, 60_000);
});
