/**
 * Detection on the live Gmail replica fed by the loopback sandbox: every email the sandbox sends gets the kind the
 * sandbox meant, rows arriving while the page is open are marked, and opening a row (hash navigation) marks the
 * message; the tab reports its Gmail account and a healthy selector self-check. The scenario is shared with Firefox
 * (tests/scenarios/detection.ts).
 */
import { detectionOnReplica } from '../scenarios/detection';
import { test } from './fixtures';

test('marks sandbox emails as they arrive, with the kind the sandbox meant, and the opened message', ({
  driver,
  sandbox,
}) => detectionOnReplica(driver, sandbox.url));
