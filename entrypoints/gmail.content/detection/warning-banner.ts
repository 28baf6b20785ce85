/** The warnings inside an open message: a banner above the header, for an impostor or for TikTok mail Gmail warns about. */
import type { GmailWarning } from '@/utils/gmail/selectors';
import { t } from '@/utils/i18n';
import { gmailWarningDetail } from './chips';

export function warningBanner(reason?: GmailWarning): HTMLElement {
  const banner = document.createElement('div');
  banner.className = 'ttg-banner';
  banner.setAttribute('role', 'alert');
  banner.dataset.ttgBanner = reason ? 'gmail' : 'impersonation';
  const title = document.createElement('strong');
  title.textContent = t(reason ? 'gmail_gmail_warning' : 'gmail_impostor_warning');
  const detail = document.createElement('span');
  detail.textContent = reason ? gmailWarningDetail(reason) : t('gmail_impostor_detail');
  banner.append(title, detail);
  return banner;
}
