/**
 * "Follow back" for a new-follower notification, or "Following" when the linked account already follows them (the
 * service says so; where it cannot, Follow back is offered and stays harmless: following twice is one follow). A
 * service that cannot follow (API 1.1 `not_supported`) answers with the reason and the profile page: shown instead
 * of the button, which is not offered again.
 */
import { useEffect, useState } from 'preact/hooks';
import { send } from '@/utils/messaging';
import { t } from '@/utils/i18n';
import { fallbackUrlOf, profileUrl } from '@/utils/tiktok-urls';
import { NotAvailable } from './not-available';

type State = {
  step: 'checking' | 'offer' | 'busy' | 'followed' | 'already' | 'not_supported';
  error: string | null;
  notSupported?: { reason: string; url: string | null };
};

export function FollowBack(props: { gmail: string; username: string; chip?: boolean }) {
  const [state, setState] = useState<State>({ step: 'checking', error: null });
  useEffect(() => {
    let live = true;
    void send('followStatus', { gmail: props.gmail, username: props.username }).then((r) => {
      if (live)
        setState((s) =>
          s.step === 'checking' ? { step: r.ok && r.data.following ? 'already' : 'offer', error: null } : s,
        );
    });
    return () => {
      live = false;
    };
  }, [props.gmail, props.username]);
  if (state.step === 'already') {
    return (
      <span class="ok" role="status" title={t('inline_already_following_title', props.username)}>
        {t('inline_already_following')}
      </span>
    );
  }
  if (state.step === 'followed') {
    return (
      <span class="ok" role="status">
        {t('inline_following', props.username)}
      </span>
    );
  }
  if (state.notSupported)
    return (
      <NotAvailable
        reason={state.notSupported.reason}
        url={state.notSupported.url}
        label={t('inline_open_profile')}
        chip={props.chip}
      />
    );
  const follow = async () => {
    setState({ step: 'busy', error: null });
    const r = await send('follow', { gmail: props.gmail, username: props.username });
    if (!r.ok && r.error.code === 'not_supported') {
      const reason = typeof r.error.details?.reason === 'string' ? r.error.details.reason : r.error.message;
      return setState({
        step: 'not_supported',
        error: null,
        notSupported: { reason, url: fallbackUrlOf(r.error.details) ?? profileUrl(props.username) },
      });
    }
    setState(
      r.ok && r.data.following
        ? { step: 'followed', error: null }
        : { step: 'offer', error: r.ok ? null : r.error.message },
    );
  };
  return (
    <>
      <button
        type="button"
        class={`btn primary${props.chip ? ' chip' : ''}`}
        disabled={state.step === 'busy' || state.step === 'checking'}
        onClick={follow}
      >
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
