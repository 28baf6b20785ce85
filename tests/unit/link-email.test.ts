import { describe, expect, it } from 'vitest';
import { isAppError } from '@/utils/api/errors';
import { checkEmail } from '@/entrypoints/background/link-flow';
import { explain } from '@/entrypoints/popup/link/explain';
import { codesSince } from '@/entrypoints/popup/link/code-source';

/** The `invalid_email` failure of `raw`, with the part of the address it points at. */
function failure(raw: string) {
  try {
    checkEmail(raw);
  } catch (e) {
    if (isAppError(e)) return { code: e.code, part: e.extra.details?.part };
    throw e;
  }
  return null;
}

describe('checkEmail (link step 1)', () => {
  it('trims surrounding spaces and changes nothing else', () => {
    expect(checkEmail('  Alex.Rivera@gmail.com \t')).toBe('Alex.Rivera@gmail.com');
  });

  it('refuses inner spaces and names the part before the space', () => {
    expect(failure('alex rivera@gmail.com')).toEqual({ code: 'invalid_email', part: 'alex' });
    expect(failure('alex@gmail .com')).toEqual({ code: 'invalid_email', part: 'alex@gmail' });
  });

  it('refuses providers that are never Google accounts, and accepts any other domain (it may be Google Workspace)', () => {
    for (const domain of ['outlook.com', 'hotmail.co.uk', 'yahoo.com', 'icloud.com', 'proton.me', 'live.com', 'gmx.de'])
      expect(failure(`someone@${domain}`)).toEqual({ code: 'invalid_email', part: domain });
    for (const address of [
      'sam@riveracoffee.example',
      'alex@googlemail.com',
      'a@outlook-partners.com',
      'b@mail.rivera.co',
    ])
      expect(checkEmail(address)).toBe(address);
  });

  it('catches common domain typos instead of sending a code nobody receives', () => {
    expect(failure('alex@gmial.com')).toEqual({ code: 'invalid_email', part: 'gmial.com' });
    expect(failure('alex@gmail.con')).toEqual({ code: 'invalid_email', part: 'gmail.con' });
  });

  it('says which part is wrong for broken addresses', () => {
    expect(failure('')).toEqual({ code: 'invalid_email', part: '' });
    expect(failure('alex.gmail.com')).toEqual({ code: 'invalid_email', part: 'alex.gmail.com' });
    expect(failure('a@b@gmail.com')?.code).toBe('invalid_email');
    expect(failure('@gmail.com')).toEqual({ code: 'invalid_email', part: '' });
    expect(failure('alex@')).toEqual({ code: 'invalid_email', part: '' });
    expect(failure('.alex@gmail.com')).toEqual({ code: 'invalid_email', part: '.alex' });
    expect(failure('alex@gmail')).toEqual({ code: 'invalid_email', part: 'gmail' });
    expect(failure('alex@-gmail.com')).toEqual({ code: 'invalid_email', part: '-gmail.com' });
  });

  it('accepts ordinary and plus addresses on any domain', () => {
    for (const ok of ['a.b+tiktok@gmail.com', 'x@googlemail.com', 'team@example.co.uk']) expect(failure(ok)).toBeNull();
  });
});

describe('explain (popup failures)', () => {
  const way = (code: string, extra: object = {}) => explain({ code, message: 'm', ...extra }, 'a@gmail.com').action;

  it('gives each failure its way forward', () => {
    expect(way('unreachable')).toBe('retry');
    expect(way('code_expired')).toBe('restart');
    expect(way('not_linked')).toBe('restart');
    for (const code of ['cancelled', 'denied', 'email_mismatch', 'already_linked', 'reauth_required'])
      expect(way(code)).toBe('signin');
    for (const code of ['invalid_email', 'invalid_code', 'too_many_attempts', 'rate_limit_exceeded'])
      expect(way(code)).toBeNull();
  });

  it('keeps the service message for an invalid address (it says which part is wrong)', () => {
    expect(explain({ code: 'invalid_email', message: 'The address has no @.' }, '').text).toBe('The address has no @.');
  });
});

describe('codesSince (codes offered from Gmail)', () => {
  const codes = [
    { code: '111111', seen_at: '2026-01-01T10:00:00.000Z' },
    { code: '333333', seen_at: '2026-01-01T10:05:00.000Z' },
    { code: '222222', seen_at: '2026-01-01T10:02:00.000Z' },
  ];

  it('offers the codes first seen after the request, newest first, never an older one', () => {
    expect(codesSince(codes, '2026-01-01T09:00:00.000Z')).toEqual(['333333', '222222', '111111']);
    expect(codesSince(codes, '2026-01-01T10:01:00.000Z')).toEqual(['333333', '222222']);
    expect(codesSince(codes.slice(0, 1), '2026-01-01T10:01:00.000Z')).toEqual([]);
    expect(codesSince(codes, '')).toEqual([]); // no request time known: nothing is offered
    expect(codesSince(null, '')).toEqual([]);
  });

  it('offers at most three (a flood of forged rows does not fill the popup), each once', () => {
    const flood = Array.from({ length: 20 }, (_, i) => ({
      code: String(100000 + (i % 5)),
      seen_at: `2026-01-01T10:${String(10 + i).padStart(2, '0')}:00.000Z`,
    }));
    expect(codesSince(flood, '2026-01-01T10:00:00.000Z')).toEqual(['100004', '100003', '100002']);
  });
});
