// @vitest-environment node
/**
 * `npm run test:contract -- --base-url URL [--session TOKEN --link-id ID]` (scripts/test-contract.ts passes them as
 * CONTRACT_BASE_URL, CONTRACT_SESSION, CONTRACT_LINK_ID): the black-box suite against any running server.
 */
import { contractSuite } from './suite';

const baseUrl = process.env.CONTRACT_BASE_URL;
if (!baseUrl) throw new Error('Set CONTRACT_BASE_URL (npm run test:contract -- --base-url URL).');
contractSuite(baseUrl, () => ({
  baseUrl,
  ...(process.env.CONTRACT_SESSION && { session: process.env.CONTRACT_SESSION }),
  ...(process.env.CONTRACT_LINK_ID && { linkId: process.env.CONTRACT_LINK_ID }),
}));
