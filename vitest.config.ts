import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          environment: 'happy-dom',
          environmentOptions: { happyDOM: { url: 'https://mail.google.com/mail/u/0/' } },
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          restoreMocks: true,
          testTimeout: 20_000,
        },
        ssr: { noExternal: ['@webext-core/messaging'] },
      },
      {
        // The server (server/) against the TikTok emulator, an SMTP sink, PGlite and a throwaway PostgreSQL: Node only.
        test: {
          name: 'server',
          environment: 'node',
          include: ['tests/server/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
