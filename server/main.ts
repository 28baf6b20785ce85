/**
 * `npm run server`: the TikTok Gmail Link service on TikTok's APIs (or the simulated TikTok without an app).
 * `npm run server -- --help` lists every setting. Prints `Service listening on <url>` once /healthz answers.
 */
import { startServer } from './app';
import { ConfigError, helpText, loadConfig } from './config';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(helpText());
  process.exit(0);
}

let config;
try {
  config = loadConfig();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(2);
}

const server = await startServer(config);
const health = await fetch(`${server.url}/healthz`).then(
  (r) => r.ok,
  () => false,
);
if (!health) {
  console.error('The server started but its database does not answer.');
  process.exit(1);
}
console.log(
  `TikTok: ${config.tiktok ? `${config.signin} sign-in, ${config.businessApiUrl}` : 'simulated (set TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET for the real one)'}`,
);
console.log(
  `Database: ${server.database.kind}${server.database.kind === 'pglite' ? ` in ${config.dataDir}` : ''}; mail: ${config.smtpUrl ? 'SMTP' : `dev mailbox at ${server.url}/dev/mailbox`}`,
);
if (config.tiktok)
  console.log(
    `TikTok redirect URI: ${server.publicUrl}/oauth/tiktok/callback; webhook URL: ${server.publicUrl}/webhooks/tiktok`,
  );
console.log(`Service listening on ${server.url}`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
