/**
 * What the content script reads from Gmail and storage without zod: the signed-in address and account index, and the
 * Gmail side of the settings (plain merge over defaults, v1 names accepted, junk ignored).
 */
import { describe, expect, test } from 'vitest';
import { gmailSettingsFrom } from '@/entrypoints/gmail.content/settings';
import { accountIndex, signedInAddress } from '@/entrypoints/gmail.content/account';
import { EMAIL_KINDS } from '@/utils/detect/kinds';

function page(title: string, accountLabel?: string): Document {
  const doc = document.implementation.createHTMLDocument('');
  doc.title = title;
  if (accountLabel) {
    const a = doc.createElement('a');
    a.href = 'https://accounts.google.com/SignOutOptions?hl=en';
    a.setAttribute('aria-label', accountLabel);
    doc.body.append(a);
  }
  return doc;
}

describe('signed-in Gmail account', () => {
  test('from the title, then from the account link', () => {
    expect(signedInAddress(page('Inbox (4) - Alex.Rivera@gmail.com - Gmail'))).toBe('alex.rivera@gmail.com');
    expect(signedInAddress(page('Gmail', 'Google Account: Alex Rivera (alex@work.example)'))).toBe('alex@work.example');
    expect(signedInAddress(page('Gmail'))).toBeNull();
  });
  test('a subject that contains an address is not the account', () => {
    expect(signedInAddress(page('Mail from bob@evil.example - me@gmail.com - Gmail'))).toBe('me@gmail.com');
  });
  test('account index from /mail/u/N/', () => {
    expect(accountIndex('/mail/u/0/')).toBe(0);
    expect(accountIndex('/mail/u/3/#inbox')).toBe(3);
    expect(accountIndex('/mail/')).toBe(0);
  });
});

describe('Gmail settings without zod', () => {
  test('defaults when nothing is stored or it is junk', () => {
    for (const stored of [null, undefined, 42, 'x', { gmail: 'no' }]) {
      const s = gmailSettingsFrom(stored);
      expect([...s.kinds]).toEqual([...EMAIL_KINDS]);
      expect(s.impersonation_warnings).toBe(true);
    }
  });
  test('kinds filtered to known ones; warnings off, also under the v1 name', () => {
    const s = gmailSettingsFrom({ gmail: { kinds: ['code', 'nope', 'ads'], impersonation_warnings: false } });
    expect([...s.kinds]).toEqual(['code', 'ads']);
    expect(s.impersonation_warnings).toBe(false);
    expect(gmailSettingsFrom({ gmail: { warnings: false } }).impersonation_warnings).toBe(false);
  });
});
