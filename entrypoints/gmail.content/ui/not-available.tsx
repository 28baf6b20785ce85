/**
 * What replaces an action the linked account cannot do from Gmail (API 1.1): the reason in words, and the TikTok page
 * where the user can do it (Open in TikTok / Open profile on TikTok). Never a button that can only fail.
 */
import { OpenInTikTok } from '@/components/OpenInTikTok';

export function NotAvailable(props: { reason: string; url: string | null; label?: string; chip?: boolean }) {
  return (
    <>
      <OpenInTikTok
        url={props.url}
        label={props.label}
        chip={props.chip}
        primary
        title={props.chip ? props.reason : undefined}
      />
      {!props.chip && (
        <span class="muted" role="note" data-testid="not-available">
          {props.reason}
        </span>
      )}
    </>
  );
}
