/**
 * Ads Manager in real Chromium against the loopback sandbox: the advertiser side in the popup (request, live status
 * changes, reject → resend → approve, expiry, duplicates, invalid usernames, a role without admin, change permissions,
 * unlink), the owner side in review.html (approve a subset, reject), and 300 authorizations listed, filtered, searched
 * and scrolled with only the rows in view in the DOM (their timings are `npm run bench:load`'s). Screenshots of each state go to docs/screenshots/ads-<state>.png.
 */
import path from 'node:path';
import type { BrowserContext, Page, Worker } from '@playwright/test';
import type { Permission } from '../../utils/api/schemas';
import { startSandboxServer, type SandboxServer } from '../../utils/sandbox/http-server';
import {
  seedState,
  SEED_GMAIL,
  type AuthorizationRec,
  type SandboxState,
  type TikTokUser,
} from '../../utils/sandbox/state';
import { linkAccount, sendMessage } from '../support/link';
import { control, useSandboxService } from '../support/sandbox';
import { expect, test } from './fixtures';
import { saveScreenshot } from '../support/screenshots';
import { expectFitsPopup, openPopup } from '../support/popup';
import { expectAccessible } from '../support/axe';

const GMAIL = SEED_GMAIL;
const ADMIN_ADV = '7301000000000000001'; // Rivera Coffee Co. — the seed Gmail user is admin
const OPERATOR_ADV = '7301000000000000002'; // Northwind Outdoor Gear — operator
const OUTSIDE_ADV = '7301000000000000004'; // Sunset Skincare — asks our user for authorization
const SCREENSHOTS = path.resolve('docs/screenshots');
const DAY_MS = 24 * 3_600_000;

interface Inspected {
  authorizations: {
    authorization_id: string;
    advertiser: { advertiser_id: string };
    tiktok: { username: string };
    status: string;
    permissions: { requested: Permission[]; granted: Permission[] };
  }[];
}

/** Every pictured state is checked with axe (and pictured only for `npm run screenshots`). */
const shot = async (page: Page, state: string) => {
  await expectAccessible(page, `Ads: ${state}`);
  await saveScreenshot(page, path.join(SCREENSHOTS, `ads-${state}.png`), { fullPage: true });
};

/** A loopback sandbox (optionally from a prepared state), the extension pointed at it and GMAIL linked; closes after the test. */
async function linkedToSandbox(
  fx: { context: BrowserContext; worker: () => Promise<Worker>; openExtensionPage: (file: string) => Promise<Page> },
  state?: SandboxState,
): Promise<SandboxServer> {
  const server = await startSandboxServer(state ? { state } : {});
  test.info().attach('sandbox', { body: server.url });
  await useSandboxService(await fx.worker(), server.url);
  const page = await fx.openExtensionPage('popup.html');
  await linkAccount({ context: fx.context, page, sandboxUrl: server.url, gmail: GMAIL, username: 'alex.rivera' });
  await page.close();
  return server;
}

async function openAdsPopup(openExtensionPage: (file: string) => Promise<Page>): Promise<Page> {
  const page = await openPopup(openExtensionPage, `ads?gmail=${encodeURIComponent(GMAIL)}`);
  await expect(page.getByTestId('ads-count')).toBeVisible();
  await expectFitsPopup(page);
  return page;
}

const list = (page: Page) => page.getByRole('region', { name: 'Requested accounts' });
const row = (page: Page, username: string) => list(page).locator(`li.ads-row[data-username="${username}"]`);
const authorizations = async (url: string) => (await control<Inspected>(url, 'inspect')).authorizations;
const authorizationOf = async (url: string, username: string, advertiser = ADMIN_ADV) =>
  (await authorizations(url)).find((a) => a.tiktok.username === username && a.advertiser.advertiser_id === advertiser);

async function request(page: Page, username: string) {
  await page.getByLabel('TikTok username', { exact: true }).fill(username);
  await page.getByRole('button', { name: 'Send request' }).click();
}

test('request → owner approves → authorized in the open popup; duplicates shown, invalid usernames explained', async ({
  context,
  worker,
  openExtensionPage,
}) => {
  const fx = { context, worker, openExtensionPage };
  const server = await linkedToSandbox(fx);
  try {
    const page = await openAdsPopup(fx.openExtensionPage);
    await expect(page.getByTestId('ads-role')).toHaveText('Your role at Rivera Coffee Co.: Admin');
    await expect(page.getByLabel('Spark Ads')).toBeChecked();
    await shot(page, 'request-form');

    const before = (await authorizations(server.url)).length;
    const problems: [string, string][] = [
      ['@a', 'Too short: a TikTok username has at least 2 characters.'],
      ['this.name.is.far.too.long.for.tiktok', 'Too long: 36 characters, and a TikTok username has at most 24.'],
      ['sam eats', 'Invalid character "space": only letters, digits, _ and . are allowed.'],
      ['héllo', 'Invalid character "é": only letters, digits, _ and . are allowed.'],
      ['sam.eats.', 'A TikTok username cannot end with a dot.'],
      ['  @ ', 'Enter a TikTok username.'],
    ];
    for (const [input, message] of problems) {
      await request(page, input);
      await expect(page.locator('#ads-username-problem')).toHaveText(message);
    }
    await expect(page.getByLabel('TikTok username', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await shot(page, 'invalid-username');
    expect((await authorizations(server.url)).length).toBe(before);

    await request(page, '  @sam.eats  ');
    await expect(page.getByText('Request sent to @sam.eats.')).toBeVisible();
    await expect(row(page, 'sam.eats').locator('.ads-badge')).toHaveText('Pending');
    await expect(row(page, 'sam.eats')).toContainText('Requested: Spark Ads');
    await expect(row(page, 'sam.eats')).toContainText('expires');
    await shot(page, 'pending');

    const created = await authorizationOf(server.url, 'sam.eats');
    expect(created?.status).toBe('pending');
    await control(server.url, `owner/${created!.authorization_id}/approve`, {});
    // Nobody touches the popup: the list refreshes by itself and announces the change.
    await expect(row(page, 'sam.eats').locator('.ads-badge')).toHaveText('Authorized');
    await expect(page.getByTestId('ads-live')).toContainText('@sam.eats is now Authorized.');
    await expect(row(page, 'sam.eats')).toContainText('Granted: Spark Ads');
    await shot(page, 'authorized');

    // maya.creates has a pending request from the seeds: the existing one is shown, nothing new is created.
    const existing = await authorizationOf(server.url, 'maya.creates');
    const count = (await authorizations(server.url)).length;
    await request(page, 'Maya.Creates');
    await expect(page.getByText('@maya.creates already has an open request for this advertiser')).toBeVisible();
    const duplicate = page.getByTestId('ads-duplicate');
    await expect(duplicate.locator('li.ads-row')).toHaveAttribute('data-authorization-id', existing!.authorization_id);
    await expect(duplicate.locator('.ads-badge')).toHaveText('Pending');
    await shot(page, 'duplicate');
    expect((await authorizations(server.url)).length).toBe(count);
  } finally {
    await server.close();
  }
});

test('reject → resend → approve, and a pending request expires after 7 days of sandbox clock', async ({
  context,
  worker,
  openExtensionPage,
}) => {
  const fx = { context, worker, openExtensionPage };
  const server = await linkedToSandbox(fx);
  try {
    const page = await openAdsPopup(fx.openExtensionPage);
    await request(page, 'lina.travels');
    await expect(row(page, 'lina.travels').locator('.ads-badge')).toHaveText('Pending');
    const lina = (await authorizationOf(server.url, 'lina.travels'))!;

    await control(server.url, `owner/${lina.authorization_id}/reject`);
    await expect(row(page, 'lina.travels').locator('.ads-badge')).toHaveText('Rejected');
    await expect(page.getByTestId('ads-live')).toContainText('@lina.travels is now Rejected.');
    await shot(page, 'rejected');
    await row(page, 'lina.travels').getByRole('button', { name: 'Resend' }).click();
    await expect(row(page, 'lina.travels').locator('.ads-badge')).toHaveText('Pending');
    expect((await authorizationOf(server.url, 'lina.travels'))?.status).toBe('pending');
    await control(server.url, `owner/${lina.authorization_id}/approve`, {});
    await expect(row(page, 'lina.travels').locator('.ads-badge')).toHaveText('Authorized');

    await request(page, 'dev.kim');
    await expect(row(page, 'dev.kim').locator('.ads-badge')).toHaveText('Pending');
    await control(server.url, 'clock', { advance_s: (7 * DAY_MS) / 1000 + 60 });
    await expect(row(page, 'dev.kim').locator('.ads-badge')).toHaveText('Expired');
    await expect(row(page, 'dev.kim').getByRole('button', { name: 'Resend' })).toBeEnabled();
    await page.getByLabel('Status').selectOption('expired');
    await expect(list(page).locator('li.ads-row')).toHaveCount(2); // dev.kim and the seeds' maya.creates
    await shot(page, 'expired');

    // Both at once: select all shown → Resend selected.
    await page.getByLabel('Select all shown').check();
    await page.getByRole('button', { name: 'Resend selected (2)' }).click();
    await expect(page.getByTestId('ads-result').locator('.ads-done')).toHaveText('2 requests sent again.');
    await page.getByLabel('Status').selectOption('pending');
    for (const name of ['dev.kim', 'maya.creates'])
      await expect(row(page, name).locator('.ads-badge')).toHaveText('Pending');
    const statuses = (await authorizations(server.url))
      .filter((a) => ['dev.kim', 'maya.creates'].includes(a.tiktok.username))
      .map((a) => a.status);
    expect(statuses).toEqual(['pending', 'pending']);
  } finally {
    await server.close();
  }
});

test('without the admin role actions are disabled with the reason; change permissions; unlink with a warning', async ({
  context,
  worker,
  openExtensionPage,
}) => {
  const fx = { context, worker, openExtensionPage };
  const state = seedState(Date.now());
  // An authorization on the advertiser where the user is only an operator.
  state.authorizations['auth_operator'] = {
    authorization_id: 'auth_operator',
    advertiser_id: OPERATOR_ADV,
    requested_by: 'someone.else@example.com',
    username: 'jordan_films',
    status: 'authorized',
    requested: ['spark_ads'],
    granted: ['spark_ads'],
    requested_at: Date.now() - 3 * DAY_MS,
    decided_at: Date.now() - 2 * DAY_MS,
    expires_at: null,
  };
  const server = await linkedToSandbox(fx, state);
  try {
    const page = await openAdsPopup(fx.openExtensionPage);
    const reason =
      'You are Operator at Northwind Outdoor Gear, and only admins can do this. Ask an admin of Northwind Outdoor Gear to do it for you or to make you an admin.';

    await page.getByLabel('Advertiser').selectOption(OPERATOR_ADV);
    await expect(page.getByTestId('ads-role')).toHaveText('Your role at Northwind Outdoor Gear: Operator');
    await expect(page.getByRole('button', { name: 'Send request' })).toBeDisabled();
    await expect(page.locator('#ads-request-blocked')).toHaveText(reason);
    const operatorRow = row(page, 'jordan_films').filter({ hasText: 'For Northwind Outdoor Gear' });
    await expect(operatorRow.getByRole('button', { name: 'Unlink' })).toBeDisabled();
    await expect(operatorRow.getByRole('button', { name: 'Change permissions' })).toBeDisabled();
    await expect(operatorRow).toContainText(reason);
    await shot(page, 'no-admin');
    // The service agrees: the same request sent anyway is permission_denied.
    const denied = await sendMessage(page, 'adsCreate', {
      gmail: GMAIL,
      advertiser_id: OPERATOR_ADV,
      username: 'sam.eats',
      permissions: ['spark_ads'],
    });
    expect(denied.ok ? 'ok' : denied.error.code).toBe('permission_denied');

    // coffeelab.co is authorized with Spark Ads and Analytics in the seeds: narrow it to Spark Ads.
    const coffee = row(page, 'coffeelab.co');
    await coffee.getByRole('button', { name: 'Change permissions' }).click();
    const panel = page.getByRole('dialog', { name: 'Change permissions for @coffeelab.co' });
    await panel.getByLabel('Analytics').uncheck();
    await shot(page, 'change-permissions');
    await panel.getByRole('button', { name: 'Save permissions' }).click();
    await expect(coffee).toContainText('Granted: Spark Ads');
    await expect(page.getByTestId('ads-result').locator('.ads-done')).toHaveText('Permissions changed for 1 account.');
    expect((await authorizationOf(server.url, 'coffeelab.co'))?.permissions.granted).toEqual(['spark_ads']);

    await coffee.getByRole('button', { name: 'Unlink' }).click();
    const warning = page.getByRole('alertdialog');
    // Keyboard: the safe choice has the focus, and Escape backs out without unlinking.
    await expect(warning.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(warning).toHaveCount(0);
    await coffee.getByRole('button', { name: 'Unlink' }).click();
    await expect(warning).toContainText("Spark Ads that use these accounts' posts stop running");
    await shot(page, 'unlink-warning');
    await warning.getByRole('button', { name: 'Unlink and stop Spark Ads' }).click();
    await expect(coffee.locator('.ads-badge')).toHaveText('Revoked');
    expect((await authorizationOf(server.url, 'coffeelab.co'))?.status).toBe('revoked');

    // Several at once: a pasted list of usernames is requested in one go.
    await page.getByLabel('Advertiser').selectOption(ADMIN_ADV);
    await page.getByLabel('Several accounts at once').check();
    await page.getByLabel(/TikTok usernames/).fill('@sam.eats, dev.kim\n  lina.travels  \nmaya.creates');
    await page.getByRole('button', { name: 'Send requests' }).click();
    await expect(page.locator('.ads-request .ads-done')).toHaveText('3 requests sent. 1 already existed.');
    for (const name of ['sam.eats', 'dev.kim', 'lina.travels'])
      await expect(row(page, name).locator('.ads-badge')).toHaveText('Pending');
    await shot(page, 'bulk-request');
  } finally {
    await server.close();
  }
});

test('owner approves a subset and rejects another request from review.html (as the Gmail notification opens it)', async ({
  context,
  worker,
  openExtensionPage,
}) => {
  const fx = { context, worker, openExtensionPage };
  const server = await linkedToSandbox(fx);
  try {
    const ask = (advertiser_id: string, permissions: Permission[]) =>
      control<{ event: { ref: { authorization_id: string } } | null }>(server.url, 'simulate', {
        type: 'ads_request',
        to_gmail: GMAIL,
        advertiser_id,
        permissions,
      });
    const first = (await ask(OUTSIDE_ADV, ['spark_ads', 'analytics', 'live', 'direct_messages'])).event!.ref
      .authorization_id;
    const second = (await ask(OPERATOR_ADV, ['spark_ads'])).event!.ref.authorization_id;

    const page = await fx.openExtensionPage(
      `review.html?id=${encodeURIComponent(first)}&gmail=${encodeURIComponent(GMAIL)}`,
    );
    const card = page.locator(`article[data-authorization-id="${first}"]`);
    await expect(card.getByRole('heading', { level: 2 })).toHaveText('Sunset Skincare asks to use @alex.rivera');
    await expect(card).toContainText('Requested: Spark Ads, Analytics, LIVE, Direct messages');
    await card.getByLabel('Analytics').uncheck();
    await card.getByLabel('LIVE').uncheck();
    await shot(page, 'review-request');
    await card.getByRole('button', { name: 'Approve…' }).click();
    const confirm = card.getByRole('alertdialog');
    await expect(confirm).toContainText('Let Sunset Skincare use @alex.rivera with: Spark Ads, Direct messages?');
    await shot(page, 'review-confirm');
    // Nothing is decided before the confirmation.
    expect((await authorizations(server.url)).find((a) => a.authorization_id === first)?.status).toBe('pending');
    await confirm.getByRole('button', { name: 'Yes, approve' }).click();
    await expect(card.locator('.ads-badge')).toHaveText('Authorized');
    await expect(card).toContainText('Granted: Spark Ads, Direct messages');
    await expect(card.getByRole('link', { name: 'Open TikTok' })).toBeVisible();
    const approved = (await authorizations(server.url)).find((a) => a.authorization_id === first)!;
    expect(approved.status).toBe('authorized');
    expect(approved.permissions.granted).toEqual(['spark_ads', 'direct_messages']);
    await shot(page, 'review-approved');

    await page.goto(page.url().replace(encodeURIComponent(first), encodeURIComponent(second)));
    const other = page.locator(`article[data-authorization-id="${second}"]`);
    await expect(other.getByRole('heading', { level: 2 })).toHaveText(
      'Northwind Outdoor Gear asks to use @alex.rivera',
    );
    await other.getByRole('button', { name: 'Reject…' }).click();
    await other.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
    await expect(other.getByRole('alertdialog')).toHaveCount(0);
    await other.getByRole('button', { name: 'Reject…' }).click();
    await expect(other.getByRole('alertdialog')).toContainText(
      'Reject the request of Northwind Outdoor Gear for @alex.rivera?',
    );
    await other.getByRole('button', { name: 'Yes, reject' }).click();
    await expect(other.locator('.ads-badge')).toHaveText('Rejected');
    expect((await authorizations(server.url)).find((a) => a.authorization_id === second)?.status).toBe('rejected');
    await shot(page, 'review-rejected');

    // From the popup's Ads tab, the owner finds every request made to their accounts, with what they decided.
    const popup = await openAdsPopup(fx.openExtensionPage);
    const [all] = await Promise.all([
      context.waitForEvent('page'),
      popup.getByRole('button', { name: 'Requests to your TikTok accounts' }).click(),
    ]);
    await expect(all.getByRole('heading', { name: 'All requests' })).toBeVisible();
    await expect(all.locator(`article[data-authorization-id="${first}"] .ads-badge`)).toHaveText('Authorized');
    await expect(all.locator(`article[data-authorization-id="${second}"] .ads-badge`)).toHaveText('Rejected');
  } finally {
    await server.close();
  }
});

const STATUSES = ['pending', 'authorized', 'rejected', 'expired', 'revoked'] as const;

/** The seeds plus 300 requested accounts on the admin advertiser, 60 of each status. */
function stateWith300(now: number): SandboxState {
  const state = seedState(now);
  for (const a of Object.keys(state.authorizations)) delete state.authorizations[a];
  for (let i = 0; i < 300; i++) {
    const username = `creator_${String(i).padStart(3, '0')}`;
    const u: TikTokUser = {
      open_id: `-000bench${i}`,
      username,
      display_name: `Creator ${i}`,
      avatar_url: `https://p16-sign.tiktokcdn-us.com/${username}.jpeg`,
      account_type: i % 3 === 0 ? 'business' : 'personal',
      email: `${username}@example.com`,
      signin: false,
      videos: [],
    };
    state.users[username] = u;
    const status = STATUSES[i % STATUSES.length]!;
    const requested_at = now - (i + 1) * 3_600_000;
    const rec: AuthorizationRec = {
      authorization_id: `auth_bench_${i}`,
      advertiser_id: ADMIN_ADV,
      requested_by: GMAIL,
      username,
      status,
      requested: ['spark_ads', 'analytics'],
      granted: status === 'authorized' ? ['spark_ads'] : [],
      requested_at,
      decided_at: status === 'pending' ? null : requested_at + 3_600_000,
      expires_at: status === 'pending' ? now + 6 * DAY_MS : null,
    };
    state.authorizations[rec.authorization_id] = rec;
  }
  return state;
}

test('300 authorizations: listed, filtered, searched and scrolled, with only the rows in view in the DOM', async ({
  context,
  worker,
  openExtensionPage,
}) => {
  const fx = { context, worker, openExtensionPage };
  const server = await linkedToSandbox(fx, stateWith300(Date.now()));
  try {
    const page = await openAdsPopup(fx.openExtensionPage);
    const count = page.getByTestId('ads-count');
    await expect(count).toHaveText('Showing 300 of 300');
    const rows = () => list(page).locator('li.ads-row');
    expect(await rows().count()).toBeLessThan(20); // only the rows in view are in the DOM
    await shot(page, 'list-300');

    const search = page.getByRole('searchbox');
    const status = page.getByLabel('Status');
    // Back and forth twice: the list follows every change, not only the first.
    for (let round = 0; round < 2; round++) {
      await search.fill('creator_12');
      await expect(count).toHaveText('Showing 10 of 300'); // creator_120 … creator_129
      await status.selectOption('authorized');
      await expect(count).toHaveText('Showing 2 of 300');
      const names = await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-username')));
      expect(names.sort()).toEqual(['creator_121', 'creator_126']);
      await search.fill('');
      await expect(count).toHaveText('Showing 60 of 300');
      await status.selectOption('all');
      await expect(count).toHaveText('Showing 300 of 300');
    }
    await status.selectOption('authorized');
    await expect(count).toHaveText('Showing 60 of 300');
    // Scrolling to the end renders the last rows, still without putting all of them in the DOM.
    await page.locator('.ads-window').evaluate((box) => (box.scrollTop = box.scrollHeight));
    await expect(list(page).locator('li.ads-row[aria-posinset="60"]')).toBeVisible();
    expect(await rows().count()).toBeLessThan(20);

    // The popup's "Open the large view" opens ads.html for the same Gmail address, with the same list.
    const [large] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: 'Open the large view' }).click(),
    ]);
    expect(large.url()).toContain(`/ads.html?gmail=${encodeURIComponent(GMAIL)}`);
    await expect(large.getByTestId('ads-count')).toHaveText('Showing 300 of 300');
    // A dense table: 20+ rows in view on a laptop screen, still only those rows (and a few more) in the DOM.
    await large.setViewportSize({ width: 1280, height: 800 });
    const tableRows = large.locator('table.ads-table tr.ads-row');
    await expect.poll(() => tableRows.count()).toBeGreaterThanOrEqual(20);
    expect(await tableRows.count()).toBeLessThan(60);
    await shot(large, 'large-view');
  } finally {
    await server.close();
  }
});

test('bug 5: the large view is a dense table sorted by any column, 20+ rows in view at 1280 × 800, still windowed', async ({
  context,
  worker,
  openExtensionPage,
}) => {
  const fx = { context, worker, openExtensionPage };
  const server = await linkedToSandbox(fx, stateWith300(Date.now()));
  try {
    const page = await fx.openExtensionPage(`ads.html?gmail=${encodeURIComponent(GMAIL)}`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect(page.getByTestId('ads-count')).toHaveText('Showing 300 of 300');
    const table = page.locator('table.ads-table');
    for (const name of ['Status', 'Account', 'Advertiser', 'Requested', 'Decided', 'Asked → granted'])
      await expect(table.getByRole('columnheader', { name })).toBeVisible();
    const rows = table.locator('tr.ads-row');
    // Rows fully inside the window.
    const inView = () =>
      rows.evaluateAll(
        (els) =>
          els.filter((el) => {
            const r = el.getBoundingClientRect();
            return r.top >= 0 && r.bottom <= innerHeight;
          }).length,
      );
    await expect.poll(inView).toBeGreaterThanOrEqual(20);
    expect(await rows.count()).toBeLessThan(60);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);

    await table.getByRole('button', { name: 'Account' }).click();
    await expect(table.getByRole('columnheader', { name: 'Account' })).toHaveAttribute('aria-sort', 'ascending');
    await expect(rows.first()).toHaveAttribute('data-username', 'creator_000');
    await table.getByRole('button', { name: 'Account' }).click();
    await expect(rows.first()).toHaveAttribute('data-username', 'creator_299');
    await table.getByRole('button', { name: 'Status' }).click();
    await expect(rows.first().locator('.ads-badge')).toHaveText('Authorized');
    await expectAccessible(page, 'ads.html table, sorted');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(page, 'ads.html table (dark)');
  } finally {
    await server.close();
  }
});

test("bug 6: switching advertiser clears the previous error and the other advertiser's existing request", async ({
  context,
  worker,
  openExtensionPage,
}) => {
  const fx = { context, worker, openExtensionPage };
  const server = await linkedToSandbox(fx);
  try {
    const page = await openAdsPopup(fx.openExtensionPage);
    await request(page, 'maya.creates');
    await expect(page.getByTestId('ads-duplicate')).toBeVisible();
    await request(page, 'sam eats');
    await expect(page.locator('#ads-username-problem')).toBeVisible();
    await page.getByLabel('Advertiser').selectOption(OPERATOR_ADV);
    await expect(page.getByTestId('ads-duplicate')).toHaveCount(0);
    await expect(page.locator('#ads-username-problem')).toHaveCount(0);
    await expect(page.getByText('already has an open request')).toHaveCount(0);
  } finally {
    await server.close();
  }
});

test('bug 14: profile links understood, canonical names, results in the right colour, confirmation by the row, Approve not a danger', async ({
  context,
  worker,
  openExtensionPage,
}) => {
  const fx = { context, worker, openExtensionPage };
  const server = await linkedToSandbox(fx);
  try {
    const page = await openAdsPopup(fx.openExtensionPage);
    await request(page, 'https://www.tiktok.com/@Sam.Eats?lang=en');
    await expect(page.locator('.ads-request .ads-done')).toHaveText('Request sent to @sam.eats.');
    await expect(row(page, 'sam.eats').locator('.ads-badge')).toHaveText('Pending');
    await request(page, '@MAYA.CREATES');
    await expect(page.getByText('@maya.creates already has an open request for this advertiser')).toBeVisible();

    // Bulk: what succeeded is green, what failed is red, side by side.
    await page.getByLabel('Several accounts at once').check();
    await page.getByLabel(/TikTok usernames/).fill('tiktok.com/@dev.kim/video/1\nlina.travels');
    await page.getByRole('button', { name: 'Send requests' }).click();
    const done = page.locator('.ads-request .ads-done');
    await expect(done).toHaveText('2 requests sent.');
    await expect(page.locator('.ads-request .ads-problem')).toHaveCount(0);
    const green = await done.evaluate((el) => getComputedStyle(el).color);
    expect(green).toBe('rgb(20, 108, 46)');

    // The unlink confirmation opens by the row clicked.
    await page.getByLabel('Status').selectOption('authorized');
    const coffee = row(page, 'coffeelab.co');
    const unlink = coffee.getByRole('button', { name: 'Unlink' });
    await unlink.click();
    const warning = page.getByRole('alertdialog');
    await expect(warning).toBeVisible();
    const [from, box] = [(await unlink.boundingBox())!, (await warning.boundingBox())!];
    expect(Math.min(Math.abs(box.y - (from.y + from.height)), Math.abs(from.y - (box.y + box.height)))).toBeLessThan(
      24,
    );
    await expectAccessible(page, 'Ads tab: unlink confirmation by the row');
    await warning.getByRole('button', { name: 'Unlink and stop Spark Ads' }).click();
    await expect(page.getByTestId('ads-result').locator('.ads-done')).toHaveText('1 account unlinked.');
    await expect(unlink)
      .toBeFocused({ timeout: 1000 })
      .catch(() => undefined);

    // Review page: Approve is the primary action, Reject the danger.
    const ask = await control<{ event: { ref: { authorization_id: string } } | null }>(server.url, 'simulate', {
      type: 'ads_request',
      to_gmail: GMAIL,
      advertiser_id: OUTSIDE_ADV,
      permissions: ['spark_ads'],
    });
    const id = ask.event!.ref.authorization_id;
    const review = await fx.openExtensionPage(
      `review.html?id=${encodeURIComponent(id)}&gmail=${encodeURIComponent(GMAIL)}`,
    );
    const card = review.locator(`article[data-authorization-id="${id}"]`);
    await expect(card.getByRole('button', { name: 'Approve…' })).toHaveClass(/btn-primary/);
    await expect(card.getByRole('button', { name: 'Reject…' })).toHaveClass(/btn-danger/);
    await card.getByRole('button', { name: 'Approve…' }).click();
    await expect(card.getByRole('alertdialog')).not.toHaveClass(/ads-panel-warning/);
    await expect(card.getByRole('button', { name: 'Yes, approve' })).toHaveClass(/btn-primary/);
    await review.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(review, 'review page: approve confirmation (dark)');
  } finally {
    await server.close();
  }
});
