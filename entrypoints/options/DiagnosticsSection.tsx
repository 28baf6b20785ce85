import { useEffect, useState } from 'preact/hooks';
import { t } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import type { ResponseOf } from '@/utils/messaging/catalogue';
import { Status, type StatusMessage } from './Status';

type Diagnostics = ResponseOf<'diagnostics'>;
/** The connection test run with each check: null while it runs. */
type Reachability = { ok: true; latency_ms: number } | { ok: false; code: string; message: string } | null;

const reachabilityText = (r: Reachability) =>
  r === null
    ? t('options_diag_checking')
    : r.ok
      ? t('options_diag_reachable', Math.round(r.latency_ms))
      : t('options_diag_unreachable', r.message);

function GmailCheck({ gmail }: { gmail: Diagnostics['gmail'] }) {
  if (!gmail) return <p>{t('options_diag_no_gmail')}</p>;
  const view = gmail.url_view.replace(/^#/, '') || 'inbox';
  return (
    <div>
      <p>{gmail.ok ? t('options_diag_gmail_ok', view) : t('options_diag_gmail_broken', view)}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('options_diag_selector')}</th>
            <th scope="col">{t('options_diag_count')}</th>
            <th scope="col">{t('options_diag_via')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(gmail.matched).map(([name, { count, via }]) => (
            <tr key={name} class={count === 0 ? 'missing' : ''}>
              <td>{name}</td>
              <td>{count}</td>
              <td>{via ?? t('options_diag_not_found')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DiagnosticsSection() {
  const [diagnostics, setDiagnostics] = useState<Diagnostics | null>(null);
  const [reachability, setReachability] = useState<Reachability>(null);
  const [status, setStatus] = useState<StatusMessage | null>(null);
  const run = async () => {
    setReachability(null);
    const [result, test] = await Promise.all([send('diagnostics', {}), send('serviceTest', {})]);
    if (result.ok) setDiagnostics(result.data);
    setReachability(
      test.ok
        ? { ok: true, latency_ms: test.data.latency_ms }
        : { ok: false, code: test.error.code, message: test.error.message },
    );
    setStatus(result.ok ? null : { tone: 'error', text: t('options_diag_failed', result.error.message) });
  };
  // The copied report says whether the service answered, with the error code only (never a URL path or message).
  const connection =
    reachability === null
      ? t('report_connection_running')
      : reachability.ok
        ? t('report_connection_ok', Math.round(reachability.latency_ms))
        : t('report_connection_failed', reachability.code);
  const report = diagnostics && `${diagnostics.report}\n${connection}`;
  useEffect(() => void run(), []);
  const copy = async () => {
    if (!report) return;
    try {
      await navigator.clipboard.writeText(report);
      setStatus({ tone: 'ok', text: t('options_diag_copied') });
    } catch {
      setStatus({ tone: 'error', text: t('options_diag_copy_failed') });
    }
  };
  return (
    <section aria-labelledby="diag-heading">
      <h2 id="diag-heading">{t('options_diag_heading')}</h2>
      {diagnostics && (
        <>
          <dl>
            <dt>{t('options_diag_version')}</dt>
            <dd>{diagnostics.version}</dd>
            <dt>{t('options_diag_mode')}</dt>
            <dd>{diagnostics.mode === 'sandbox' ? t('options_service_sandbox') : diagnostics.service}</dd>
            <dt>{t('options_diag_service')}</dt>
            <dd data-testid="diag-reachability">{reachabilityText(reachability)}</dd>
          </dl>
          <h3>{t('options_diag_gmail_heading')}</h3>
          <GmailCheck gmail={diagnostics.gmail} />
          <label class="block">
            {t('options_diag_report_label')}
            <textarea readOnly rows={10} value={report ?? ''} />
          </label>
        </>
      )}
      <div class="row">
        <button type="button" onClick={() => void run()}>
          {t('options_diag_run')}
        </button>
        <button type="button" onClick={() => void copy()} disabled={!diagnostics}>
          {t('options_diag_copy')}
        </button>
      </div>
      <Status status={status} testId="diag-status" />
    </section>
  );
}
