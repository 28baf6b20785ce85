import { render } from 'preact';
import browser from 'webextension-polyfill';
import { t } from '@/utils/i18n';
import { OptionsPage } from './OptionsPage';
import './style.css';

document.documentElement.lang = browser.i18n.getUILanguage();
document.title = t('options_title');
render(<OptionsPage />, document.getElementById('app')!);
