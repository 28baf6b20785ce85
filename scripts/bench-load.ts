/**
 * Responsiveness and load figures, on the built extension in Chromium with its embedded sandbox:
 * - the popup's time to interactive (issue 4: target 100 ms), over several opens on a quiet browser;
 * - 10,000 events in the feed, 1,000 replies waiting in the outbox, 300 Ads authorizations (issue 8 item 4): how long
 *   the worker takes to answer while loaded (ping round trips during the event poll, outboxList, adsList), how long the
 *   poll of 10,000 events takes, and how long the popup and the Ads page take to show their content;
 * - the popup's Ads tab with those 300 authorizations (issue 6): search, status filter and scroll latency.
 * The e2e tests check what these pages show; only this script times them.
 *
 * `TTG_OUT_DIR=.output-x npx tsx scripts/bench-load.ts` (after a build into that directory). Env `LOAD_EVENTS`,
 * `LOAD_OUTBOX`, `LOAD_ADS` change the sizes.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { extensionIdOf, launchWithExtension } from '../tests/support/extension';
import type { MessageName, RequestOf, ResponseOf, Result } from '../utils/messaging/catalogue';

const EVENTS = Number(process.env.LOAD_EVENTS ?? 10_000);
const OUTBOX = Number(process.env.LOAD_OUTBOX ?? 1_000);
const ADS = Number(process.env.LOAD_ADS ?? 300);
const GMAIL = 'load.bench@gmail.com';

async function call<K extends MessageName>(page: Page, name: K, data: RequestOf<K>): Promise<ResponseOf<K>> {
  const r = (await page.evaluate(
    async ({ name, data }) => {
      const runtime = (
        globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ res: unknown }> } } }
      ).chrome.runtime;
      return (
        await runtime.sendMessage({ id: Math.floor(Math.random() * 1e9), type: name, data, timestamp: Date.now() })
      ).res;
    },
    { name, data: data as unknown },
  )) as Result<ResponseOf<K>>;
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.data;
}

/** Runs `n` messages from inside the page in parallel batches (one evaluate per batch). */
async function callMany(page: Page, messages: { type: string; data: unknown }[], batch = 50): Promise<string> {
  let failed = 0;
  let first = '';
  for (let i = 0; i < messages.length; i += batch) {
    const errors = await page.evaluate(
      async (chunk) => {
        const runtime = (
          globalThis as unknown as {
            chrome: {
              runtime: {
                sendMessage(m: unknown): Promise<{ res: { ok: boolean; error?: { code: string; message: string } } }>;
              };
            };
          }
        ).chrome.runtime;
        const replies = await Promise.all(
          chunk.map((m) =>
            runtime.sendMessage({
              id: Math.floor(Math.random() * 1e9),
              type: m.type,
              data: m.data,
              timestamp: Date.now(),
            }),
          ),
        );
        return replies.filter((r) => !r.res.ok).map((r) => `${r.res.error?.code}: ${r.res.error?.message}`);
      },
      messages.slice(i, i + batch),
    );
    failed += errors.length;
    first ||= errors[0] ?? '';
  }
  return failed ? `${failed} refused, e.g. ${first}` : '0 refused';
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length - 1) * p))] ?? 0;
const median = (xs: number[]) => pct(xs, 0.5);

async function link(context: BrowserContext, page: Page): Promise<void> {
  await call(page, 'linkStart', { gmail: GMAIL });
  const mailbox = (await call(page, 'sandboxMailbox', { gmail: GMAIL })) as { subject: string }[];
  const code = mailbox.map((m) => /^(\d{6}) is your verification code/.exec(m.subject)?.[1]).find(Boolean)!;
  await call(page, 'linkVerify', { gmail: GMAIL, code });
  const signIn = context.waitForEvent('page', { predicate: (p) => p.url().includes('sandbox-signin.html') });
  const flow = call(page, 'linkSignIn', { gmail: GMAIL });
  const state = new URL((await signIn).url()).searchParams.get('state')!;
  const info = await call(page, 'sandboxSignInInfo', { state });
  await call(page, 'sandboxSignInDecide', {
    state,
    username: (info.accounts.find((a) => a.email === GMAIL) ?? info.accounts[0])!.username,
  });
  await flow;
}

/** Writes `n` waiting replies straight into the vault's outbox (the shape the worker keeps), as a long offline spell would. */
async function seedOutbox(page: Page, n: number): Promise<void> {
  await page.evaluate(
    async ({ n, gmail }) => {
      const db = await new Promise<IDBDatabase>((ok, ko) => {
        const r = indexedDB.open('ttg-vault');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => ko(r.error);
      });
      const now = Date.now();
      const entries: Record<string, unknown> = {};
      const client_keys: Record<string, string> = {};
      for (let i = 0; i < n; i++) {
        const id = `load-${String(i).padStart(5, '0')}`;
        const at = new Date(now - i * 1000).toISOString();
        entries[id] = {
          entry_id: id,
          gmail,
          target: { kind: 'message', username: `load.user.${i % 50}`, conversation_id: `cnv_load_${i % 50}` },
          text: `Waiting reply number ${i} written while offline, long enough to look like a real one.`,
          idempotency_key: `idem-${id}`,
          status: 'draft',
          attempts: 3,
          next_attempt_at: null,
          created_at: at,
          updated_at: at,
          error: { code: 'unreachable', message: 'Could not reach the service.' },
          result: null,
        };
        client_keys[`${gmail}|ck-${id}`] = id;
      }
      await new Promise<void>((ok, ko) => {
        const tx = db.transaction('kv', 'readwrite');
        tx.objectStore('kv').put({ entries, client_keys }, 'outbox');
        tx.oncomplete = () => ok();
        tx.onerror = () => ko(tx.error);
      });
      db.close();
    },
    { n, gmail: GMAIL },
  );
}

/**
 * Opens the popup `n` times for `gmail` (not linked: the Link tab's first step) and reads its performance marks:
 * `popup-interactive` (fields and buttons rendered, handlers attached) and `popup-flow-shown` (the stored link step).
 */
async function popupOpens(
  context: BrowserContext,
  id: string,
  gmail: string,
  n: number,
): Promise<{ interactive: number[]; flowShown: number[] }> {
  const interactive: number[] = [];
  const flowShown: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = await context.newPage();
    await p.goto(`chrome-extension://${id}/popup.html#link?gmail=${encodeURIComponent(gmail)}`);
    await p.getByRole('heading', { name: '1. Prove this Gmail is yours' }).waitFor();
    await p
      .waitForFunction(() => performance.getEntriesByName('popup-flow-shown').length > 0, null, { timeout: 5_000 })
      .catch(() => undefined);
    const [ti, fs] = await p.evaluate(() =>
      ['popup-interactive', 'popup-flow-shown'].map((name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN),
    );
    interactive.push(ti!);
    if (!Number.isNaN(fs)) flowShown.push(fs!);
    await p.close();
  }
  return { interactive, flowShown };
}

/** Changes a control of the Ads list as a user would; ms until the list's count line shows the result (in the page). */
function listLatency(page: Page, selector: string, value: string): Promise<number> {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  return page.evaluate(
    async ({ selector, value }) => {
      const control = document.querySelector<HTMLInputElement | HTMLSelectElement>(selector)!;
      const count = document.querySelector('[data-testid="ads-count"]')!;
      const before = count.textContent;
      const start = performance.now();
      control.value = value;
      control.dispatchEvent(new Event(control instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
      while (count.textContent === before) await new Promise((r) => requestAnimationFrame(r));
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - start;
    },
    { selector, value },
  );
}

/** The popup's Ads tab with every authorization of GMAIL: time to the full list, search and filter latency, scrolling. */
async function adsTabFigures(context: BrowserContext, id: string, total: number): Promise<[string, string][]> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 380, height: 600 }); // the popup's real size
  const t0 = performance.now();
  await page.goto(`chrome-extension://${id}/popup.html#ads?gmail=${encodeURIComponent(GMAIL)}`);
  await page
    .getByTestId('ads-count')
    .filter({ hasText: `Showing ${total} of ${total}` })
    .waitFor({ timeout: 20_000 });
  const listMs = performance.now() - t0;
  const rows = () => page.locator('.ads-list li.ads-row').count();
  const inDom = await rows();
  // Each change 5 times, alternating: a search that narrows the list, then cleared; a status with none, then all.
  const search: number[] = [];
  const status: number[] = [];
  for (let round = 0; round < 5; round++) {
    search.push(await listLatency(page, '.ads-list input[type="search"]', 'load.ads.12'));
    search.push(await listLatency(page, '.ads-list input[type="search"]', ''));
    status.push(await listLatency(page, '.ads-list select', 'rejected'));
    status.push(await listLatency(page, '.ads-list select', 'all'));
  }
  const scrollMs = await page.evaluate(async (last) => {
    const box = document.querySelector<HTMLElement>('.ads-window')!;
    const start = performance.now();
    box.scrollTop = box.scrollHeight;
    while (!document.querySelector(`li.ads-row[aria-posinset="${last}"]`))
      await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - start;
  }, total);
  const inDomAtEnd = await rows();
  await page.close();
  return [
    [`popup Ads tab, ${total} authorizations: list shown`, `${ms(listMs)} after opening (${inDom} rows in the DOM)`],
    ['  search (10 changes)', `median ${ms(median(search))}, max ${ms(Math.max(...search))}`],
    ['  status filter (10 changes)', `median ${ms(median(status))}, max ${ms(Math.max(...status))}`],
    ['  scroll to the last row', `${ms(scrollMs)} (${inDomAtEnd} rows in the DOM)`],
  ];
}

type Rows = [string, string][];

/** The popup on a quiet browser (the first open also starts the popup's renderer). */
async function quietPopupFigures(context: BrowserContext, id: string): Promise<Rows> {
  const quiet = await popupOpens(context, id, 'quiet.popup@gmail.com', 7);
  const [cold, ...warm] = quiet.interactive;
  return [
    [
      'popup interactive (7 opens, quiet)',
      `median ${ms(median(warm))}, best ${ms(Math.min(...warm))}, first open ${ms(cold!)}; link step shown median ${ms(median(quiet.flowShown))} (target 100 ms)`,
    ],
  ];
}

/** ADS Ads authorizations (each for its own TikTok account, created by a follow). */
async function seedAdsFigures(page: Page): Promise<Rows> {
  const [advertisers] = await timed(() => call(page, 'adsAdvertisers', { gmail: GMAIL }));
  const advertiser = advertisers[0]!.advertiser_id;
  const users = Array.from({ length: ADS }, (_, i) => `load.ads.${i}`);
  await callMany(
    page,
    users.map((u) => ({
      type: 'sandboxControl',
      data: { action: 'simulate', body: { type: 'follower', to_gmail: GMAIL, from_username: u } },
    })),
  );
  const [adsFailed, adsSeedMs] = await timed(() =>
    callMany(
      page,
      users.map((username) => ({
        type: 'adsCreate',
        data: { gmail: GMAIL, advertiser_id: advertiser, username, permissions: ['spark_ads'] },
      })),
      20,
    ),
  );
  return [[`create ${ADS} Ads authorizations`, `${ms(adsSeedMs)} (${adsFailed})`]];
}

/** One poll of the feed, timed, while pings measure how long the worker takes to answer (pushed to `pings`). */
async function pollWhilePinging(page: Page, pings: number[]): Promise<number> {
  let polling = true;
  const pinger = (async () => {
    while (polling) {
      pings.push((await timed(() => call(page, 'ping', {})))[1]);
      await page.waitForTimeout(20);
    }
  })();
  const [, pollMs] = await timed(() => call(page, 'pollNow', {}));
  polling = false;
  await pinger;
  return pollMs;
}

/**
 * EVENTS events through the feed. The sandbox keeps its newest 2,000 events, so they arrive in rounds of at most
 * 2,000 (simulated, then one poll each), while pings measure how long the worker takes to answer.
 */
async function feedFigures(page: Page): Promise<Rows> {
  const pings: number[] = [];
  const polls: number[] = [];
  let simulated = ADS; // the follows of seedAdsFigures
  let simMs = 0;
  let fan = 0;
  while (simulated < EVENTS) {
    const round = Math.min(2_000 - (simulated === ADS ? ADS : 0), EVENTS - simulated);
    const [, t] = await timed(() =>
      callMany(
        page,
        Array.from({ length: round }, () => ({
          type: 'sandboxControl',
          data: {
            action: 'simulate',
            body: { type: 'like', to_gmail: GMAIL, from_username: `load.fan.${fan++ % 500}` },
          },
        })),
        100,
      ),
    );
    simMs += t;
    simulated += round;
    polls.push(await pollWhilePinging(page, pings));
    process.stdout.write(`  ${simulated} events delivered\n`);
  }
  const unread = await call(page, 'markRead', { kinds: [] });
  return [
    [`simulate ${simulated} events in the sandbox`, `${ms(simMs)} (test setup, not the extension)`],
    [
      `poll the feed (${polls.length} polls, ${simulated} events)`,
      `per poll median ${ms(median(polls))}, max ${ms(Math.max(...polls, 0))}; unread ${JSON.stringify(unread)}`,
    ],
    [
      'ping round trip during the polls',
      `median ${ms(median(pings))}, p95 ${ms(pct(pings, 0.95))}, max ${ms(Math.max(...pings, 0))} (${pings.length} pings)`,
    ],
  ];
}

/** OUTBOX replies waiting in the outbox, then the worker's answers with everything loaded; also the Ads count. */
async function loadedWorkerFigures(page: Page): Promise<{ rows: Rows; adsCount: number }> {
  await seedOutbox(page, OUTBOX);
  const [list, listMs] = await timed(() => call(page, 'outboxList', { gmail: GMAIL }));
  const [, pingMs] = await timed(() => call(page, 'ping', {}));
  const [ads, adsListMs] = await timed(() => call(page, 'adsList', { gmail: GMAIL }));
  return {
    rows: [
      [`outboxList with ${list.length} waiting replies`, ms(listMs)],
      ['ping with everything loaded', ms(pingMs)],
      [`adsList (${ads.length} authorizations)`, ms(adsListMs)],
    ],
    adsCount: ads.length,
  };
}

/** The popup and the Ads page, opened cold with all of it loaded: time until their main content is on screen. */
async function firstContentFigures(context: BrowserContext, id: string): Promise<Rows> {
  const rows: Rows = [];
  for (const [file, ready] of [
    ['popup.html', 'main, [role="tabpanel"], [role="tablist"]'],
    [`ads.html?gmail=${encodeURIComponent(GMAIL)}`, '.ads-list .ads-row'],
  ] as const) {
    const p = await context.newPage();
    const t0 = performance.now();
    await p.goto(`chrome-extension://${id}/${file}`);
    const shown = await p
      .waitForSelector(ready, { timeout: 20_000 })
      .then(() => performance.now() - t0)
      .catch(() => NaN);
    const [, clickMs] = await timed(() =>
      p.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))),
    );
    rows.push([
      `${file.split('?')[0]} first content`,
      Number.isNaN(shown) ? 'not shown within 20 s' : `${ms(shown)} (next frame ${ms(clickMs)})`,
    ]);
    await p.close();
  }
  return rows;
}

async function main(): Promise<void> {
  const context = await launchWithExtension();
  const id = await extensionIdOf(context);
  const page = await context.newPage();
  await page.goto(`chrome-extension://${id}/options.html`);
  const rows: Rows = [];

  rows.push(...(await quietPopupFigures(context, id)));
  await link(context, page);
  rows.push(...(await seedAdsFigures(page)));
  rows.push(...(await feedFigures(page)));
  const loadedWorker = await loadedWorkerFigures(page);
  rows.push(...loadedWorker.rows);
  rows.push(...(await firstContentFigures(context, id)));

  const loaded = await popupOpens(context, id, 'quiet.popup@gmail.com', 5);
  rows.push([
    'popup interactive (5 opens, loaded)',
    `median ${ms(median(loaded.interactive))}, best ${ms(Math.min(...loaded.interactive))}`,
  ]);
  rows.push(...(await adsTabFigures(context, id, loadedWorker.adsCount)));

  console.log(`\nLoad (${EVENTS} events, ${OUTBOX} outbox replies, ${ADS} Ads authorizations)\n`);
  for (const [what, figure] of rows) console.log(`${what.padEnd(52)} ${figure}`);
  await context.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
