/**
 * Which sign-in redirects `oauth/start` accepts on the server: only a browser extension's identity redirect, where
 * `identity.launchWebAuthFlow` ends — Chrome's `https://<extension id>.chromiumapp.org/…` and Firefox's
 * `https://<SHA-1 hex of the add-on id>.extensions.allizom.org/…` — and, when `ALLOWED_EXTENSION_IDS` is set, only
 * those extensions'. Anything else (http:, another host, a port, credentials, a query or a fragment) is refused, so
 * no one can make the server's callback redirect a browser to a page of their choosing.
 */
import { createHash } from 'node:crypto';

const CHROME = /^([a-p]{32})\.chromiumapp\.org$/;
const FIREFOX = /^([0-9a-f]{40})\.extensions\.allizom\.org$/;
const SHAPE =
  'redirect_uri must be an extension sign-in redirect: https://<id>.chromiumapp.org/ (Chrome) or https://<id>.extensions.allizom.org/ (Firefox).';

/** The host label an extension id gives its identity redirect: Chrome's id itself, Firefox's SHA-1 (hex) of the add-on id. */
export const redirectLabel = (id: string) =>
  /^[a-p]{32}$/.test(id) ? id : createHash('sha1').update(id).digest('hex');

/** A check of `redirect_uri`: null when accepted, else the sentence saying why not. */
export function redirectPolicy(extensionIds: string[] | null): (redirect_uri: string) => string | null {
  const allowed = extensionIds && new Set(extensionIds.map(redirectLabel));
  return (raw) => {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return SHAPE;
    }
    if (u.protocol !== 'https:' || u.port || u.username || u.password || u.search || u.hash) return SHAPE;
    const label = CHROME.exec(u.hostname)?.[1] ?? FIREFOX.exec(u.hostname)?.[1];
    if (!label) return SHAPE;
    if (allowed && !allowed.has(label))
      return 'redirect_uri belongs to an extension this service does not serve (ALLOWED_EXTENSION_IDS).';
    return null;
  };
}
