import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { t } from '@/utils/i18n';
import { ServiceAbout } from '@/components/ServiceAbout';
import type { ServiceInfo } from '@/utils/api/schemas';
import { send } from '@/utils/messaging';
import { serviceOrigin, serviceUrlProblem, type Settings } from '@/utils/storage/settings';
import { Status, type StatusMessage } from './Status';
import type { SaveSettings } from './useSettings';

/**
 * The host permission a service origin needs. Firefox match patterns cannot name a port (`http://127.0.0.1:8787/*` is
 * "not declared in the manifest" there), and a port-less pattern covers every port of that host; Chromium takes the
 * origin as it is.
 */
const hostPattern = (origin: string) => {
  if (!import.meta.env.FIREFOX) return `${origin}/*`;
  const { protocol, hostname } = new URL(origin);
  return `${protocol}//${hostname}/*`;
};

/** Gives back the host permission of a service URL the user no longer uses (the manifest holds none for good). */
function releaseOrigin(origin: string | null) {
  if (origin) void browser.permissions.remove({ origins: [hostPattern(origin)] }).catch(() => undefined);
}

/** Test connection: whether the chosen service answers, how fast, and (API 1.1) what it can do. */
function useConnectionTest(
  service: Settings['service'],
  setStatus: (s: StatusMessage) => void,
  setInfo: (info: ServiceInfo | null) => void,
) {
  const [testing, setTesting] = useState(false);
  const testConnection = async () => {
    const where = service.mode === 'sandbox' ? t('options_service_sandbox') : (service.base_url ?? '');
    // The user can take the permission back in the browser's extension settings; say so rather than "unreachable".
    if (service.base_url && !(await browser.permissions.contains({ origins: [hostPattern(service.base_url)] }))) {
      setStatus({ tone: 'error', text: t('options_test_permission_missing', where) });
      return;
    }
    setTesting(true);
    setStatus({ tone: 'info', text: t('options_test_running') });
    const result = await send('serviceTest', {});
    setTesting(false);
    if (result.ok) {
      setStatus({ tone: 'ok', text: t('options_test_ok', [where, Math.round(result.data.latency_ms)]) });
      if (result.data.info !== undefined) setInfo(result.data.info);
    } else if (result.error.code === 'unreachable') {
      setStatus({ tone: 'error', text: t('options_test_unreachable', where) });
    } else {
      setStatus({ tone: 'error', text: t('options_test_failed', [where, result.error.message]) });
    }
  };
  return { testing, testConnection };
}

export function ServiceSection({ settings, save }: { settings: Settings; save: SaveSettings }) {
  const { service } = settings;
  const [choice, setChoice] = useState(service.mode);
  const [url, setUrl] = useState(service.base_url ?? '');
  const [status, setStatus] = useState<StatusMessage | null>(null);
  /** What the chosen service can do (API 1.1); undefined while asking. */
  const [info, setInfo] = useState<ServiceInfo | null | undefined>(undefined);
  // Follow changes made elsewhere (another options tab, Clear everything), and read what the chosen service can do.
  useEffect(() => {
    setChoice(service.mode);
    setUrl(service.base_url ?? '');
    void send('serviceInfo', {}).then((r) => setInfo(r.ok ? r.data.info : null));
  }, [service.mode, service.base_url]);

  const useSandbox = async () => {
    setChoice('sandbox');
    if (service.mode === 'sandbox') return;
    if (await save({ ...settings, service: { mode: 'sandbox', base_url: null } })) {
      releaseOrigin(service.base_url);
      setStatus({ tone: 'ok', text: t('options_service_saved_sandbox') });
    }
  };

  const useServiceUrl = (event: Event) => {
    event.preventDefault();
    const typed = url.trim();
    const problem = serviceUrlProblem(typed);
    if (problem) {
      setStatus({
        tone: 'error',
        text: t(problem === 'insecure' ? 'options_service_url_insecure' : 'options_service_url_invalid'),
      });
      return;
    }
    const origin = serviceOrigin(typed);
    // Asked here, inside the click, so the browser shows its prompt; only this origin, only now.
    const refused = () => setStatus({ tone: 'error', text: t('options_service_permission_denied', origin) });
    void browser.permissions.request({ origins: [hostPattern(origin)] }).then(async (granted) => {
      if (!granted) {
        refused();
        return;
      }
      if (await save({ ...settings, service: { mode: 'service', base_url: origin } })) {
        if (service.base_url !== origin) releaseOrigin(service.base_url);
        setUrl(origin);
        setStatus({ tone: 'ok', text: t('options_service_saved_url', origin) });
      }
    }, refused); // the browser can also refuse by throwing (e.g. a pattern it does not accept): never a silent no-op
  };

  const { testing, testConnection } = useConnectionTest(service, setStatus, setInfo);

  return (
    <section aria-labelledby="service-heading">
      <h2 id="service-heading">{t('options_service_heading')}</h2>
      <ServiceChoice
        choice={choice}
        url={url}
        onUrl={setUrl}
        onSandbox={() => void useSandbox()}
        onService={() => setChoice('service')}
        onSubmitUrl={useServiceUrl}
      />
      <button
        type="button"
        onClick={() => void testConnection()}
        disabled={testing || (choice === 'service' && service.mode !== 'service')}
      >
        {t('options_test_button')}
      </button>
      <Status status={status} testId="service-status" />
      {info !== undefined && <ServiceAbout info={info} builtIn={service.mode === 'sandbox'} />}
    </section>
  );
}

/** The sandbox or a service URL: the URL form shows once "a service URL" is chosen. */
function ServiceChoice(props: {
  choice: Settings['service']['mode'];
  url: string;
  onUrl: (url: string) => void;
  onSandbox: () => void;
  onService: () => void;
  onSubmitUrl: (event: Event) => void;
}) {
  const { choice } = props;
  return (
    <fieldset>
      <legend>{t('options_service_legend')}</legend>
      <label class="check">
        <input type="radio" name="service-mode" checked={choice === 'sandbox'} onChange={props.onSandbox} />
        {t('options_service_sandbox')}
      </label>
      <p class="hint">{t('options_service_sandbox_hint')}</p>
      <label class="check">
        <input type="radio" name="service-mode" checked={choice === 'service'} onChange={props.onService} />
        {t('options_service_url_choice')}
      </label>
      {choice === 'service' && (
        <form class="row" onSubmit={props.onSubmitUrl}>
          <label>
            {t('options_service_url_label')}
            <input
              type="url"
              required
              value={props.url}
              placeholder="https://"
              onInput={(e) => props.onUrl(e.currentTarget.value)}
            />
          </label>
          <button type="submit">{t('options_service_url_use')}</button>
        </form>
      )}
      {choice === 'service' && <p class="hint">{t('options_service_url_hint')}</p>}
    </fieldset>
  );
}
