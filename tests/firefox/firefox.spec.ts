/**
 * The shared e2e scenarios (tests/scenarios/*.ts) in Firefox. Each also runs in Chromium from its tests/e2e spec.
 */
import { badgeAcrossBackgroundStop } from '../scenarios/background';
import { copyCodeFromRow, replyOnceFromRow } from '../scenarios/inline';
import { linkThroughPopup, linkWithBuiltInSandbox } from '../scenarios/link';
import { chooseServiceWithPermission } from '../scenarios/options';
import { detectionInConversations, detectionInListLayouts, detectionOnReplica } from '../scenarios/detection';
import { test } from './fixtures';

test('detection: genuine rows marked, impostors warned, others left alone in every list layout', ({ driver }) =>
  detectionInListLayouts(driver));
test('detection: open conversations, impostor banner, hidden list ignored', ({ driver }) =>
  detectionInConversations(driver));
test('detection on the live replica: rows as they arrive, the opened message, the tab reported', ({
  driver,
  sandbox,
}) => detectionOnReplica(driver, sandbox.url));
test('options: choosing a service at a URL requests that origin only, Test connection reaches it', ({
  driver,
  sandbox,
}) => chooseServiceWithPermission(driver, sandbox.url));
test('badge and events across an event-page stop', ({ driver, sandbox }) =>
  badgeAcrossBackgroundStop(driver, sandbox.url));
test('inline DM reply from the row chip is sent exactly once', ({ driver, sandbox }) =>
  replyOnceFromRow(driver, sandbox.url, 'docs/screenshots/firefox-gmail-replica-row-reply.png').then(() => undefined));
test('Copy code from a row puts the code on the clipboard', ({ driver, sandbox }) =>
  copyCodeFromRow(driver, sandbox.url).then(() => undefined));
test('popup link flow on the loopback sandbox: code from Gmail, sign-in through identity.launchWebAuthFlow denied then allowed, second account, unlink', ({
  driver,
  sandbox,
}) =>
  linkThroughPopup(driver, sandbox.url, {
    popup: 'docs/screenshots/firefox-popup-linked.png',
    gmail: 'docs/screenshots/firefox-gmail-replica-code.png',
  }));
test('popup link flow on the built-in sandbox (no configuration): code from Gmail, sign-in window, linked, confirmed', ({
  driver,
}) => linkWithBuiltInSandbox(driver));
