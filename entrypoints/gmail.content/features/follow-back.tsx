/**
 * "Follow back" for a new-follower notification. A service that cannot follow (API 1.1 `not_supported`) answers
 * with the reason and the profile page: shown instead of the button, which is not offered again.
 */
import { useState } from 'preact/hooks';
import { send } from '@/utils/messaging';
import { t } from '@/utils/i18n';
import { fallbackUrlOf, profileUrl } from '@/utils/tiktok-urls';
import { NotAvailable } from './not-available';

type State = { busy: boolean; following: boolean; error: string | null; notSupported?: { reason: string; url: string | null } };

export function FollowBack(props: { gmail: string; username: string; chip?: boolean }) {
  const [state, setState] = useState<State>({ busy: false, following: false, error: null });
  if (state.following) {
    return (
      <span class="ok" role="status">
        {t('inline_following', props.username)}
      </span>
    );
  }
  if (state.notSupported) return <NotAvailable reason={state.notSupported.reason} url={state.notSupported.url} label={t('inline_open_profile')} chip={props.chip} />;
  const follow = async () => {
    setState({ busy: true, following: false, error: null });
    const r = await send('follow', { gmail: props.gmail, username: props.username });
    if (!r.ok && r.error.code === 'not_supported') {
      const reason = typeof r.error.details?.reason === 'string' ? r.error.details.reason : r.error.message;
      return setState({ busy: false, following: false, error: null, notSupported: { reason, url: fallbackUrlOf(r.error.details) ?? profileUrl(props.username) } });
    }
    setState({ busy: false, following: r.ok && r.data.following, error: r.ok ? null : r.error.message });
  };
  return (
    <>
      <button type="button" class={`btn primary${props.chip ? ' chip' : ''}`} disabled={state.busy} onClick={follow}>
        {t('inline_follow_back')}
      </button>
      {state.error && (
        <span class="error" role="alert">
          {state.error}
        </span>
      )}
    </>
  );
}
