import { describe, expect, it } from 'vitest';
import { classifySender, dispatch } from '@/utils/messaging/router';

const EXT = 'chrome-extension://abcdefghijklmnop';
const ID = 'abcdefghijklmnop';
const classify = (s: Record<string, unknown>) => classifySender(s as never, ID, EXT);

describe('classifySender', () => {
  it('knows extension pages and the Gmail content script', () => {
    expect(classify({ id: ID, url: `${EXT}/popup.html` })?.kind).toBe('page');
    expect(classify({ id: ID, url: 'https://mail.google.com/mail/u/0/#inbox', tab: { id: 3 } })?.kind).toBe('gmail');
  });
  it('refuses other extensions, other origins and look-alike origins', () => {
    expect(classify({ id: 'other', url: `${EXT}/popup.html` })).toBeNull();
    expect(classify({ id: ID, url: 'https://evil.example/', tab: { id: 1 } })).toBeNull();
    expect(classify({ id: ID, url: 'https://mail.google.com.evil.example/', tab: { id: 1 } })).toBeNull();
    expect(classify({ id: ID, url: 'https://mail.google.com/', tab: undefined })).toBeNull();
    expect(classify({ id: ID })).toBeNull();
  });
});

describe('dispatch', () => {
  const gmail = { kind: 'gmail' as const, tabId: 1, url: 'https://mail.google.com/' };
  const page = { kind: 'page' as const, tabId: null, url: `${EXT}/popup.html` };
  it('refuses a page-only message from the Gmail content script', async () => {
    const r = await dispatch('unlink', { gmail: 'a@gmail.com' }, gmail, { unlink: async () => ({}) as never });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
  });
  it('refuses a message that breaks its schema, naming the field', async () => {
    const r = await dispatch('linkVerify', { gmail: 'a@gmail.com', code: 5 }, page, {});
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_message' } });
    expect(!r.ok && r.error.message).toContain('code');
  });
  it('runs the handler with parsed data', async () => {
    const r = await dispatch('ping', {}, page, { ping: async () => ({ version: '1', mode: 'sandbox' }) });
    expect(r).toEqual({ ok: true, data: { version: '1', mode: 'sandbox' } });
  });
});
