/**
 * The owner's decision on one request: who asks, for which account and permissions; approve a chosen subset or
 * reject, each only after a confirmation step. Decided requests show what was decided. Where the service's TikTok
 * decides in its own app (API 1.1: `ads_approve_in_api` false, or a `not_supported` answer), the request shows why
 * and Approve in TikTok (its invite link) instead.
 */
import { useState } from 'preact/hooks';
import type { Authorization, Permission } from '@/utils/api/schemas';
import { permissionList, requestDates, statusLabel } from '@/components/ads/labels';
import { PermissionPicker } from '@/components/ads/PermissionPicker';
import { errorText } from '@/components/ads/problems';
import { t } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import { fallbackUrlOf, isTikTokPageUrl } from '@/utils/tiktok-urls';
import { RevokeHelp } from './RevokeHelp';

interface Props {
  gmail: string;
  request: Authorization;
  onDecided: (a: Authorization) => void;
  /** The service cannot approve here: the owner decides in TikTok. */
  inTikTok?: boolean;
}

type Step = 'choose' | 'confirm-approve' | 'confirm-reject';

/** Why this request is decided in TikTok, and Approve in TikTok where there is a link to open. */
function DecideInTikTok({ url }: { url: string | null }) {
  return (
    <div data-testid="ads-review-in-tiktok">
      <p class="ads-blocked">{t(url ? 'ads_review_in_tiktok' : 'ads_review_in_tiktok_no_link')}</p>
      {url && (
        <div class="ads-row-actions">
          <a class="button" href={url} target="_blank" rel="noopener noreferrer">
            {t('ads_review_approve_in_tiktok')}
          </a>
        </div>
      )}
    </div>
  );
}

export function RequestReview({ gmail, request: a, onDecided, inTikTok = false }: Props) {
  const [permissions, setPermissions] = useState<Permission[]>(a.permissions.requested);
  const [step, setStep] = useState<Step>('choose');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  /** A `not_supported` answer to approve/reject: decided in TikTok, at this link (or the request's own). */
  const [refused, setRefused] = useState<{ url: string | null } | null>(null);
  const titleId = `ads-review-${a.authorization_id}`;

  const decide = async (approve: boolean) => {
    setBusy(true);
    setProblem(null);
    const r = approve
      ? await send('adsApprove', { gmail, authorization_id: a.authorization_id, permissions })
      : await send('adsReject', { gmail, authorization_id: a.authorization_id });
    setBusy(false);
    if (r.ok) onDecided(r.data);
    else if (r.error.code === 'not_supported') {
      setRefused({ url: fallbackUrlOf(r.error.details) ?? null });
      setStep('choose');
    } else {
      setProblem(errorText(r.error));
      setStep('choose');
    }
  };

  return (
    <article class="ads-review-card" aria-labelledby={titleId} data-authorization-id={a.authorization_id}>
      <h2 id={titleId}>{t('ads_review_asks', [a.advertiser.name, a.tiktok.username])}</h2>
      <p>
        <span class="ads-badge" data-status={a.status}>
          {statusLabel(a.status)}
        </span>{' '}
        {t('ads_requested_perms', permissionList(a.permissions.requested))}
        {a.status !== 'pending' && ` · ${t('ads_granted_perms', permissionList(a.permissions.granted))}`}
      </p>
      <p class="ads-row-line">{requestDates(a)}</p>
      {a.status === 'pending' && (inTikTok || refused) && (
        <DecideInTikTok url={refused?.url ?? (isTikTokPageUrl(a.invite_url) ? a.invite_url : null)} />
      )}
      {a.status === 'pending' && !inTikTok && !refused && step === 'choose' && (
        <ChooseDecision
          request={a}
          permissions={permissions}
          onPermissions={setPermissions}
          busy={busy}
          onStep={setStep}
        />
      )}
      {a.status === 'pending' && !inTikTok && !refused && step !== 'choose' && (
        <ConfirmDecision
          request={a}
          approve={step === 'confirm-approve'}
          permissions={permissions}
          titleId={titleId}
          busy={busy}
          onConfirm={() => void decide(step === 'confirm-approve')}
          onCancel={() => setStep('choose')}
        />
      )}
      {a.status === 'authorized' && <RevokeHelp />}
      {problem && (
        <p class="ads-problem" role="alert">
          {problem}
        </p>
      )}
    </article>
  );
}

/** The permissions to grant (a subset of those requested), then Approve or Reject, each leading to its confirmation. */
function ChooseDecision(props: {
  request: Authorization;
  permissions: Permission[];
  onPermissions: (permissions: Permission[]) => void;
  busy: boolean;
  onStep: (step: Step) => void;
}) {
  const { request: a, permissions, busy } = props;
  return (
    <>
      <PermissionPicker
        legend={t('ads_review_grant_legend')}
        value={permissions}
        allowed={a.permissions.requested}
        onChange={props.onPermissions}
        idPrefix={`ads-review-perm-${a.authorization_id}`}
      />
      {permissions.length === 0 && <p class="ads-problem">{t('ads_review_none_chosen')}</p>}
      <div class="ads-row-actions">
        <button
          type="button"
          class="btn-primary"
          disabled={busy || permissions.length === 0}
          onClick={() => props.onStep('confirm-approve')}
        >
          {t('ads_review_approve')}
        </button>
        <button type="button" class="btn-danger" disabled={busy} onClick={() => props.onStep('confirm-reject')}>
          {t('ads_review_reject')}
        </button>
      </div>
    </>
  );
}

/** "Approve these permissions for …?" / "Reject …?", with the Spark Ads note; Escape goes back. */
function ConfirmDecision(props: {
  request: Authorization;
  approve: boolean;
  permissions: Permission[];
  titleId: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { request: a, approve, permissions, titleId, busy } = props;
  return (
    <section
      class={approve ? 'ads-panel' : 'ads-panel ads-panel-warning'}
      role="alertdialog"
      aria-labelledby={`${titleId}-confirm`}
      onKeyDown={(e) => e.key === 'Escape' && props.onCancel()}
    >
      <h3 id={`${titleId}-confirm`}>
        {approve
          ? t('ads_review_confirm_approve', [a.advertiser.name, a.tiktok.username, permissionList(permissions)])
          : t('ads_review_confirm_reject', [a.advertiser.name, a.tiktok.username])}
      </h3>
      {approve && permissions.includes('spark_ads') && <p>{t('ads_review_spark_note')}</p>}
      <div class="ads-row-actions">
        <button
          type="button"
          class={approve ? 'btn-primary' : 'btn-danger'}
          disabled={busy}
          autoFocus
          onClick={props.onConfirm}
        >
          {approve ? t('ads_review_confirm_approve_button') : t('ads_review_confirm_reject_button')}
        </button>
        <button type="button" disabled={busy} onClick={props.onCancel}>
          {t('ads_cancel')}
        </button>
      </div>
    </section>
  );
}
