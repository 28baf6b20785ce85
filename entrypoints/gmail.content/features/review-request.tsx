/** "Review request" for an Ads authorization request: opens the extension's review page; approval never happens in Gmail. */
import { send } from '@/utils/messaging';
import { t } from '@/utils/i18n';

export function ReviewRequest(props: { gmail: string; authorizationId: string; chip?: boolean }) {
  return (
    <button
      type="button"
      class={`btn primary${props.chip ? ' chip' : ''}`}
      onClick={() => void send('openExtensionPage', { page: 'review', authorization_id: props.authorizationId, gmail: props.gmail })}
    >
      {t('inline_review_request')}
    </button>
  );
}
