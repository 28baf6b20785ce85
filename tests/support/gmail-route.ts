/** Serve Gmail fixture HTML at the real https://mail.google.com URL so the content script's match pattern fires. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';

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

export async function serveGmail(page: Page, gmail: GmailPage): Promise<void> {
  const body = gmail.html ?? readFileSync(path.join(FIXTURES_DIR, gmail.fixture ?? 'inbox.html'), 'utf8');
  await page.route('https://mail.google.com/**', (route) =>
    route.request().resourceType() === 'document'
      ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', headers: { 'content-security-policy': GMAIL_CSP }, body })
      : route.fulfill({ status: 204, body: '' }),
  );
}
