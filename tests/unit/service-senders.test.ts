/**
 * The service's own notification emails (issue 15, extension side): which `notification_senders` the worker accepts
 * (the service URL's registrable domain or below it, public suffix list), how detection reads the accepted senders'
 * emails (TikTok's templates: kinds, the other user, links), lookalikes of the service's domain as impostors, and the
 * content script's reading of what the worker stored.
 */
import { describe, expect, test } from 'vitest';
import { gmailSettingsFrom } from '@/entrypoints/gmail.content/settings';
import {
  classifyEmail,
  isImpersonating,
  NO_SERVICE_SENDERS,
  type Classification,
  type ServiceSenders,
} from '@/utils/detect';
import { acceptNotificationSenders, serviceDomain } from '@/utils/service-senders';
import { SERVICE_FROM, SERVICE_NOTIFICATIONS, SERVICE_URL, serviceEmail } from '../support/service-notifications';

const kindOf = (c: Classification) => (c.tiktok ? c.kind : c.impostor ? 'IMPOSTOR' : 'NOT-TIKTOK');
const accepted = (url: string | null, senders: string[]) => acceptNotificationSenders(url, senders).addresses;
const SERVICE: ServiceSenders = acceptNotificationSenders(SERVICE_URL, [SERVICE_FROM.email]);

describe('the service URL’s registrable domain (public suffix list)', () => {
  test.each([
    ['https://tgl.example.com', 'example.com'],
    ['https://example.com', 'example.com'],
    ['https://a.b.c.example.com:8443', 'example.com'],
    ['https://link.foo.co.uk', 'foo.co.uk'],
    ['https://tgl.example.com.au', 'example.com.au'],
    ['https://tgl.herokuapp.com', 'tgl.herokuapp.com'], // private suffix: one app, not all of herokuapp.com
    ['https://me.github.io', 'me.github.io'],
    ['https://xn--bcher-kva.example', null], // `.example` is no listed suffix
    ['https://tgl.xn--80ak6aa92e.com', 'xn--80ak6aa92e.com'],
  ])('%s → %s', (url, domain) => expect(serviceDomain(url)).toBe(domain));

  test.each([
    ['http://127.0.0.1:8788', 'loopback'],
    ['http://localhost:8788', 'loopback'],
    ['https://localhost', 'no public suffix'],
    ['https://tgl.localhost', 'special-use name'],
    ['https://192.0.2.10', 'an IP address'],
    ['https://[2001:db8::1]', 'an IPv6 address'],
    ['http://tgl.example.com', 'plain http'],
    ['https://co.uk', 'a public suffix itself'],
    ['https://github.io', 'a public suffix itself (private section)'],
    ['https://script.google.com', 'anyone can host there'],
    ['https://sites.google.com', 'anyone can host there'],
    ['https://mail.gmail.com', 'a mail provider'],
    ['https://tgl.outlook.com', 'a mail provider'],
    ['https://www.tiktok.com', "TikTok's own"],
    ['not a url', 'not a URL'],
    [null, 'the sandbox'],
  ])('%s has none (%s)', (url, _why) => expect(serviceDomain(url)).toBeNull());
});

describe('which notification senders are accepted', () => {
  test('at the service’s registrable domain or below it, lower-cased, once each', () => {
    expect(
      accepted('https://tgl.example.com', [
        'notify@mail.example.com',
        'Alerts@Example.com',
        'a@x.y.example.com',
        'notify@MAIL.example.com',
      ]),
    ).toEqual(['notify@mail.example.com', 'alerts@example.com', 'a@x.y.example.com']);
    expect(accepted('https://link.foo.co.uk', ['noreply@foo.co.uk', 'n@mail.foo.co.uk'])).toEqual([
      'noreply@foo.co.uk',
      'n@mail.foo.co.uk',
    ]);
    expect(accepted('https://tgl.herokuapp.com', ['n@tgl.herokuapp.com'])).toEqual(['n@tgl.herokuapp.com']);
  });

  const REFUSED: [service: string, sender: string, reason: string][] = [
    ['https://x.example.com', 'noreply@gmail.com', 'other_domain'],
    ['https://x.example.com', 'notification@service.tiktok.com', 'other_domain'],
    ['https://x.example.com', 'noreply@tiktok.com', 'other_domain'],
    ['https://x.example.com', 'noreply@example.co.uk', 'other_domain'],
    ['https://x.example.com', 'noreply@example.org', 'other_domain'],
    ['https://x.example.com', 'noreply@notexample.com', 'other_domain'],
    ['https://x.example.com', 'noreply@example.com.evil.io', 'other_domain'],
    ['https://x.example.com', 'noreply@xn--exmple-cua.com', 'other_domain'],
    ['https://x.example.com', 'noreply@com', 'not_an_address'],
    ['https://foo.co.uk', 'noreply@example.co.uk', 'other_domain'],
    ['https://foo.co.uk', 'noreply@co.uk', 'other_domain'],
    ['https://foo.co.uk', 'noreply@bar.co.uk', 'other_domain'],
    ['https://a.herokuapp.com', 'noreply@b.herokuapp.com', 'other_domain'],
    ['https://a.herokuapp.com', 'noreply@herokuapp.com', 'other_domain'],
    ['https://me.github.io', 'noreply@you.github.io', 'other_domain'],
    ['https://x.example.com', '@tiktok.com', 'not_an_address'],
    ['https://x.example.com', '@example.com', 'not_an_address'],
    ['https://x.example.com', '*@example.com', 'not_an_address'],
    ['https://x.example.com', 'TikTok <notify@example.com>', 'not_an_address'],
    ['https://x.example.com', 'notify@example.com.', 'not_an_address'],
    ['https://x.example.com', 'notify@exаmple.com', 'not_an_address'], // Cyrillic а
    ['https://x.example.com', 'notify@example\u200B.com', 'not_an_address'],
    ['https://x.example.com', 'notify@[192.0.2.1]', 'not_an_address'],
    ['https://x.example.com', 'notify@example.com\nBcc: x@evil.io', 'not_an_address'],
    ['https://x.example.com', 'a@b@example.com', 'not_an_address'],
    ['https://x.example.com', '', 'not_an_address'],
    ['http://127.0.0.1:8788', 'notify@example.com', 'no_service_domain'],
    ['https://script.google.com', 'noreply@google.com', 'no_service_domain'],
    ['https://tgl.gmail.com', 'noreply@gmail.com', 'no_service_domain'],
    ['https://co.uk', 'noreply@foo.co.uk', 'no_service_domain'],
    ['https://www.tiktok.com', 'noreply@tiktok.com', 'no_service_domain'],
  ];
  test.each(REFUSED)('a service at %s cannot vouch for %j (%s)', (service, sender, reason) => {
    const out = acceptNotificationSenders(service, [sender]);
    expect(out.addresses).toEqual([]);
    expect(out.refused).toEqual([{ sender, reason }]);
  });

  test('the sandbox (no URL) vouches for nobody; its domain is none', () => {
    expect(acceptNotificationSenders(null, ['notification@service.tiktok.com'])).toMatchObject({
      addresses: [],
      domain: null,
    });
  });
});

describe('the service’s notification emails read as TikTok activity', () => {
  test.each(SERVICE_NOTIFICATIONS)('%s: kind, other user and TikTok links, opened and as a row', (kind, email) => {
    const open = classifyEmail(email.from, { subject: email.subject, body: email.text, links: email.links }, SERVICE);
    expect(kindOf(open)).toBe(kind);
    const row = classifyEmail(email.from, { subject: email.subject }, SERVICE);
    expect(kindOf(row)).toBe(kind);
    if (!open.tiktok || !row.tiktok) return;
    const named = !/^You have/.test(email.subject);
    expect(open.facts.username).toBe(named ? 'sam.sender' : undefined);
    expect(row.facts.username).toBe(named ? 'sam.sender' : undefined);
    expect(open.facts.tiktok_links.length).toBeGreaterThan(0);
    expect(open.facts.tiktok_links.every((l) => new URL(l).hostname.endsWith('.tiktok.com'))).toBe(true);
    expect(open.facts.code).toBeUndefined();
    if (kind === 'comment' || kind === 'mention') expect(open.facts.video_id).toBe('7301234567890123456');
  });

  test('the same emails without the service’s senders: impostors (their name claims TikTok), never genuine', () => {
    for (const [, email] of SERVICE_NOTIFICATIONS) {
      expect(kindOf(classifyEmail(email.from, { subject: email.subject }))).toBe('IMPOSTOR');
      expect(kindOf(classifyEmail(email.from, { subject: email.subject }, NO_SERVICE_SENDERS))).toBe('IMPOSTOR');
    }
  });

  test('an accepted sender gets no code and no Ads request handling: only activity', () => {
    const code = classifyEmail(
      SERVICE_FROM,
      {
        subject: '123456 is your verification code',
        body: 'To verify your account, enter this code in TikTok: 123456',
      },
      SERVICE,
    );
    expect(code.tiktok && code.kind).toBe('other');
    expect(code.tiktok && code.facts.code).toBeUndefined();
  });

  test('the other user is taken from the template, not from what they wrote', () => {
    const [, dm] = SERVICE_NOTIFICATIONS[0]!;
    const forged = classifyEmail(
      SERVICE_FROM,
      {
        subject: 'Mallory (@mallory) sent you a message (@sam.sender) sent you a message',
        body: dm.text,
        links: dm.links,
      },
      SERVICE,
    );
    expect(forged.tiktok && forged.facts.username).not.toBe('mallory');
  });

  test('what another service accepted counts for nothing here: the address must be in the list and at its domain', () => {
    const other: ServiceSenders = { addresses: ['notify@mail.example.com'], domain: 'other.org' };
    expect(kindOf(classifyEmail(SERVICE_FROM, { subject: 'Sam (@sam.sender) sent you a message' }, other))).toBe(
      'IMPOSTOR',
    );
    const unlisted = { name: 'Robin', email: 'robin@example.com' };
    expect(kindOf(classifyEmail(unlisted, { subject: 'Sam (@sam.sender) sent you a message' }, SERVICE))).toBe(
      'NOT-TIKTOK',
    );
  });
});

describe('lookalikes of the service’s domain are impostors', () => {
  const LOOKALIKES = [
    'notify@mail.exarnple.com', // rn for m
    'notify@mail.examp1e.com', // 1 for l
    'notify@mail.exampie.com',
    'notify@mail.examples.com',
    'notify@mail.exmple.com',
    'notify@mail.exаmple.com', // Cyrillic а
    'notify@mail.ехаmрlе.com', // five Cyrillic letters
    'notify@mail.éxample.com',
    'notify@xn--exmple-cua.com', // exámple
    'notify@mail.xn--exmple-4nf.com', // exаmple (Cyrillic)
    'notify@example.com.evil.io',
    'notify@mail.example.com.evil.io',
    'notify@example-com.evil.io',
    'notify@example-mail.io',
    'notify@example.org',
    'notify@example.co.uk',
    'notify@mail.example\u200B.com',
    'notify@mail.ｅｘａｍｐｌｅ.com',
    'notify@mail.example%2Ecom',
    'notify@mail.example。com',
  ];
  test.each(LOOKALIKES)('%s', (email) => {
    const sender = { name: 'Notifications', email };
    expect(isImpersonating(sender, SERVICE)).toBe(true);
    expect(kindOf(classifyEmail(sender, { subject: 'Sam (@sam.sender) sent you a message' }, SERVICE))).toBe(
      'IMPOSTOR',
    );
    expect(isImpersonating(sender)).toBe(false); // no service chosen: nothing to look like
  });

  const UNRELATED = [
    'robin@example.com', // the service's own domain, not listed: not genuine, not an impostor
    'billing@x.y.example.com',
    'friend@gmail.com',
    'news@sample.com',
    'team@exam.com',
    'shop@ample.io',
    'hello@counterexamples.org',
    'info@例子.com',
    'info@xn--fsqu00a.xn--3lr804guic',
  ];
  test.each(UNRELATED)('%s is not', (email) =>
    expect(isImpersonating({ name: 'Someone', email }, SERVICE)).toBe(false),
  );

  test('a short service name must match exactly (no one-letter-off guesses)', () => {
    const short: ServiceSenders = acceptNotificationSenders('https://tgl.io', ['n@tgl.io']);
    expect(isImpersonating({ name: 'x', email: 'n@tgl.net' }, short)).toBe(true);
    expect(isImpersonating({ name: 'x', email: 'n@tg1.io' }, short)).toBe(false);
    expect(isImpersonating({ name: 'x', email: 'n@tgi.io' }, short)).toBe(false);
  });
});

describe('what the content script reads', () => {
  const settings = { service: { mode: 'service', base_url: SERVICE_URL } };
  const stored = { service: SERVICE_URL, addresses: ['notify@mail.example.com'], domain: 'example.com' };

  test('the accepted senders of the service the settings point at', () => {
    expect(gmailSettingsFrom(settings, stored).service).toEqual({
      addresses: ['notify@mail.example.com'],
      domain: 'example.com',
    });
  });

  test.each([
    ['another service’s', { service: { mode: 'service', base_url: 'https://other.example.net' } }, stored],
    ['the sandbox’s', { service: { mode: 'sandbox', base_url: SERVICE_URL } }, stored],
    ['none stored', settings, null],
    ['junk', settings, { service: SERVICE_URL, addresses: 'notify@mail.example.com', domain: 'example.com' }],
    ['no domain', settings, { service: SERVICE_URL, addresses: ['notify@mail.example.com'], domain: null }],
    ['no settings', null, stored],
  ])('%s: none', (_what, s, senders) => expect(gmailSettingsFrom(s, senders).service).toEqual(NO_SERVICE_SENDERS));

  test('non-strings in the list are dropped', () => {
    expect(
      gmailSettingsFrom(settings, { ...stored, addresses: ['notify@mail.example.com', 7, null] }).service.addresses,
    ).toEqual(['notify@mail.example.com']);
  });

  test('the fixtures carry a Reply-To at the service’s reply domain', () => {
    for (const [, email] of SERVICE_NOTIFICATIONS)
      expect(email.reply_to).toMatch(/^reply\+[a-z0-9.]+@reply\.example\.com$/);
    expect(serviceEmail(SERVICE_NOTIFICATIONS[0]![1]).reply_to).not.toBe(SERVICE_NOTIFICATIONS[0]![1].reply_to);
  });
});
