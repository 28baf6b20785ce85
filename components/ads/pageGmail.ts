/** The Gmail address an extension page works for: `?gmail=` in its URL, else the Gmail account last active in a tab. */
import { send } from '@/utils/messaging';

export async function gmailForPage(search = location.search): Promise<string | null> {
  const fromUrl = new URLSearchParams(search).get('gmail')?.trim();
  if (fromUrl) return fromUrl;
  const r = await send('activeGmail', {});
  return r.ok ? r.data.gmail : null;
}
