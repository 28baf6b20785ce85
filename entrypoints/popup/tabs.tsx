/**
 * The popup's tabs. Each tab gets the Gmail account chosen at the top of the popup; add a tab by adding an entry.
 */
import type { VNode } from 'preact';
import { t } from '@/utils/i18n';
import { AdsTab } from './ads/AdsTab';
import { DraftsTab } from './drafts/DraftsTab';
import { LinkTab } from './link/LinkTab';

export interface TabContext {
  gmail: string;
  setGmail: (gmail: string) => void;
}

export interface PopupTab {
  id: string;
  label: () => string;
  render: (ctx: TabContext) => VNode;
}

export const TABS: PopupTab[] = [
  { id: 'link', label: () => t('popup_tab_link'), render: (ctx) => <LinkTab {...ctx} /> },
  { id: 'ads', label: () => t('ads_tab'), render: ({ gmail }) => <AdsTab gmail={gmail} /> },
  { id: 'drafts', label: () => t('popup_tab_drafts'), render: ({ gmail }) => <DraftsTab gmail={gmail} /> },
];
