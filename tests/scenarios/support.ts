/**
 * Steps the shared scenarios (tests/scenarios/*.ts) take on any `Driver`: open a Gmail fixture or the live replica at
 * https://mail.google.com, link a Gmail address on the loopback sandbox through the real flow, and ask the sandbox.
 */
import { expect } from '@playwright/test';
import type { Link } from '@/utils/api/schemas';
import { gmailResponder, type GmailPage } from '../support/gmail-route';
import { replicaResponder, type ReplicaOptions } from '../support/gmail-replica';
import { linkAccount } from '../support/link';
import { useSandboxService } from '../support/sandbox';
import type { Driver, Evaluator, Tab, Target } from './driver';

export const openFixture = (d: Driver, url: string, gmail: Pick<GmailPage, 'html' | 'fixture'>): Promise<Tab> =>
  d.openGmail(url, gmailResponder(gmail));

/** Opens the live Gmail replica (tests/support/gmail-replica.ts) and waits for its first mailbox fetch. */
export async function openReplica(d: Driver, opts: ReplicaOptions): Promise<Tab> {
  const { url, respond, firstFetch } = replicaResponder(opts);
  const tab = await d.openGmail(url, respond);
  await Promise.race([firstFetch, new Promise((r) => setTimeout(r, 15_000))]);
  return tab;
}

/** The extension's own contexts, as an `Evaluator` (for helpers written for Playwright's Worker). */
export const extensionOf = (d: Driver): Evaluator => ({ evaluate: (fn, arg) => d.extension(fn, arg) });

/** Points the extension at the loopback sandbox, opens options.html and links `gmail` there through the real flow. */
export async function linkOnSandbox(d: Driver, sandboxUrl: string, gmail: string): Promise<{ page: Tab; link: Link }> {
  await useSandboxService(extensionOf(d), sandboxUrl);
  const page = await d.openExtensionPage('options.html');
  const link = await linkAccount({ context: d, page, sandboxUrl, gmail });
  return { page, link };
}

/** Polls `read` until it equals `expected` (Playwright's expect.poll, the same in every runner). */
export const eventually = <T>(read: () => Promise<T>, expected: T, message?: string, timeout = 10_000) =>
  expect.poll(read, { message, timeout }).toEqual(expected);

/** How many elements match `css` in the page (visible or not). */
export const count = (tab: Evaluator, css: string) => tab.evaluate((s) => document.querySelectorAll(s).length, css);

/** A pattern matching exactly `text`. */
export const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
/** A button whose text is exactly `name`. */
export const button = (name: string): Target => ({ css: 'button', text: exactly(name) });
export const heading = (name: string): Target => ({ css: 'h1, h2, h3', text: name });
/** An element whose whole text is `text`. */
export const exactText = (text: string): Target => ({ css: 'span, strong, p, dd, div, label', text: exactly(text) });
/** `text` anywhere in the page. */
export const pageText = (text: string): Target => ({ css: 'body', text });
