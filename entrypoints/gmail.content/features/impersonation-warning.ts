/** The impostor warning inside an open message: a banner above the message header. */
import { t } from '@/utils/i18n';

export function warningBanner(): HTMLElement {
  const banner = document.createElement('div');
  banner.className = 'ttg-banner';
  banner.setAttribute('role', 'alert');
  const title = document.createElement('strong');
  title.textContent = t('gmail_impostor_warning');
  const detail = document.createElement('span');
  detail.textContent = t('gmail_impostor_detail');
  banner.append(title, detail);
  return banner;
}
