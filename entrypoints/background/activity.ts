/**
 * Context for the inline composers (the conversation with a TikTok user and its last messages, comments on the
 * user's videos) and Follow back, for the Gmail address the caller may act for.
 */
import type { Handlers } from '@/utils/messaging/router';
import { assertMayActFor } from './gmail-reports';
import { activeLinkOf, serviceFor } from './service';

/** Messages shown above a reply composer, newest last. */
const CONTEXT_MESSAGES = 5;

export const handlers: Handlers = {
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
