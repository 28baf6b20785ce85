/** "Open in TikTok": a link to a www.tiktok.com page built by utils/tiktok-urls.ts, never a URL from the email. */
import { t } from '@/utils/i18n';
import { isTikTokWebUrl } from '@/utils/tiktok-urls';

export function OpenInTikTok(props: {
  url: string | null;
  chip?: boolean;
  primary?: boolean;
  label?: string;
  title?: string;
}) {
  if (!props.url || !isTikTokWebUrl(props.url)) return null;
  return (
    <a
      class={`btn${props.chip ? ' chip' : ''}${props.primary ? ' primary' : ''}`}
      href={props.url}
      target="_blank"
      rel="noopener noreferrer"
      title={props.title}
    >
      {props.label ?? t('inline_open_in_tiktok')}
    </a>
  );
}
