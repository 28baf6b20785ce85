/** "Follow back" for a new-follower notification. */
import { useState } from 'preact/hooks';
import { send } from '@/utils/messaging';
import { t } from '@/utils/i18n';

export function FollowBack(props: { gmail: string; username: string; chip?: boolean }) {
  const [state, setState] = useState<{ busy: boolean; following: boolean; error: string | null }>({ busy: false, following: false, error: null });
  if (state.following) {
    return (
      <span class="ok" role="status">
        {t('inline_following', props.username)}
      </span>
    );
  }
  const follow = async () => {
    setState({ busy: true, following: false, error: null });
    const r = await send('follow', { gmail: props.gmail, username: props.username });
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
