/**
 * Request authorization of one TikTok account, or of several pasted at once, for the chosen advertiser.
 * Usernames are checked before anything is sent; a request that already exists is handed back to be shown.
 */
import { useState } from 'preact/hooks';
import type { Advertiser, Authorization, Permission } from '@/utils/api/schemas';
import { t, tn } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import { InviteLink } from './InviteLink';
import { PermissionPicker } from './PermissionPicker';
import { errorText, usernameProblemText } from './problems';
import { adminRequiredReason } from './roles';
import { parseUsername, parseUsernameList } from './username';

interface Props {
  gmail: string;
  advertiser: Advertiser | undefined;
  onCreated: (a: Authorization) => void;
  onDuplicate: (authorizationId: string) => void;
}

/** What a request did: `done` in green, `failed` in red, each shown only when there is something to say. */
interface Outcome {
  done: string;
  failed: string;
}

/**
 * Sends one request; returns what happened to it, with the username as the service spells it. A created request is
 * handed to `onCreated`, the request that already existed to `onDuplicate`.
 */
async function sendRequest(
  { gmail, advertiser, onCreated, onDuplicate }: Props,
  username: string,
  permissions: Permission[],
): Promise<
  | { result: 'created'; username: string; authorization: Authorization }
  | { result: 'duplicate'; username: string }
  | { result: 'failed'; text: string }
> {
  if (!advertiser) return { result: 'failed', text: t('ads_unknown_advertiser') };
  const r = await send('adsCreate', { gmail, advertiser_id: advertiser.advertiser_id, username, permissions });
  if (r.ok) {
    onCreated(r.data);
    return { result: 'created', username: r.data.tiktok.username, authorization: r.data };
  }
  const existing = r.error.details?.authorization_id;
  if (r.error.code === 'duplicate_request' && typeof existing === 'string') {
    onDuplicate(existing);
    return { result: 'duplicate', username };
  }
  return { result: 'failed', text: errorText(r.error) };
}

/** The form's state and its submission: one request, or one per pasted username, each checked before it is sent. */
function useRequestForm(props: Props) {
  const [bulk, setBulk] = useState(false);
  const [text, setText] = useState('');
  const [permissions, setPermissions] = useState<Permission[]>(['spark_ads']);
  const [problem, setProblem] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  /** The request just sent, when its owner approves it in TikTok by an invite link (API 1.1). */
  const [invite, setInvite] = useState<Authorization | null>(null);
  const blocked = adminRequiredReason(props.advertiser);

  /** Sends one request; the one request of the single form is kept to show its invite link. */
  const create = async (username: string) => {
    const r = await sendRequest(props, username, permissions);
    if (r.result === 'created' && !bulk) setInvite(r.authorization);
    return r;
  };

  const submitOne = async () => {
    const parsed = parseUsername(text);
    if (!parsed.ok) return setProblem(usernameProblemText(parsed.problem));
    setProblem(null);
    const r = await create(parsed.username);
    if (r.result === 'created') {
      setText('');
      setOutcome({ done: t('ads_request_sent', r.username), failed: '' });
    } else if (r.result === 'duplicate') setOutcome({ done: t('ads_request_exists', r.username), failed: '' });
    else setOutcome({ done: '', failed: r.text });
  };

  const submitMany = async () => {
    const parsed = parseUsernameList(text);
    if (parsed.length === 0) return setProblem(t('ads_username_empty'));
    const invalid = parsed.filter((p) => !p.ok);
    if (invalid.length > 0) {
      return setProblem(invalid.map((p) => (p.ok ? '' : `${p.input}: ${usernameProblemText(p.problem)}`)).join('\n'));
    }
    setProblem(null);
    let sent = 0;
    let existing = 0;
    const failed: string[] = [];
    for (const p of parsed) {
      if (!p.ok) continue;
      const r = await create(p.username);
      if (r.result === 'created') sent++;
      else if (r.result === 'duplicate') existing++;
      else failed.push(`@${p.username}: ${r.text}`);
    }
    if (failed.length === 0) setText('');
    setOutcome(bulkOutcome(sent, existing, failed));
  };

  const onSubmit = async (e: Event) => {
    e.preventDefault();
    if (blocked || busy) return;
    if (permissions.length === 0) return setProblem(t('ads_permissions_required'));
    setBusy(true);
    setOutcome(null);
    setInvite(null);
    try {
      await (bulk ? submitMany() : submitOne());
    } finally {
      setBusy(false);
    }
  };

  const chooseBulk = (on: boolean) => (setBulk(on), setProblem(null));
  return {
    bulk,
    chooseBulk,
    text,
    setText,
    permissions,
    setPermissions,
    problem,
    outcome,
    busy,
    invite,
    blocked,
    onSubmit,
  };
}

export function RequestForm(props: Props) {
  const {
    bulk,
    chooseBulk,
    text,
    setText,
    permissions,
    setPermissions,
    problem,
    outcome,
    busy,
    invite,
    blocked,
    onSubmit,
  } = useRequestForm(props);
  return (
    <form class="ads-request" onSubmit={onSubmit} aria-labelledby="ads-request-title" noValidate>
      <h2 id="ads-request-title">{t('ads_request_title')}</h2>
      <label class="ads-inline">
        <input
          type="checkbox"
          checked={bulk}
          onChange={(e) => chooseBulk((e.currentTarget as HTMLInputElement).checked)}
        />
        {t('ads_bulk_toggle')}
      </label>
      <UsernameField bulk={bulk} text={text} onText={setText} problem={problem} />
      <PermissionPicker
        legend={t('ads_permissions_legend')}
        value={permissions}
        onChange={setPermissions}
        idPrefix="ads-request-perm"
      />
      <button
        type="submit"
        class="btn-primary"
        disabled={blocked !== null || busy}
        aria-describedby={blocked ? 'ads-request-blocked' : undefined}
      >
        {busy ? t('ads_sending') : bulk ? t('ads_send_requests') : t('ads_send_request')}
      </button>
      {blocked && (
        <p id="ads-request-blocked" class="ads-blocked">
          {blocked}
        </p>
      )}
      <div class="ads-result" role="status">
        {outcome?.done && <p class="ads-done">{outcome.done}</p>}
        {outcome?.failed && <p class="ads-problem">{outcome.failed}</p>}
      </div>
      {invite && <InviteLink gmail={props.gmail} authorization={invite} showLink />}
    </form>
  );
}

/** What a bulk request did: how many were sent and already existed, and each failure on its own line. */
function bulkOutcome(sent: number, existing: number, failed: string[]): Outcome {
  const done = [
    sent > 0 || failed.length === 0 ? tn('ads_bulk_sent', sent) : '',
    existing > 0 ? tn('ads_bulk_existed', existing) : '',
  ];
  return { done: done.filter(Boolean).join(' '), failed: failed.join('\n') };
}

/** The username (or, in bulk, the pasted usernames) with what is wrong with it. */
function UsernameField({
  bulk,
  text,
  onText,
  problem,
}: {
  bulk: boolean;
  text: string;
  onText: (text: string) => void;
  problem: string | null;
}) {
  const described = {
    'aria-invalid': problem !== null,
    'aria-describedby': problem ? 'ads-username-problem' : undefined,
  };
  return (
    <>
      <label for="ads-username">{bulk ? t('ads_usernames_label') : t('ads_username_label')}</label>
      {bulk ? (
        <textarea
          id="ads-username"
          rows={4}
          value={text}
          placeholder={t('ads_usernames_placeholder')}
          {...described}
          onInput={(e) => onText((e.currentTarget as HTMLTextAreaElement).value)}
        />
      ) : (
        <input
          id="ads-username"
          type="text"
          autoComplete="off"
          spellcheck={false}
          value={text}
          placeholder={t('ads_username_placeholder')}
          {...described}
          onInput={(e) => onText((e.currentTarget as HTMLInputElement).value)}
        />
      )}
      {problem && (
        <p id="ads-username-problem" class="ads-problem" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
