/**
 * The whole link flow against the loopback HTTP sandbox (the path a real service takes) and the live Gmail replica
 * fed by its mailbox, through the real `identity.launchWebAuthFlow`: the shared scenario in tests/scenarios/link.ts,
 * also run in Firefox.
 */
import { linkThroughPopup } from '../scenarios/link';
import { test } from './fixtures';

test('HTTP service + Gmail replica: code from Gmail with one click, sign-in denied then allowed, confirm, second account, unlink', ({
  driver,
  sandbox,
}) => linkThroughPopup(driver, sandbox.url));
