/**
 * The one table of what a genuine TikTok email offers, per kind (`kindAction`), and for the actions on another
 * TikTok user (reply, follow back) the choice between the action itself, "Link TikTok first", the reason the linked
 * account cannot do it with the TikTok page to do it there (`offReason`, API 1.1), or nothing yet (`chooseAction`).
 * The row's quick action (features/row-quick-action.tsx) and the open message's action bar
 * (features/action-bar.tsx) both render from here, each in its own place and size.
 */
import type { Capabilities } from '@/utils/api/schemas';
import type { EmailKind } from '@/utils/detect/kinds';
import type { MessageKey } from '@/utils/i18n';
import { cleanUsername, openInTikTokUrl } from '@/utils/tiktok-urls';
import type { Detected } from '../detected';
import { offReason, type CapabilityName } from './capability';
import { needsLink, type LinkHealth } from './use-link-state';

interface KindAction {
  action: 'reply' | 'follow' | 'copy-code' | 'review' | 'open';
  /** The action's name in the message bar, and on its disabled stand-in when the email's @handle is not trusted. */
  label?: MessageKey;
  /** What the linked account must be able to do for it (reply and follow back only). */
  capability?: CapabilityName;
  /** The name of the TikTok page offered instead when it cannot ("Open in TikTok" when none). */
  elsewhere?: MessageKey;
}

const COMMENT: KindAction = { action: 'reply', label: 'inline_reply', capability: 'comments' };

/** Kinds not listed here (security, like, live, shop, other) offer "Open in TikTok" when there is a page to open. */
const KIND_ACTIONS: Partial<Record<EmailKind, KindAction>> = {
  code: { action: 'copy-code' },
  message: { action: 'reply', label: 'inline_reply_on_tiktok', capability: 'messages' },
  comment: COMMENT,
  mention: COMMENT,
  follower: { action: 'follow', label: 'inline_follow_back', capability: 'follow', elsewhere: 'inline_open_profile' },
  ads: { action: 'review' },
};
const OPEN: KindAction = { action: 'open', label: 'inline_open_in_tiktok' };

export const kindAction = (kind: EmailKind): KindAction => KIND_ACTIONS[kind] ?? OPEN;

type ActionChoice =
  /** No trusted @handle: nobody to act on. */
  | { step: 'none' }
  /** The link's state is not known yet: nothing that could turn into "Link TikTok" a moment later. */
  | { step: 'wait' }
  | { step: 'link' }
  | { step: 'off'; reason: string; url: string | null; label?: MessageKey }
  | { step: 'act'; username: string };

/** For a reply or a follow back: what to offer now, given the link's health and capabilities. */
export function chooseAction(d: Detected, health: LinkHealth, capabilities: Capabilities | null): ActionChoice {
  const { capability, elsewhere } = kindAction(d.kind);
  const username = cleanUsername(d.facts.username);
  if (!username) return { step: 'none' };
  if (health === 'unknown') return { step: 'wait' };
  if (needsLink(health)) return { step: 'link' };
  const reason = capability ? offReason(capabilities, capability) : null;
  return reason
    ? { step: 'off', reason, url: openInTikTokUrl(d.kind, d.facts), label: elsewhere }
    : { step: 'act', username };
}
