/**
 * The shared e2e scenarios (tests/scenarios/*.ts) in Firefox. Each also runs in Chromium from its tests/e2e spec.
 */
import { detectionInConversations, detectionInListLayouts, detectionOnReplica } from '../scenarios/detection';
import { test } from './fixtures';

test('detection: genuine rows marked, impostors warned, others left alone in every list layout', ({ driver }) => detectionInListLayouts(driver));
test('detection: open conversations, impostor banner, hidden list ignored', ({ driver }) => detectionInConversations(driver));
test('detection on the live replica: rows as they arrive, the opened message, the tab reported', ({ driver, sandbox }) => detectionOnReplica(driver, sandbox.url));
