/**
 * The popup's tabs. Each tab gets the Gmail account chosen at the top of the popup; add a tab by adding an entry.
 * Only the Link tab is in the first bundle; the others load when opened (`LazyPanel`), keeping the popup fast.
 */
import type { VNode } from 'preact';
import { t } from '@/utils/i18n';
import { LazyPanel } from './LazyPanel';
import { LinkTab } from './link/LinkTab';

export interface TabContext {
  gmail: string;
  setGmail: (gmail: string) => void;
  /** The extension talks to its built-in sandbox (no real email is sent). */
  sandbox: boolean;
  /** Shows another tab of the popup (e.g. Ads sends a user who has not linked yet to Link). */
  openTab: (id: string) => void;
}

export interface PopupTab {
  id: string;
  label: () => string;
  render: (ctx: TabContext) => VNode;
}

export const TABS: PopupTab[] = [
  { id: 'link', label: () => t('popup_tab_link'), render: (ctx) => <LinkTab {...ctx} /> },
  { id: 'ads', label: () => t('ads_tab'), render: (ctx) => <LazyPanel key="ads" load={loadAds} ctx={ctx} /> },
  {
    id: 'drafts',
    label: () => t('popup_tab_drafts'),
    render: (ctx) => <LazyPanel key="drafts" load={loadDrafts} ctx={ctx} />,
  },
];

function loadAds() {
  return import('./AdsTab').then(({ AdsTab }) => ({ gmail, openTab }: TabContext) => (
    <AdsTab gmail={gmail} onOpenLink={() => openTab('link')} />
  ));
}

function loadDrafts() {
  return import('./drafts/DraftsTab').then(({ DraftsTab }) => ({ gmail }: TabContext) => <DraftsTab gmail={gmail} />);
}
