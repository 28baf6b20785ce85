import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    environment: 'happy-dom',
    environmentOptions: { happyDOM: { url: 'https://mail.google.com/mail/u/0/' } },
    include: ['tests/unit/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    testTimeout: 20_000,
  },
  ssr: { noExternal: ['@webext-core/messaging'] },
});
