/**
 * The browser's host-permission prompt cannot be clicked in a headless test. `fakePermissionPrompt(page)` replaces
 * `chrome.permissions.request` in an extension page with one that records each request and grants it (or not),
 * and `chrome.permissions.contains` with one that answers from what was granted. Returns what the page asked for,
 * and `revoke()` to take every grant back as the user can in the browser's extension settings.
 */
import type { Page } from '@playwright/test';

/** The `chrome` global inside `evaluate` callbacks (they run in the extension, not in Node). */
declare const chrome: { permissions: object };

interface PermissionsRequest {
  origins?: string[];
  permissions?: string[];
}

export interface FakePermissionPrompt {
  requests(): Promise<PermissionsRequest[]>;
  revoke(): Promise<void>;
}

export async function fakePermissionPrompt(
  page: Page,
  answer: { grant: boolean } = { grant: true },
): Promise<FakePermissionPrompt> {
  await page.evaluate((grant) => {
    const state = { requests: [] as PermissionsRequest[], granted: new Set<string>() };
    (window as unknown as { fakePermissions: typeof state }).fakePermissions = state;
    // The extension calls these through webextension-polyfill, which passes a callback; answer both ways.
    const request = (asked: PermissionsRequest, callback?: (granted: boolean) => void) => {
      state.requests.push(asked);
      if (grant) for (const origin of asked.origins ?? []) state.granted.add(origin);
      callback?.(grant);
      return Promise.resolve(grant);
    };
    const contains = (asked: PermissionsRequest, callback?: (has: boolean) => void) => {
      const has = (asked.origins ?? []).every((origin) => state.granted.has(origin));
      callback?.(has);
      return Promise.resolve(has);
    };
    Object.defineProperty(chrome.permissions, 'request', { value: request, configurable: true, writable: true });
    Object.defineProperty(chrome.permissions, 'contains', { value: contains, configurable: true, writable: true });
  }, answer.grant);
  type State = { requests: PermissionsRequest[]; granted: Set<string> };
  return {
    requests: () => page.evaluate(() => (window as unknown as { fakePermissions: State }).fakePermissions.requests),
    revoke: () =>
      page.evaluate(() => (window as unknown as { fakePermissions: State }).fakePermissions.granted.clear()),
  };
}
