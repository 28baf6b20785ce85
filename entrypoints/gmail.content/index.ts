import { defineContentScript } from 'wxt/utils/define-content-script';
import { send } from '@/utils/messaging';

export default defineContentScript({
  matches: ['https://mail.google.com/*'],
  runAt: 'document_idle',
  async main() {
    await send('ping', {});
  },
});
