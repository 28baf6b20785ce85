/**
 * The popup shell: which Gmail account (with a warning when it is not the one the open Gmail tab is signed in with),
 * its unread TikTok activity, then tabs (Link, Ads, Drafts).
 */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { serviceLine } from '@/components/ServiceAbout';
import type { ServiceInfo } from '@/utils/api/schemas';
import { looksLikeAddress, normaliseGmail } from '@/utils/gmail-address';
import { t } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import { ActivityStrip } from './activity/ActivityStrip';
import { EMAIL_FORM_ID } from './link/EmailStep';
import { parseRoute } from './route';
import { TABS } from './tabs';

export function App() {
  const route = parseRoute(location.hash);
  const [tab, setTab] = useState(TABS.some((x) => x.id === route.tab) ? route.tab! : TABS[0]!.id);
  const [gmail, setGmail] = useState(route.gmail ?? '');
  const [mode, setMode] = useState<'sandbox' | 'service' | null>(null);
  const [info, setInfo] = useState<ServiceInfo | null>(null);
  /** The account of the open Gmail tab, if there is one. */
  const [tabGmail, setTabGmail] = useState('');

  useEffect(() => {
    void send('ping', {}).then((r) => r.ok && setMode(r.data.mode));
    void send('serviceInfo', {}).then((r) => r.ok && setInfo(r.data.info));
    void send('activeGmail', {}).then((r) => {
      if (!r.ok || !r.data.gmail) return;
      setTabGmail(r.data.gmail);
      if (!route.gmail) setGmail((typed) => typed || r.data.gmail!);
    });
  }, []);
  const selectTab = (id: string) => {
    setTab(id);
    history.replaceState(null, '', `#${id}${gmail ? `?gmail=${encodeURIComponent(gmail.trim())}` : ''}`);
  };

  const current = TABS.find((x) => x.id === tab) ?? TABS[0]!;
  return (
    <main class="popup">
      <header>
        <h1>{t('extName')}</h1>
        <GmailPicker gmail={gmail} setGmail={setGmail} tabGmail={tabGmail} />
      </header>
      <ActivityStrip gmail={gmail} onOpenAds={() => selectTab('ads')} />
      <TabList current={current.id} onSelect={selectTab} />
      <section id="tabpanel" role="tabpanel" aria-labelledby={`tab-${current.id}`}>
        {current.render({ gmail, setGmail, sandbox: mode === 'sandbox', openTab: selectTab })}
      </section>
      {mode && (
        <footer class="service-mode">
          {t(mode === 'sandbox' ? 'popup_service_sandbox' : 'popup_service_own')}{' '}
          {info && <span data-testid="service-line">{serviceLine(info, mode === 'sandbox')}</span>}{' '}
          <button type="button" class="link-button" onClick={() => void browser.runtime.openOptionsPage()}>
            {t('popup_service_change')}
          </button>
        </footer>
      )}
    </main>
  );
}

/** The Gmail address the popup is about, with a warning when it is not the account of the open Gmail tab. */
function GmailPicker({
  gmail,
  setGmail,
  tabGmail,
}: {
  gmail: string;
  setGmail: (gmail: string) => void;
  tabGmail: string;
}) {
  const typed = normaliseGmail(gmail);
  const otherThanTab = tabGmail !== '' && looksLikeAddress(typed) && typed !== normaliseGmail(tabGmail);
  return (
    <>
      <label class="gmail-picker">
        <span>{t('popup_gmail_label')}</span>
        <input
          id="gmail"
          type="email"
          autoComplete="email"
          spellcheck={false}
          value={gmail}
          placeholder={t('popup_gmail_placeholder')}
          form={EMAIL_FORM_ID}
          aria-describedby={otherThanTab ? 'gmail-warning' : undefined}
          onInput={(e) => setGmail((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      {otherThanTab && (
        <p id="gmail-warning" class="gmail-warning">
          {t('popup_gmail_not_tab', tabGmail)}{' '}
          <button type="button" class="link-button" onClick={() => setGmail(tabGmail)}>
            {t('popup_gmail_use_tab', tabGmail)}
          </button>
        </p>
      )}
    </>
  );
}

/** The tabs (Link, Drafts, Ads, ...), with the arrow keys moving between them. */
function TabList({ current, onSelect }: { current: string; onSelect: (id: string) => void }) {
  const onTabKey = (e: KeyboardEvent, i: number) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = TABS[(i + step + TABS.length) % TABS.length]!;
    onSelect(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };
  return (
    <nav role="tablist" aria-label={t('popup_tabs_label')}>
      {TABS.map((x, i) => (
        <button
          key={x.id}
          id={`tab-${x.id}`}
          type="button"
          role="tab"
          aria-selected={x.id === current}
          aria-controls="tabpanel"
          tabIndex={x.id === current ? 0 : -1}
          onClick={() => onSelect(x.id)}
          onKeyDown={(e) => onTabKey(e, i)}
        >
          {x.label()}
        </button>
      ))}
    </nav>
  );
}
