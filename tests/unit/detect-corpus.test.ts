/**
 * Classification and extraction on a corpus built from research/tiktok-emails.md: every kind, every language
 * listed (en, es, fr, it, ru, vi, zh), codes, usernames, video and authorization ids, links judged by
 * their real destination, the sender allowlist, and impostors. [C] = real sample from research, [I] = made up.
 */
import { describe, expect, test } from 'vitest';
import {
  classifyEmail,
  isImpersonating,
  isTikTokAddress,
  registrableDomain,
  tiktokDestination,
  type Classification,
} from '@/utils/detect';
import type { EmailKind } from '@/utils/detect/kinds';

const TT = 'TikTok';
const kindOf = (c: Classification) => (c.tiktok ? c.kind : c.impostor ? 'IMPOSTOR' : 'NOT-TIKTOK');

type Case = [lang: string, email: string, subject: string, kind: EmailKind, name?: string];
const SUBJECTS: Case[] = [
  // code
  ['en', 'noreply@account.tiktok.com', '160899 is your verification code', 'code'], // [C]
  ['ru', 'noreply@account.tiktok.com', '116611 - ваш код подтверждения', 'code'], // [C]
  ['vi', 'register@account.tiktok.com', '482913 là mã gồm 6 chữ số của bạn', 'code'], // [C]
  ['vi', 'register@account.tiktok.com', 'Mã xác minh TikTok', 'code'], // [C] search term
  ['es', 'register@account.tiktok.com', '551204 es tu código de verificación', 'code'], // [I]
  ['fr', 'register@account.tiktok.com', '551204 est votre code de vérification', 'code'], // [I]
  ['it', 'register@account.tiktok.com', '551204 è il tuo codice di verifica', 'code'], // [I]
  ['zh', 'partner@email.tiktok.com', 'TikTok Shop商家验证码', 'code', 'TikTok Shop Partner Center'], // [C]
  [
    'en',
    'partner@email.tiktok.com',
    'TikTok Shop Partner Center verification code',
    'code',
    'TikTok Shop Partner Center',
  ], // [C]
  // security
  ['en', 'noreply@account.tiktok.com', 'New device login to your TikTok account', 'security'], // [C]
  ['en', 'no-reply@shop.tiktok.com', 'New login to the TikTok Shop account', 'security'], // [C]
  ['en', 'noreply@account.tiktok.com', 'Phone number removed from your account', 'security'], // [C]
  ['es', 'noreply@account.tiktok.com', 'Nuevo inicio de sesión en tu cuenta de TikTok', 'security'], // [I]
  ['ru', 'noreply@account.tiktok.com', 'Новый вход в ваш аккаунт TikTok', 'security'], // [I]
  ['zh', 'noreply@account.tiktok.com', '新设备登录提醒', 'security'], // [I]
  // message
  ['fr', 'notification@service.tiktok.com', 'Message', 'message'], // [C] Gmail-category fixture
  ['en', 'notification@service.tiktok.com', 'some_user sent you a message', 'message'], // [I]
  ['es', 'notification@service.tiktok.com', 'some_user te envió un mensaje', 'message'], // [I]
  ['vi', 'notification@service.tiktok.com', 'some_user đã gửi cho bạn một tin nhắn', 'message'], // [I]
  ['zh', 'notification@service.tiktok.com', 'some_user 给你发了消息', 'message'], // [I]
  // comment
  ['en', 'notification@service.tiktok.com', 'maya.k commented on your video', 'comment'], // [I]
  ['en', 'notification@service.tiktok.com', 'maya.k replied to your comment', 'comment'], // [I]
  ['fr', 'notification@service.tiktok.com', 'maya.k a commenté votre vidéo', 'comment'], // [I]
  ['it', 'notification@service.tiktok.com', 'maya.k ha commentato il tuo video', 'comment'], // [I]
  ['ru', 'notification@service.tiktok.com', 'maya.k прокомментировал ваше видео', 'comment'], // [I]
  ['zh', 'notification@service.tiktok.com', 'maya.k 评论了你的视频', 'comment'], // [I]
  // mention
  ['en', 'notification@service.tiktok.com', 'maya.k mentioned you in a comment', 'mention'], // [I]
  ['es', 'notification@service.tiktok.com', 'maya.k te mencionó en un comentario', 'mention'], // [I]
  ['vi', 'notification@service.tiktok.com', 'maya.k đã nhắc đến bạn', 'mention'], // [I]
  // follower
  ['en', 'notification@service.tiktok.com', 'leo_dance started following you', 'follower'], // [I]
  ['it', 'notification@service.tiktok.com', 'leo_dance ha iniziato a seguirti', 'follower'], // [I]
  ['ru', 'notification@service.tiktok.com', 'leo_dance подписался на вас', 'follower'], // [I]
  ['zh', 'notification@service.tiktok.com', 'leo_dance 关注了你', 'follower'], // [I]
  // like
  ['es', 'notification@service.tiktok.com', 'El May dio me gusta a tu publicación', 'like'], // [C]
  ['en', 'notification@service.tiktok.com', 'leo_dance and 12 others liked your video', 'like'], // [I]
  ['fr', 'notification@service.tiktok.com', 'leo_dance a aimé votre vidéo', 'like'], // [I]
  // live
  ['en', 'notification@service.tiktok.com', 'maya.k is LIVE now', 'live'], // [I]
  ['es', 'notification@service.tiktok.com', 'maya.k está en vivo', 'live'], // [I]
  ['vi', 'notification@service.tiktok.com', 'maya.k đang phát trực tiếp', 'live'], // [I]
  // ads
  [
    'es',
    'noreply-tt4b@notifications.tiktok.com',
    '¡Nuevo! Notificaciones por correo electrónico con las mejores prácticas de TikTok ya disponibles',
    'ads',
    'TikTok For Business',
  ], // [C]
  ['en', 'no-reply@notifications.tiktok.com', 'Your ad was rejected', 'ads'], // [C] shape
  ['en', 'notification@service.tiktok.com', 'New Spark Ads authorization request', 'ads'], // [I]
  // shop
  ['en', 'sellersupport@shop.tiktok.com', 'Congrats! your shop setup is complete!', 'shop', 'TikTok Shop'], // [C]
  ['en', 'sellersupport@shop.tiktok.com', 'Your Settlement Tier Status Has Been Updated', 'shop', 'TikTok Shop'], // [C]
  ['it', 'sellersupport@shop.tiktok.com', 'Partecipa al TikTok Shop LIVE Auction Accelerator', 'shop', 'TikTok Shop'], // [C]
  ['en', 'shop@email.tiktok.com', 'Alex Mayo, you left something behind!', 'shop', 'TikTok Shop'], // [C]
  // the research Gmail captures' subjects (tests/fixtures/gmail/inbox.html, thread.html)
  ['en', 'notification@service.tiktok.com', 'New message from @some_user', 'message'], // [C] capture
  ['en', 'notification@service.tiktok.com', 'You have a new follower', 'follower'], // [C] capture
  ['en', 'notification@service.tiktok.com', 'You have 3 new followers', 'follower'], // [I]
  // other
  ['en', 'notification@service.tiktok.com', "D: Ye's return to Chicago #ye #kanyewest #chicago", 'other'], // [C]
];

describe('kinds from sender and subject', () => {
  test.each(SUBJECTS)('%s <%s> "%s" → %s', (_lang, email, subject, kind, name = TT) => {
    expect(kindOf(classifyEmail({ email, name }, { subject }))).toBe(kind);
  });

  test('covers every kind and every language listed', () => {
    expect(new Set(SUBJECTS.map((c) => c[3])).size).toBe(11);
    expect(new Set(SUBJECTS.map((c) => c[0]))).toEqual(new Set(['en', 'es', 'fr', 'it', 'ru', 'vi', 'zh']));
  });

  test('an open message is classified by its TikTok links when the subject says nothing; body text never decides', () => {
    const from = { email: 'notification@service.tiktok.com', name: TT };
    expect(kindOf(classifyEmail(from, { subject: 'TikTok', body: 'maya.k commented: "so good"', links: [] }))).toBe(
      'other',
    );
    expect(
      kindOf(
        classifyEmail(from, {
          subject: 'TikTok',
          body: 'Open the app',
          links: [{ href: 'https://www.tiktok.com/messages?lang=en' }],
        }),
      ),
    ).toBe('message');
    expect(
      kindOf(
        classifyEmail(from, {
          subject: 'TikTok',
          body: 'See it',
          links: [{ href: 'https://ads.tiktok.com/i18n/authorizations/AUTH123' }],
        }),
      ),
    ).toBe('ads');
  });
});

const facts = (
  email: string,
  subject: string,
  body?: string,
  links: { href: string; safe_redirect?: string }[] = [],
) => {
  const c = classifyEmail({ email, name: TT }, { subject, body, links });
  if (!c.tiktok) throw new Error(`not TikTok: ${email}`);
  return c.facts;
};

describe('codes', () => {
  test('legacy English code email: the code [C]', () => {
    const body =
      "Verification Code\nTo verify your account, enter this code in TikTok: 160899\nVerification codes expire after 48 hours. If you didn't request this code, you can ignore this message.";
    expect(facts('noreply@account.tiktok.com', '160899 is your verification code', body).code).toBe('160899');
  });
  test('Vietnamese 6-digit template: the code [C]', () => {
    expect(
      facts('register@account.tiktok.com', '482913 là mã gồm 6 chữ số của bạn', 'Mã này có hiệu lực trong 20 phút.')
        .code,
    ).toBe('482913');
  });
  test('Russian code in the subject [C]', () => {
    expect(facts('noreply@account.tiktok.com', '116611 - ваш код подтверждения').code).toBe('116611');
  });
  test('Partner Center alphanumeric code [C]', () => {
    const body =
      'To verify your account, enter this code in TikTok Shop Partner Center : YBSM62 Verification codes expire after 2 hours. Do not forward or give this code to anyone.';
    expect(facts('partner@email.tiktok.com', 'TikTok Shop Partner Center verification code', body).code).toBe('YBSM62');
  });
  test('no alphanumeric code from a non-Shop sender, no code at all outside code emails', () => {
    expect(
      facts('noreply@account.tiktok.com', 'Your verification code', 'enter this code: YBSM62').code,
    ).toBeUndefined();
    expect(
      facts('notification@service.tiktok.com', 'maya.k commented on your video', 'Comment: 123456 lol').code,
    ).toBeUndefined();
    expect(facts('noreply@account.tiktok.com', '1234567 is your verification code').code).toBeUndefined();
  });
});

describe('usernames, video and authorization ids', () => {
  test("the other user of a message, comment or follower email: the template's (@handle), confirmed by its profile link", () => {
    expect(
      facts('notification@service.tiktok.com', 'Some User (@some_user) sent you a message', 'x', [
        { href: 'https://www.tiktok.com/@some_user' },
      ]).username,
    ).toBe('some_user');
    expect(
      facts('notification@service.tiktok.com', 'New message', '@some_user sent you a message', [
        { href: 'https://www.tiktok.com/@some_user' },
      ]).username,
    ).toBeUndefined();
    expect(
      facts('notification@service.tiktok.com', '@maya.k commented: "wow"', 'See it', [
        { href: 'https://www.tiktok.com/@alex.rivera/video/7234867719043157274' },
        { href: 'https://www.tiktok.com/@maya.k' },
      ]),
    ).toMatchObject({ username: 'maya.k', video_id: '7234867719043157274' });
  });
  test('a code email never names another user (the "@name" there is the reader)', () => {
    expect(
      facts('noreply@account.tiktok.com', '160899 is your verification code', 'Hi @alex.rivera, 160899').username,
    ).toBeUndefined();
  });
  test('video ids are exactly 19 digits from /video/ links', () => {
    expect(
      facts('notification@service.tiktok.com', 'leo liked your video', 'x', [
        { href: 'https://www.tiktok.com/@leo/video/723486771904315727' },
      ]).video_id,
    ).toBeUndefined();
  });
  test('authorization id from an Ads link', () => {
    expect(
      facts('no-reply@notifications.tiktok.com', 'Authorization request', 'Accept', [
        { href: 'https://ads.tiktok.com/i18n/authorizations/AUTH-77x?lang=en' },
      ]).authorization_id,
    ).toBe('AUTH-77x');
    expect(
      facts('no-reply@notifications.tiktok.com', 'Authorization request', 'Accept', [
        { href: 'https://business.tiktok.com/manage/accept?authorization_id=A1b2C3' },
      ]).authorization_id,
    ).toBe('A1b2C3');
  });
});

describe('links judged by their real destination', () => {
  const q = (u: string) => `https://www.google.com/url?q=${encodeURIComponent(u)}&source=gmail`;
  const wrap = (u: string) => `https://www.tiktok.com/link/v2?aid=1988&scene=bio_url&target=${encodeURIComponent(u)}`;
  test.each([
    ['plain profile', 'https://www.tiktok.com/@maya.k', 'https://www.tiktok.com/@maya.k'],
    ['Gmail redirect', q('https://www.tiktok.com/messages?lang=en'), 'https://www.tiktok.com/messages?lang=en'],
    ['TikTok wrapper to TikTok', wrap('https://vm.tiktok.com/ZM123/'), 'https://vm.tiktok.com/ZM123/'],
    [
      'Gmail redirect of a TikTok wrapper of TikTok',
      q(wrap('https://www.tiktok.com/@leo')),
      'https://www.tiktok.com/@leo',
    ],
    ['Shop seller host', 'https://seller-us.tiktok.com/homepage', 'https://seller-us.tiktok.com/homepage'],
    ['TikTok wrapper to a scam site', wrap('https://evil.example/login'), null],
    ['Gmail redirect to a scam site', q('https://tiktok.com.evil.example/'), null],
    ['nested wrappers beyond the bound', q(wrap(q(wrap(q(wrap('https://www.tiktok.com/@x')))))), null],
    ['http', 'http://www.tiktok.com/@maya.k', null],
    ['userinfo', 'https://www.tiktok.com@evil.example/', null],
    ['userinfo on a TikTok host', 'https://user:pw@www.tiktok.com/', null],
    ['odd port', 'https://www.tiktok.com:8443/@maya.k', null],
    ['javascript:', 'javascript:alert(1)//tiktok.com', null],
    ['data:', 'data:text/html,tiktok.com', null],
    ['lookalike host', 'https://tiktok-security-help.com/verify', null],
    ['suffix trick', 'https://www.tiktok.com.evil.example/', null],
  ])('%s', (_name, href, expected) => {
    expect(tiktokDestination(href)).toBe(expected);
  });
  test('data-saferedirecturl is used when the href itself cannot be read', () => {
    expect(tiktokDestination('not a url', q('https://www.tiktok.com/@leo'))).toBe('https://www.tiktok.com/@leo');
  });
  test('only TikTok links reach the facts, deduplicated', () => {
    expect(
      facts('notification@service.tiktok.com', 'maya.k commented on your video', 'x', [
        { href: 'https://www.tiktok.com/@maya.k' },
        { href: q('https://www.tiktok.com/@maya.k') },
        { href: wrap('https://evil.example/') },
        { href: 'https://evil.example/' },
      ]).tiktok_links,
    ).toEqual(['https://www.tiktok.com/@maya.k']);
  });
});

describe('who is TikTok', () => {
  test.each([
    'noreply@account.tiktok.com',
    'NOREPLY@ACCOUNT.TIKTOK.COM',
    'sellersupport@shop.tiktok.com',
    'x@tiktokglobalshop.com',
    'x@tiktokusds.com',
    'x@bytedance.com',
    'x@tiktokacademy.com',
    'x@webassessor.com',
    'someone@tiktok.com',
  ])('%s is TikTok', (email) => expect(isTikTokAddress(email)).toBe(true));
  test.each([
    'support@tiktok-security-help.com',
    'x@tiktokmail.com',
    'x@badgetiktok.com',
    'x@support-tiktok.com',
    'x@tiktok-support.net',
    'x@tiktok.com.evil.example',
    'tiktok@gmail.com',
    'x@xn--tktok-hra.com',
    'x@tiktok.co.uk',
    'x@tíktok.com',
    'not-an-address',
    '@tiktok.com',
    // not plain ASCII exactly as written (issue 11 §1): a trailing dot, surrounding spaces
    'notification@service.tiktok.com.',
    ' register@account.tiktok.com ',
  ])('%s is not TikTok', (email) => expect(isTikTokAddress(email)).toBe(false));
  test('registrable domains', () => {
    expect(registrableDomain('a.b.tiktok.com')).toBe('tiktok.com');
    expect(registrableDomain('shop.example.co.uk')).toBe('example.co.uk');
    expect(registrableDomain('TikTok.COM.')).toBe('tiktok.com');
    expect(registrableDomain('127.0.0.1')).toBeNull();
  });
});

describe('impostors', () => {
  const IMPOSTORS: [string, string][] = [
    ['TikTok', 'support@tiktok-security-help.com'], // [C] lookalike domain
    ['TikTok', 'no-reply@tiktokmail.com'],
    ['TikTok Support', 'alerts@badgetiktok.com'], // [C]
    ['TikTok', 'help@support-tiktok.com'], // [C]
    ['TikTok', 'team@tiktok-support.net'], // [C]
    ['TikTok', 'tiktok.team2024@gmail.com'], // [C] free-mail "TikTok"
    ['Security Team', 'tiktok.verify@outlook.com'], // address claims TikTok
    ['Tik Tok', 'notice@mailer.example'],
    ['TikT0k', 'notice@mailer.example'], // digit zero
    ['TіkTоk', 'notice@mailer.example'], // Cyrillic і and о
    ['ΤikΤok', 'notice@mailer.example'], // Greek capital taus
    ['Tik\u200BTok', 'notice@mailer.example'], // zero-width space
    ['\u202EkoTkiT', 'notice@mailer.example'], // right-to-left override renders "TikTok"
    ['TikTock', 'notice@mailer.example'], // Levenshtein 1
    ['Tiktik', 'notice@mailer.example'], // Levenshtein 1
    ['ＴｉｋＴｏｋ', 'notice@mailer.example'], // full-width
    ['T i k T o k Support', 'notice@mailer.example'],
    ['Copyright Team', 'noreply@xn--tktok-0ta.com'], // punycode IDN "tíktok"
  ];
  test.each(IMPOSTORS)('"%s" <%s> is an impostor, never TikTok', (name, email) => {
    expect(isImpersonating({ name, email })).toBe(true);
    const c = classifyEmail({ name, email }, { subject: '123456 is your verification code' });
    expect(c).toEqual({ tiktok: false, impostor: true });
  });
  test('at least 15 impostor cases', () => expect(IMPOSTORS.length).toBeGreaterThanOrEqual(15));

  test.each([
    ['Instagram', 'no-reply@mail.instagram.com'],
    ['Sam Lee', 'sam.lee@example.org'],
    ['Tim Cook', 'tim@example.com'],
    ['Kitty Tokens', 'kitty@example.com'],
    ['TikTok', 'notification@service.tiktok.com'], // genuine: not an impostor
  ])('"%s" <%s> is not an impostor', (name, email) => {
    expect(isImpersonating({ name, email })).toBe(false);
  });
});
