// @vitest-environment node
/**
 * The sandbox mailbox in TikTok's formats: every email it "sends" comes from a real TikTok sender, names the other
 * user as @username, links to TikTok, carries the footer — and the extension's own detection (utils/detect) reads
 * it as the right kind with the right facts, as it will when the Gmail replica shows it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { classifyEmail } from '@/utils/detect';
import { createSandbox, SEED_GMAIL, SEED_VIDEOS, type MailboxEmail } from '@/utils/sandbox';

const BASE = 'https://sandbox.invalid';
let sandbox: ReturnType<typeof createSandbox>;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await sandbox.handle(
    new Request(BASE + path, { method, ...(body !== undefined && { body: JSON.stringify(body) }) }),
  );
  const json = (await res.json()) as { data: T; error: { code: string; message: string } };
  if (json.error.code !== 'ok') throw new Error(`${path}: ${json.error.message}`);
  return json.data;
}
const simulate = async (body: Record<string, unknown>) =>
  (await call<{ email: MailboxEmail }>('POST', '/sandbox/simulate', { to_gmail: SEED_GMAIL, ...body })).email;
const read = (m: MailboxEmail) =>
  classifyEmail(m.from, { subject: m.subject, body: m.text, links: m.links.map((l) => ({ href: l.href })) });

beforeEach(() => {
  sandbox = createSandbox({ authorizeUrl: () => `${BASE}/signin` });
});

describe('sandbox emails', () => {
  it('sends the verification code from register@account.tiktok.com with the code in subject and body', async () => {
    await call('POST', '/v1/link/start', { email: SEED_GMAIL });
    const [m] = (await call<{ items: MailboxEmail[] }>('GET', `/sandbox/mailbox?to=${SEED_GMAIL}`)).items;
    const code = /^(\d{6}) is your verification code$/.exec(m!.subject)![1]!;
    expect(m!.from).toEqual({ name: 'TikTok', email: 'register@account.tiktok.com' });
    expect(m!.text.split('\n')).toContain(code);
    expect(read(m!)).toMatchObject({ tiktok: true, kind: 'code', facts: { code } });
  });

  it('simulates a login code email (type code) in the same format, detected as a code with its digits', async () => {
    const m = await simulate({ type: 'code', code: '482913' });
    expect(m.from).toEqual({ name: 'TikTok', email: 'register@account.tiktok.com' });
    expect(m.subject).toBe('482913 is your verification code');
    expect(m.text.split('\n')).toContain('482913');
    expect(m.text).toContain('This email was generated for alex.rivera.');
    expect(read(m)).toMatchObject({ tiktok: true, kind: 'code', facts: { code: '482913' } });
    const random = await simulate({ type: 'code' });
    expect(random.subject).toMatch(/^\d{6} is your verification code$/);
    await expect(simulate({ type: 'code', code: '12345' })).rejects.toThrow();
  });

  it.each([
    ['message', { from_username: 'jordan_films', text: 'Loved the video!' }, 'https://www.tiktok.com/messages'],
    [
      'comment',
      { from_username: 'lina.travels', video_id: SEED_VIDEOS.alex[1] },
      `https://www.tiktok.com/@alex.rivera/video/${SEED_VIDEOS.alex[1]}`,
    ],
    ['mention', { from_username: 'sam.eats' }, `https://www.tiktok.com/@alex.rivera/video/${SEED_VIDEOS.alex[0]}`],
    ['follower', { from_username: 'dev.kim' }, 'https://www.tiktok.com/@dev.kim'],
    ['like', { from_username: 'maya.creates' }, `https://www.tiktok.com/@alex.rivera/video/${SEED_VIDEOS.alex[0]}`],
    ['live', { from_username: 'coffeelab.co' }, 'https://www.tiktok.com/@coffeelab.co/live'],
  ])('writes a %s email that names @username, links to TikTok and is detected as such', async (type, extra, link) => {
    const m = await simulate({ type, ...extra });
    const other = extra.from_username;
    expect(m.from).toEqual({ name: 'TikTok', email: 'notification@service.tiktok.com' });
    expect(m.subject).toContain(`@${other}`);
    expect(m.text).toContain(`@${other}`);
    expect(m.text).toContain('This email was generated for alex.rivera.');
    expect(m.text).toContain('5800 Bristol Pkwy');
    expect(m.links.map((l) => l.href.replace(/\?lang=en$/, ''))).toContain(link);
    const seen = read(m);
    expect(seen).toMatchObject({ tiktok: true, kind: type, facts: { username: other } });
    if (link.includes('/video/')) expect(seen).toMatchObject({ facts: { video_id: link.split('/').pop() } });
  });

  it('writes the Ads request from TikTok For Business with the authorization id in its review link', async () => {
    const m = await simulate({ type: 'ads_request', permissions: ['spark_ads'] });
    expect(m.from).toEqual({ name: 'TikTok For Business', email: 'no-reply@notifications.tiktok.com' });
    const id = new URL(m.links[0]!.href).searchParams.get('authorization_id')!;
    expect(id).toBeTruthy();
    expect(m.text).toContain(`Authorization ID: ${id}`);
    expect(read(m)).toMatchObject({ tiktok: true, kind: 'ads', facts: { authorization_id: id } });
  });

  it('writes the new-login alert in the security format', async () => {
    const m = await simulate({ type: 'security' });
    expect(m.subject).toBe('New device login to your TikTok account');
    expect(read(m)).toMatchObject({ tiktok: true, kind: 'security' });
  });

  it('keeps hostile text as text: quoted into the body, never into links', async () => {
    const m = await simulate({
      type: 'message',
      from_username: 'maya.creates',
      text: '<img src=x onerror=alert(1)> https://evil.example/login',
    });
    expect(m.text).toContain('<img src=x onerror=alert(1)>');
    expect(m.links.every((l) => /^https:\/\/(www|support|ads)\.tiktok\.com\//.test(l.href))).toBe(true);
  });
});
