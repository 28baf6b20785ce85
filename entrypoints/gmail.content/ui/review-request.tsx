/**
 * "Review request" for an Ads authorization request: opens the extension's review page; approval never happens in
 * Gmail. A row has no review link: the worker then finds the request its subject names.
 */
import { send } from '@/utils/messaging';
import { t } from '@/utils/i18n';
import type { Detected } from '../detected';

export function ReviewRequest({ d, gmail, chip }: { d: Detected; gmail: string; chip?: boolean }) {
  const id = d.facts.authorization_id;
  return (
    <button
      type="button"
      class={`btn primary${chip ? ' chip' : ''}`}
      onClick={() =>
        void send('openExtensionPage', {
          page: 'review',
          gmail,
          ...(id ? { authorization_id: id } : { subject: d.subject }),
        })
      }
    >
      {t('inline_review_request')}
    </button>
  );
}
