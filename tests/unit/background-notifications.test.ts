/** Where a click on a notification leads: Gmail when a tab shows that account, else TikTok, else our own pages. */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { destinationOf } from '@/entrypoints/background/notifications';

const GMAIL = 'me@gmail.com';
const ext = (path: string) => `chrome-extension://${fakeBrowser.runtime.id}${path}`;

beforeEach(() => fakeBrowser.reset());

async function gmailTabShows(gmail: string, tabId: number, account_index: number) {
  await fakeBrowser.storage.session.set({
    gmailTabs: { [tabId]: { gmail, account_index, reported_at: new Date().toISOString() } },
  });
}

describe('notification click destination', () => {
  it('opens the Gmail search for that user in the tab showing the account', async () => {
    await gmailTabShows(GMAIL, 12, 2);
    expect(await destinationOf({ gmail: GMAIL, kind: 'messages', username: 'maya.creates' })).toEqual({
      url: 'https://mail.google.com/mail/u/2/#search/from%3Anotification%40service.tiktok.com+maya.creates',
      tabId: 12,
    });
    expect(await destinationOf({ gmail: GMAIL, kind: 'group' })).toEqual({
      url: 'https://mail.google.com/mail/u/2/#search/from%3Anotification%40service.tiktok.com',
      tabId: 12,
    });
  });

  it('without a Gmail tab of that account: the TikTok page, built from a valid username only', async () => {
    await gmailTabShows('someone.else@gmail.com', 3, 0);
    expect(await destinationOf({ gmail: GMAIL, kind: 'messages', username: 'maya.creates' })).toEqual({
      url: 'https://www.tiktok.com/messages',
    });
    expect(await destinationOf({ gmail: GMAIL, kind: 'followers', username: '@fan.one' })).toEqual({
      url: 'https://www.tiktok.com/@fan.one',
    });
    expect(await destinationOf({ gmail: GMAIL, kind: 'comments', username: 'evil.com/x?<script>' })).toEqual({
      url: ext('/popup.html'),
    });
    expect(await destinationOf({ gmail: GMAIL, kind: 'group' })).toEqual({ url: ext('/popup.html') });
  });

  it('Ads updates open the review page of that request, or the Ads page, for the Gmail address notified', async () => {
    expect(
      await destinationOf({ gmail: GMAIL, kind: 'ads', type: 'ads_request.received', authorization_id: 'auth 1' }),
    ).toEqual({ url: ext('/review.html?id=auth+1&gmail=me%40gmail.com') });
    expect(
      await destinationOf({
        gmail: GMAIL,
        kind: 'ads',
        type: 'ads_authorization.status_changed',
        authorization_id: 'a1',
      }),
    ).toEqual({ url: ext('/ads.html?gmail=me%40gmail.com') });
  });
});
