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
  it('knows our composer frame in a Gmail tab, and refuses our pages framed or opened in any other site', () => {
    const framed = (tabUrl: string, frameId: number) =>
      classify({ id: ID, url: `${EXT}/inline-frame.html#t=x`, frameId, tab: { id: 4, url: tabUrl } });
    expect(framed('https://mail.google.com/mail/u/0/#inbox', 3)).toMatchObject({ kind: 'frame', tabId: 4, frameId: 3 });
    expect(framed('https://mail.google.com.evil.example/', 3)).toBeNull();
    expect(framed('https://evil.example/', 3)).toBeNull();
    expect(framed('https://evil.example/', 0)).toBeNull();
    expect(framed(`${EXT}/options.html`, 0)?.kind).toBe('page'); // our page in its own tab
    expect(framed('https://mail.google.com/', 0)?.kind).toBeUndefined(); // top frame of a Gmail tab with our URL: impossible, refused
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
  it("refuses the composer frame's messages from the content script, and page-only ones from the frame", async () => {
    const frame = { kind: 'frame' as const, tabId: 1, url: `${EXT}/inline-frame.html`, frameId: 2 };
    for (const name of ['conversationContext', 'draftGet', 'sendReply', 'outboxList', 'inlineFrameClaim'] as const) {
      expect(await dispatch(name, {} as never, gmail, {}), name).toMatchObject({
        ok: false,
        error: { code: 'forbidden_sender' },
      });
    }
    for (const name of ['unlink', 'linkStart', 'exportData', 'inlineFrameOpen', 'reportCodes'] as const) {
      expect(await dispatch(name, {} as never, frame, {}), name).toMatchObject({
        ok: false,
        error: { code: 'forbidden_sender' },
      });
    }
  });
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
