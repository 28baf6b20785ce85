/**
 * Not linked yet (or the link needs a new sign-in): "Link TikTok to reply" (or "to follow back") opens the popup's
 * link flow page.
 */
import { send } from '@/utils/messaging';
import { t } from '@/utils/i18n';

export function LinkPrompt(props: { gmail: string; chip?: boolean; to?: 'reply' | 'follow' }) {
  return (
    <button
      type="button"
      class={`btn primary${props.chip ? ' chip' : ''}`}
      onClick={() => void send('openExtensionPage', { page: 'link', gmail: props.gmail })}
    >
      {t(props.to === 'follow' ? 'inline_link_to_follow' : 'inline_link_to_reply')}
    </button>
  );
}
