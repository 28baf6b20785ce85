/** The black-box contract suite on its own (`npm run test:contract`): node, no browser shims, any base URL. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['tests/contract/black-box.test.ts'], environment: 'node', testTimeout: 30_000, root: '.' },
});
