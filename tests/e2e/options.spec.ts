/**
 * The options page, driven as a user would: settings apply to an open Gmail tab at once, a service URL asks the
 * browser for that one origin, Test connection explains an unreachable service, export downloads the JSON, clear
 * resets everything, and the page follows the browser language.
 *
 * `TTG_SCREENSHOTS=1` also saves the page to docs/screenshots/options-*.png.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { extensionIdOf, launchWithExtension } from '../support/extension';
import { serveGmail } from '../support/gmail-route';
import { linkAccount } from '../support/link';
import { fakePermissionPrompt } from '../support/permissions';
import { saveScreenshot } from '../support/screenshots';
import { expectAccessible } from '../support/axe';

/** The `chrome` global inside `evaluate` callbacks (they run in the extension, not in Node). */
declare const chrome: {
  alarms: { getAll(): Promise<{ name: string; periodInMinutes?: number }[]> };
  storage: { local: { get(key: string | null): Promise<Record<string, unknown>> } };
};

const screenshot = async (page: Page, name: string) => {
  await expectAccessible(page, `options: ${name}`);
  await saveScreenshot(page, `docs/screenshots/options-${name}.png`, { fullPage: true });
};

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('a service URL asks for that origin only; Test connection explains an unreachable service and a missing permission', async ({
  openExtensionPage,
}) => {
  const options = await openExtensionPage('options.html');
  const prompt = await fakePermissionPrompt(options);
  const service = options.getByRole('region', { name: 'Service' });

  await service.getByRole('radio', { name: 'A service at a URL' }).check();
  const url = service.getByRole('textbox', { name: 'Service URL' });
  await url.fill('http://example.com/api');
  await service.getByRole('button', { name: 'Use this service' }).click();
  await expect(options.getByTestId('service-status')).toHaveText(/must use https/);
  expect(await prompt.requests()).toEqual([]);

  const origin = `http://127.0.0.1:${await closedPort()}`;
  await url.fill(`${origin}/v1/`);
  await service.getByRole('button', { name: 'Use this service' }).click();
  await expect(options.getByTestId('service-status')).toHaveText(`Now using the service at ${origin}.`);
  expect(await prompt.requests()).toEqual([{ origins: [`${origin}/*`] }]);
  await expect(url).toHaveValue(origin);

  await service.getByRole('button', { name: 'Test connection' }).click();
  await expect(options.getByTestId('service-status')).toHaveText(
    `Could not reach ${origin}. Check the URL and that the service is running.`,
  );
  await expect(options.getByTestId('service-status')).toHaveAttribute('role', 'alert');

  // The user took the permission back in the browser's extension settings.
  await prompt.revoke();
  await service.getByRole('button', { name: 'Test connection' }).click();
  await expect(options.getByTestId('service-status')).toHaveText(
    `The browser has not allowed access to ${origin}. Choose the service again to grant it.`,
  );

  // Back to the sandbox: nothing to ask, and the connection works.
  await service.getByRole('radio', { name: 'Built-in sandbox' }).check();
  await expect(options.getByTestId('service-status')).toHaveText('Now using the built-in sandbox.');
  await service.getByRole('button', { name: 'Test connection' }).click();
  await expect(options.getByTestId('service-status')).toHaveText(/^Connected to Built-in sandbox in \d+ ms\.$/);
  expect(await prompt.requests()).toHaveLength(1);
});

test('when the browser refuses the permission, the service is not changed', async ({ openExtensionPage, worker }) => {
  const options = await openExtensionPage('options.html');
  const prompt = await fakePermissionPrompt(options, { grant: false });
  const service = options.getByRole('region', { name: 'Service' });
  await service.getByRole('radio', { name: 'A service at a URL' }).check();
  await service.getByRole('textbox', { name: 'Service URL' }).fill('https://tiktok-service.example.org/base');
  await service.getByRole('button', { name: 'Use this service' }).click();
  await expect(options.getByTestId('service-status')).toHaveText(
    'The browser did not allow access to https://tiktok-service.example.org, so the service was not changed.',
  );
  expect(await prompt.requests()).toEqual([{ origins: ['https://tiktok-service.example.org/*'] }]);
  const stored = (await (await worker()).evaluate(() => chrome.storage.local.get('settings'))).settings as
    { service?: { mode: string } } | undefined;
  expect(stored?.service?.mode ?? 'sandbox').toBe('sandbox');
});

test('Gmail settings take effect in an open Gmail tab without reloading', async ({ openGmail, openExtensionPage }) => {
  const gmail = await openGmail({ url: 'https://mail.google.com/mail/u/0/#inbox', fixture: 'inbox.html' });
  const messageChips = gmail.locator('.ttg-chip[data-ttg-chip="message"]');
  const warnings = gmail.locator('.ttg-chip.ttg-warn');
  const otherChips = gmail.locator('.ttg-chip[data-ttg-chip]:not([data-ttg-chip="message"])');
  await expect(messageChips.first()).toBeVisible();
  await expect(warnings.first()).toBeVisible();
  const others = await otherChips.count();
  expect(others).toBeGreaterThan(0);

  const options = await openExtensionPage('options.html');
  const section = options.getByRole('region', { name: 'Gmail' });
  await section.getByRole('checkbox', { name: 'Messages' }).uncheck();
  await expect(messageChips).toHaveCount(0);
  await expect(otherChips).toHaveCount(others);
  await expect(warnings.first()).toBeVisible();

  await section.getByRole('checkbox', { name: 'Warn about emails that pretend to be TikTok' }).uncheck();
  await expect(warnings).toHaveCount(0);

  await section.getByRole('checkbox', { name: 'Messages' }).check();
  await section.getByRole('checkbox', { name: 'Warn about emails that pretend to be TikTok' }).check();
  await expect(messageChips.first()).toBeVisible();
  await expect(warnings.first()).toBeVisible();

  // The row quick action of a verification code email (it needs no link).
  const copyCode = gmail.getByRole('button', { name: /^Copy code/ });
  await expect(copyCode.first()).toBeVisible();
  await section.getByRole('checkbox', { name: 'Quick actions on inbox rows' }).uncheck();
  await expect(copyCode).toHaveCount(0);
  await section.getByRole('checkbox', { name: 'Quick actions on inbox rows' }).check();
  await expect(copyCode.first()).toBeVisible();
});

test('export downloads settings and drafts as JSON; clear everything resets the settings', async ({
  openExtensionPage,
  worker,
}) => {
  const options = await openExtensionPage('options.html');
  const notifications = options.getByRole('region', { name: 'Notifications' });
  await notifications.getByRole('checkbox', { name: 'New comments' }).uncheck();
  await notifications.getByRole('spinbutton', { name: 'Check for new activity every (minutes)' }).fill('5');
  await notifications.getByRole('spinbutton', { name: 'Check for new activity every (minutes)' }).blur();
  await expect
    .poll(
      async () =>
        (
          (await (await worker()).evaluate(() => chrome.storage.local.get('settings'))).settings as {
            notifications?: { poll_minutes?: number };
          }
        )?.notifications?.poll_minutes,
    )
    .toBe(5);
  // The worker polls at the new interval at once.
  await expect
    .poll(
      async () =>
        (await (await worker()).evaluate(() => chrome.alarms.getAll())).find((a) => a.name === 'poll-events')
          ?.periodInMinutes,
    )
    .toBe(5);
  await screenshot(options, 'en');

  const [download] = await Promise.all([
    options.waitForEvent('download'),
    options.getByRole('button', { name: 'Export settings and drafts (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^tiktok-gmail-link-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  expect(exported).toMatchObject({
    settings: {
      notifications: { kinds: ['messages', 'followers', 'ads'], poll_minutes: 5 },
      service: { mode: 'sandbox' },
    },
    outbox: [],
    drafts: {},
  });
  expect(Date.parse(exported.exported_at)).not.toBeNaN();
  await expect(options.getByTestId('export-status')).toHaveText('Exported. Check your downloads.');

  await options.getByRole('button', { name: 'Clear everything…' }).click();
  await expect(options.getByText(/This deletes your settings, sessions, drafts and outbox/)).toBeVisible();
  await options.getByRole('button', { name: 'Clear everything now' }).click();
  await expect(options.getByTestId('clear-status')).toHaveText(
    'Everything was cleared. Settings are back to their defaults.',
  );
  await expect(notifications.getByRole('checkbox', { name: 'New comments' })).toBeChecked();
  await expect(notifications.getByRole('spinbutton', { name: 'Check for new activity every (minutes)' })).toHaveValue(
    '1',
  );
  expect(await (await worker()).evaluate(() => chrome.storage.local.get(null))).toEqual({});
});

test('clear everything offers to unlink the Gmail account first', async ({ context, openGmail, openExtensionPage }) => {
  const gmail = 'alex.rivera.demo@gmail.com'; // the account signed in on the Gmail fixture
  await expect(
    (await openGmail({ url: 'https://mail.google.com/mail/u/0/#inbox', fixture: 'inbox.html' }))
      .locator('.ttg-chip')
      .first(),
  ).toBeVisible();
  const options = await openExtensionPage('options.html');
  await linkAccount({ context, page: options, gmail });

  await options.getByRole('button', { name: 'Clear everything…' }).click();
  await options.getByRole('button', { name: `Unlink ${gmail} from TikTok first` }).click();
  await expect(options.getByTestId('clear-status')).toHaveText(`${gmail} is no longer linked to TikTok.`);
  await expect(options.getByRole('button', { name: `Unlink ${gmail} from TikTok first` })).toHaveCount(0);
  await options.getByRole('button', { name: 'Clear everything now' }).click();
  await expect(options.getByTestId('clear-status')).toHaveText(
    'Everything was cleared. Settings are back to their defaults.',
  );
});

test('the options page, the Gmail marks and the popup are in Spanish when the browser is', async () => {
  const context = await launchWithExtension({ locale: 'es' });
  try {
    const options = await context.newPage();
    await options.goto(`chrome-extension://${await extensionIdOf(context)}/options.html`);
    await expect(options.locator('h1')).toHaveText('TikTok Gmail Link — Opciones');
    await expect(options).toHaveTitle('TikTok Gmail Link — Opciones');
    await expect(options.locator('html')).toHaveAttribute('lang', /^es/);
    await expect(options.getByRole('button', { name: 'Probar conexión' })).toBeVisible();
    await expect(options.getByRole('region', { name: 'Privacidad y datos' })).toContainText(
      'nada sale de este ordenador',
    );
    await screenshot(options, 'es');

    // The Gmail marks and the popup follow the browser language too.
    const gmail = await context.newPage();
    await serveGmail(gmail, { url: 'https://mail.google.com/mail/u/0/#inbox', fixture: 'inbox.html' });
    await gmail.goto('https://mail.google.com/mail/u/0/#inbox');
    await expect(gmail.locator('.ttg-chip[data-ttg-chip="message"]').first()).toHaveText('Mensaje');
    await expect(gmail.locator('.ttg-chip.ttg-warn').first().locator('[aria-hidden="true"]')).toHaveText(
      'No es TikTok',
    );
    await expect(gmail.locator('.ttg-chip.ttg-warn').first()).toHaveAttribute(
      'title',
      'No es de TikTok: este remitente se hace pasar por TikTok',
    );
    const popup = await context.newPage();
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.goto(`chrome-extension://${await extensionIdOf(context)}/popup.html`);
    await expect(popup.getByRole('tab', { name: 'Vincular' })).toBeVisible();
  } finally {
    await context.close();
  }
});

test('diagnostics show the Gmail layout check, the service status and a report with no personal data', async ({
  openGmail,
  openExtensionPage,
}) => {
  const gmail = await openGmail({ url: 'https://mail.google.com/mail/u/0/#inbox', fixture: 'inbox.html' });
  await expect(gmail.locator('.ttg-chip').first()).toBeVisible();

  const options = await openExtensionPage('options.html');
  const diagnostics = options.getByRole('region', { name: 'Diagnostics' });
  // The Gmail tab reports its self-check shortly after it settles; run the check again until it is in.
  await expect(async () => {
    await diagnostics.getByRole('button', { name: 'Run the check again' }).click();
    await expect(diagnostics.getByText(/^Gmail \(inbox view\): /)).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
  // Each part of Gmail's page the extension needs, how many were found and by which selector.
  const rows = await gmail.locator('tr.zA').count();
  await expect(diagnostics.getByRole('row', { name: `row ${rows} tr.zA` })).toBeVisible();
  await expect(diagnostics.getByRole('row', { name: /^main 1 / })).toBeVisible();
  await expect(diagnostics.getByTestId('diag-reachability')).toHaveText(/^Reachable \(\d+ ms\)$/);

  const report = await diagnostics.getByRole('textbox', { name: 'Report (no personal data)' }).inputValue();
  expect(report).toMatch(/^TikTok Gmail Link \d+\.\d+\.\d+\n/);
  expect(report).toMatch(/^Service: built-in sandbox$/im);
  expect(report).toMatch(/Connection test: ok in \d+ ms$/);
  expect(report).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.-]+/); // no e-mail address of any kind
  await screenshot(options, 'diagnostics');
});

test('bug 17: in Spanish the diagnostics report, the placeholders and the word for the sandbox are Spanish throughout', async () => {
  const context = await launchWithExtension({ locale: 'es' });
  try {
    const id = await extensionIdOf(context);
    const options = await context.newPage();
    await options.goto(`chrome-extension://${id}/options.html`);
    const diagnostics = options.getByRole('region', { name: 'Diagnóstico' });
    const report = diagnostics.getByRole('textbox');
    await expect(report).toHaveValue(/Prueba de conexión: correcta en \d+ ms$/);
    const text = await report.inputValue();
    expect(text).toContain('Navegador: ');
    expect(text).toContain('Cuentas de Gmail vinculadas: 0');
    expect(text).not.toMatch(/Browser:|Linked Gmail|Outbox:|Settings:|Connection test/);
    await expect(options.getByRole('radio', { name: 'Entorno de pruebas integrado' })).toBeChecked();
    await expect(options.locator('body')).not.toContainText(/sandbox/i);

    const popup = await context.newPage();
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.goto(`chrome-extension://${id}/popup.html#link?gmail=${encodeURIComponent('ana@gmail.com')}`);
    await expect(popup.getByText('Servicio: entorno de pruebas integrado, no el TikTok real.')).toBeVisible();
    await popup.getByRole('button', { name: 'Enviar código' }).click();
    await expect(popup.getByText(/En el entorno de pruebas no se envía ningún correo real/)).toBeVisible();
    await expect(popup.locator('body')).not.toContainText(/sandbox/i);
    await popup.getByRole('button', { name: 'Cambiar dirección' }).click();
    await popup.getByRole('button', { name: /^Enviar código en \d+ s$/ }).waitFor();
  } finally {
    await context.close();
  }
});

test('axe: the options page passes in light and dark, with its sandbox tools and after a connection test', async ({
  openExtensionPage,
}) => {
  const options = await openExtensionPage('options.html');
  await expect(options.getByRole('heading', { name: 'Diagnostics' })).toBeVisible();
  for (const scheme of ['light', 'dark'] as const) {
    await options.emulateMedia({ colorScheme: scheme });
    await expectAccessible(options, `options (${scheme})`);
  }
  await options.getByRole('button', { name: 'Test connection' }).click();
  await expect(options.getByTestId('service-status')).not.toBeEmpty();
  await expectAccessible(options, 'options after Test connection (dark)');
});
