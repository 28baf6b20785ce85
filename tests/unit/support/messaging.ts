/**
 * The worker as the UI code reaches it, for unit tests: `@/utils/messaging` whose `send` is a `vi.fn()` each test
 * scripts. In a test file:
 *
 *   import { send } from './support/messaging';
 *   vi.mock('@/utils/messaging', () => import('./support/messaging'));
 *
 * then import the component under test dynamically (`await import(...)`) so it gets the mock.
 */
import { vi } from 'vitest';

export const send = vi.fn();
