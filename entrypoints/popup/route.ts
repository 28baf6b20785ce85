/** The popup's address: `popup.html#<tab>?gmail=<address>` (e.g. `#link?gmail=alex@gmail.com` from Gmail). */
export interface Route {
  tab: string | null;
  gmail: string | null;
}

export function parseRoute(hash: string): Route {
  const [tab = '', query = ''] = hash.replace(/^#/, '').split('?');
  return { tab: tab || null, gmail: new URLSearchParams(query).get('gmail') };
}
