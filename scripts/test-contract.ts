/**
 * `npm run test:contract -- --base-url URL [--session TOKEN] [--link-id ID]`: the black-box contract suite
 * (tests/contract/suite.ts) against any server implementing the service API. Without a session it covers what is
 * reachable without one; with `--session` the authenticated calls; with `--link-id` one linked account's calls.
 * It never acts on TikTok (only reads and calls the service must refuse). Exits non-zero when a case fails.
 */
import { spawnSync } from 'node:child_process';

const USAGE = 'Usage: npm run test:contract -- --base-url URL [--session TOKEN] [--link-id ID]';

function option(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return argv[i]!.includes('=') ? argv[i]!.slice(argv[i]!.indexOf('=') + 1) : argv[i + 1];
}

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const baseUrl = option(argv, 'base-url');
if (!baseUrl || !/^https?:\/\/[^\s]+$/.test(baseUrl)) {
  console.error(`--base-url must be the service's http(s) base URL. ${USAGE}`);
  process.exit(2);
}
const session = option(argv, 'session');
const linkId = option(argv, 'link-id');
if (linkId && !session) {
  console.error(`--link-id needs --session (the link's Gmail session). ${USAGE}`);
  process.exit(2);
}

const env: Record<string, string> = { ...(process.env as Record<string, string>), CONTRACT_BASE_URL: baseUrl };
if (session) env.CONTRACT_SESSION = session;
if (linkId) env.CONTRACT_LINK_ID = linkId;
const run = spawnSync('npx', ['vitest', 'run', '--config', 'tests/contract/vitest.config.ts'], {
  stdio: 'inherit',
  env,
});
process.exit(run.status ?? 1);
