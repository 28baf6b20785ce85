/**
 * Context for the inline composers (the conversation with a TikTok user and its last messages, comments on the
 * user's videos) and Follow back, for the Gmail address the caller may act for.
 *
 * And the popup's activity strip: the unread counts of one Gmail address, and "Open" on a kind, which marks it read
 * and shows that TikTok mail in the Gmail tab of that account (a new Gmail tab when none shows it).
 */
import browser from 'webextension-polyfill';
import type { Handlers } from '@/utils/messaging/router';
import { normaliseGmail } from '@/utils/gmail-address';
import { eventsStateItem, type UnreadKind } from './events-state';
import { markReadFor } from './events';
import { tabShowing } from './gmail-tabs';
import { assertMayActFor } from './sender-policy';
import { activeLinkOf, serviceFor } from './service';

/**
 * The subject phrases of each kind's TikTok mail, in the languages detection knows (en, es, fr, it, ru, vi, zh): the
 * Gmail search ORs them, so "Open" finds that mail whatever language the account's TikTok writes in. A unit test
 * checks the detector classifies every phrase as the same kind.
 */
export const SEARCH_PHRASES: Record<Exclude<UnreadKind, 'ads'>, readonly string[]> = {
  messages: [
    'sent you a message',
    'te envió un mensaje',
    'vous a envoyé un message',
    'ti ha inviato un messaggio',
    'отправил вам сообщение',
    'отправила вам сообщение',
    'gửi cho bạn tin nhắn',
    '给你发了消息',
  ],
  comments: [
    'commented',
    'mentioned you',
    'comentó',
    'te mencionó',
    'a commenté',
    'vous a mentionné',
    'ha commentato',
    'ti ha menzionato',
    'прокомментировал',
    'упомянул',
    'bình luận',
    'đã nhắc đến bạn',
    '评论',
    '提到了你',
  ],
  followers: [
    'started following you',
    'comenzó a seguirte',
    'empezó a seguirte',
    'commencé à vous suivre',
    'ha iniziato a seguirti',
    'подписался на вас',
    'подписалась на вас',
    'bắt đầu theo dõi bạn',
    'bắt đầu follow bạn',
    '关注了你',
  ],
};

const searchOf = (kind: Exclude<UnreadKind, 'ads'>) =>
  `from:(tiktok.com) (${SEARCH_PHRASES[kind].map((p) => `"${p}"`).join(' OR ')})`;

/** Gmail search URL of `kind` for the account at `/mail/u/<index>/`, or for `gmail` by address when no tab shows it. */
export function activitySearchUrl(
  kind: Exclude<UnreadKind, 'ads'>,
  account: { index: number } | { gmail: string },
): string {
  const hash = `#search/${encodeURIComponent(searchOf(kind)).replace(/%20/g, '+')}`;
  return 'index' in account
    ? `https://mail.google.com/mail/u/${account.index}/${hash}`
    : `https://mail.google.com/mail/?authuser=${encodeURIComponent(account.gmail)}${hash}`;
}

async function showInGmail(gmail: string, kind: Exclude<UnreadKind, 'ads'>): Promise<void> {
  const tab = await tabShowing(gmail);
  if (tab) {
    try {
      const updated = await browser.tabs.update(tab.tabId, {
        url: activitySearchUrl(kind, { index: tab.account_index }),
        active: true,
      });
      if (updated.windowId !== undefined) await browser.windows.update(updated.windowId, { focused: true });
      return;
    } catch {
      /* the tab is gone: open a new one */
    }
  }
  await browser.tabs.create({ url: activitySearchUrl(kind, { gmail: normaliseGmail(gmail) }) });
}

/** Messages shown above a reply composer, newest last. */
const CONTEXT_MESSAGES = 5;

export const handlers: Handlers = {
  unreadCounts: async ({ gmail }) => (await eventsStateItem(gmail).get()).unread,
  openActivity: async ({ gmail, kind }) => {
    await markReadFor([gmail], [kind]);
    await showInGmail(gmail, kind);
    return (await eventsStateItem(gmail).get()).unread;
  },
  conversationContext: async ({ gmail, username }, sender) => {
    await assertMayActFor(sender, gmail);
    const link = await activeLinkOf(gmail);
    const client = await serviceFor(gmail);
    const wanted = username.replace(/^@/, '').toLowerCase();
    const { items } = await client.listConversations(link.link_id, wanted);
    const conversation = items.find((c) => c.participant.username.toLowerCase() === wanted) ?? null;
    if (!conversation) return { conversation: null, messages: [] };
    const page = await client.listMessages(link.link_id, conversation.conversation_id, { limit: CONTEXT_MESSAGES });
    return { conversation, messages: page.items.slice(0, CONTEXT_MESSAGES).reverse() };
  },
  commentContext: async ({ gmail, username, video_id }, sender) => {
    await assertMayActFor(sender, gmail);
    const link = await activeLinkOf(gmail);
    const client = await serviceFor(gmail);
    const { items } = await client.listComments(link.link_id, { username: username.replace(/^@/, ''), video_id });
    return { comments: items };
  },
  followStatus: async ({ gmail, username }, sender) => {
    await assertMayActFor(sender, gmail);
    const link = await activeLinkOf(gmail);
    return (await serviceFor(gmail)).followStatus(link.link_id, username.replace(/^@/, ''));
  },
  follow: async ({ gmail, username }, sender) => {
    await assertMayActFor(sender, gmail);
    const link = await activeLinkOf(gmail);
    const client = await serviceFor(gmail);
    // One key per Gmail address and username: a double click or a retry never follows twice.
    const key = `follow:${link.link_id}:${username.replace(/^@/, '').toLowerCase()}`;
    return client.follow(link.link_id, { username: username.replace(/^@/, '') }, await idempotencyKeyOf(key));
  },
};

/** A stable UUID-shaped key derived from `name` (SHA-256), so the same follow reuses the same Idempotency-Key. */
async function idempotencyKeyOf(name: string): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(name)));
  const hex = Array.from(hash.slice(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
