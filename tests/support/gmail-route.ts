/** Serve Gmail fixture HTML at the real https://mail.google.com URL so the content script's match pattern fires. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { MailResponder } from '../scenarios/driver';

export const FIXTURES_DIR = path.resolve('tests/fixtures/gmail');

export interface GmailPage {
  /** e.g. https://mail.google.com/mail/u/0/#inbox */
  url: string;
  /** HTML to serve, or a fixture file name under tests/fixtures/gmail. */
  html?: string;
  fixture?: string;
}

/** Gmail's own CSP header: Trusted Types are enforced, so any HTML sink in our content script would throw. */
export const GMAIL_CSP = "require-trusted-types-for 'script'";

/** A Gmail page's HTML as the document, with Gmail's CSP; every other mail.google.com request gets an empty 204. */
export const gmailDocument =
  (html: string): MailResponder =>
  ({ navigation }) =>
    navigation
      ? {
          status: 200,
          contentType: 'text/html; charset=utf-8',
          headers: { 'content-security-policy': GMAIL_CSP },
          body: html,
        }
      : { status: 204, body: '' };

/** Answers mail.google.com requests with the fixture (or HTML) of `gmail`, for any browser driver. */
export const gmailResponder = (gmail: Pick<GmailPage, 'html' | 'fixture'>): MailResponder =>
  gmailDocument(gmail.html ?? readFileSync(path.join(FIXTURES_DIR, gmail.fixture ?? 'inbox.html'), 'utf8'));

export async function serveGmail(page: Page, gmail: GmailPage): Promise<void> {
  const respond = gmailResponder(gmail);
  await page.route('https://mail.google.com/**', async (route) =>
    route.fulfill(
      await respond({ url: route.request().url(), navigation: route.request().resourceType() === 'document' }),
    ),
  );
}
