/**
 * `npm run sandbox [-- --port N]`: the sandbox service on http://127.0.0.1:<port> (default 8787, or PORT).
 * Point the extension at it in Options → Service, or use it to build and test a real service against.
 */
import { startSandboxServer } from '../utils/sandbox/http-server';

function portFromArgs(argv: string[]): number {
  const i = argv.findIndex((a) => a === '--port' || a.startsWith('--port='));
  const raw = i < 0 ? process.env.PORT : argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
  const port = raw === undefined || raw === '' ? 8787 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`Not a port: ${raw}`);
    process.exit(2);
  }
  return port;
}

const server = await startSandboxServer({ port: portFromArgs(process.argv.slice(2)) });
const u = server.url;
console.log(`TikTok Gmail Link sandbox service: ${u}  (127.0.0.1 only)

Service API 1.1 (see ../shared/service-api.md): ${u}/v1/...  (GET ${u}/v1/service describes it)
Test controls:
  POST ${u}/sandbox/simulate        {"type":"message|comment|mention|follower|like|live|ads_request|security","to_gmail":"alex.rivera.demo@gmail.com"}
  POST ${u}/sandbox/owner/<authorization_id>/approve   {"permissions":["spark_ads"]}
  POST ${u}/sandbox/owner/<authorization_id>/reject
  POST ${u}/sandbox/clock           {"advance_s":3600}
  POST ${u}/sandbox/faults          {"count":3,"kinds":["5xx","502","429","drop","delay","malformed","schema"],"delay_ms":2000,"path_prefix":"/v1/"}
  POST ${u}/sandbox/reauth          {"link_id":"..."}
  POST ${u}/sandbox/roles           {"advertiser_id":"7301000000000000001","gmail":"alex.rivera.demo@gmail.com","role":"operator"}
  GET  ${u}/sandbox/mailbox?to=<gmail>
  GET  ${u}/sandbox/inspect
  POST ${u}/sandbox/profile         {"profile":"tiktok-like"}   (or "simulated": answer like a deployment on TikTok's real APIs, or with every rule)
  POST ${u}/sandbox/reset
  GET  ${u}/sandbox/oauth/authorize?state=&redirect_uri=   (the TikTok sign-in page)
Ctrl+C stops it.`);

const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
