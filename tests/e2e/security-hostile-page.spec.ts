/**
 * Hostile page (issue 8 item 2). A script in the Gmail page's main world, a page on another origin and code in the
 * content script's isolated world (what a compromised Gmail renderer can do) try to reach the background's privileged
 * requests, storage and the vault, forge the content script's messages and trigger sends. Every attempt is listed
 * with its result in the test output; docs/security.md carries the same table.
 */
import type { CDPSession, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { SEED_GMAIL } from '@/utils/sandbox';
import { forgedOpenMessagesPage } from '../fixtures/hostile/gmail-page';
import { sendMessage } from '../support/link';
import { control, mailbox } from '../support/sandbox';
import {
  GMAIL as INLINE_GMAIL,
  INBOX_URL as INLINE_INBOX_URL,
  THREAD_URL as INLINE_THREAD_URL,
  call,
  composerFrame,
  inspect,
  linkGmail,
  listPage,
  openComposer,
  simulate,
  threadPage,
} from './inline-support';

/** The extension APIs these tests call inside extension pages and the worker (evaluated there, typed here). */
type StorageArea = { get(keys: string | null): Promise<Record<string, unknown>> };
declare const chrome: {
  runtime: { sendMessage(message: unknown): Promise<unknown> };
  storage: { local: StorageArea; session: StorageArea };
};

const GMAIL = 'victim.user@gmail.com';
const DRAFT_KEY = `message:${GMAIL}:creator.one`;

/** Messages only the extension's own pages may send, with plausible bodies. */
const PRIVILEGED: Record<string, unknown> = {
  linkStart: { gmail: GMAIL },
  linkConfirm: { gmail: GMAIL },
  unlink: { gmail: GMAIL },
  adsApprove: { gmail: GMAIL, authorization_id: 'auth_1', permissions: ['deliver_ads'] },
  serviceTest: { base_url: 'https://evil.example' },
  exportData: {},
  clearAll: {},
  sandboxControl: { action: 'reset', body: {} },
  sandboxMailbox: { gmail: GMAIL },
};
/** Requests a hostile page would love to make: the privileged ones plus reading drafts and the outbox, and sending. */
const ATTEMPTS: Record<string, unknown> = {
  ...PRIVILEGED,
  outboxList: {},
  draftGet: { key: DRAFT_KEY },
  sendReply: {
    gmail: GMAIL,
    target: { kind: 'message', username: 'creator.one', conversation_id: 'c1' },
    text: 'forged',
    client_key: 'forged-0001',
  },
};

/** @webext-core/messaging v3 wire format. */
const wire = (type: string, data: unknown) => ({
  id: Math.floor(Math.random() * 1e9),
  type,
  data,
  timestamp: Date.now(),
});

const log: string[] = [];
const record = (who: string, attempt: string, result: string) =>
  log.push(`${who.padEnd(14)} | ${attempt.padEnd(42)} | ${result}`);

/** What a web page's script gets when it tries each route into the extension. */
async function attackFromPage(page: Page, extensionId: string, who: string): Promise<void> {
  const results = await page.evaluate(
    async ({ extensionId, attempts }) => {
      const out: [string, string][] = [];
      const w = window as unknown as {
        chrome?: {
          runtime?: { sendMessage: (...a: unknown[]) => Promise<unknown>; connect: (...a: unknown[]) => unknown };
          storage?: unknown;
        };
      };
      const attempt = async (name: string, fn: () => unknown) => {
        try {
          out.push([name, `NOT REFUSED: ${JSON.stringify(await fn())}`]);
        } catch (e) {
          out.push([name, `refused (${(e as Error).name}: ${(e as Error).message.slice(0, 80)})`]);
        }
      };
      for (const [type, data] of Object.entries(attempts)) {
        await attempt(`runtime.sendMessage ${type}`, () =>
          w.chrome!.runtime!.sendMessage(extensionId, { id: 1, type, data, timestamp: Date.now() }),
        );
      }
      await attempt('runtime.connect', () => w.chrome!.runtime!.connect(extensionId, { name: 'x' }) && 'port opened');
      await attempt('chrome.storage.local.get', () =>
        (w.chrome!.storage as { local: { get: (k: null) => unknown } }).local.get(null),
      );
      await attempt(
        'fetch chrome-extension://…/manifest.json',
        async () => (await fetch(`chrome-extension://${extensionId}/manifest.json`)).status,
      );
      const dbs = (await indexedDB.databases()).map((d) => d.name);
      out.push([
        'indexedDB ttg-vault in this origin',
        dbs.includes('ttg-vault')
          ? `PRESENT: ${dbs.join(',')}`
          : `refused (not in this origin; databases: [${dbs.join(',')}])`,
      ]);
      // Forged "content script" messages through the page's own channels.
      const forged = [
        { type: 'sendReply', data: attempts.sendReply },
        wireLike('sendReply', attempts.sendReply),
        wireLike('unlink', attempts.unlink),
      ];
      for (const f of forged) window.postMessage(f, '*');
      for (const name of ['ttg:sendReply', 'ttg-send', 'sendReply', 'message'])
        document.dispatchEvent(new CustomEvent(name, { detail: attempts.sendReply }));
      out.push([
        'window.postMessage / CustomEvent forgeries',
        `dispatched ${forged.length} + 4 (effect checked below)`,
      ]);
      return out;
      function wireLike(type: string, data: unknown) {
        return { id: 7, type, data, timestamp: Date.now(), namespace: 'ttg' };
      }
    },
    { extensionId, attempts: ATTEMPTS },
  );
  for (const [attempt, result] of results) {
    record(who, attempt, result);
    expect(result, `${who}: ${attempt}`).toMatch(/^(refused|dispatched)/);
  }
}

/** Synthetic (isTrusted=false) clicks and Enter presses on everything of ours the page can reach. */
async function syntheticClicks(page: Page): Promise<number> {
  return page.evaluate(() => {
    const reached: Element[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        const ours =
          [...el.attributes].some((a) => a.name.startsWith('data-ttg')) ||
          [...el.classList].some((c) => c.startsWith('ttg'));
        if (ours) reached.push(el);
        if (el.shadowRoot) {
          reached.push(el);
          walk(el.shadowRoot);
        }
      }
    };
    walk(document);
    for (const el of reached) {
      el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, composed: true }));
      (el as HTMLElement).click?.();
    }
    return reached.length;
  });
}

async function fromExtensionPage<T>(page: Page, type: string, data: unknown): Promise<T> {
  const reply = (await page.evaluate((msg) => chrome.runtime.sendMessage(msg), wire(type, data))) as {
    res: { ok: boolean; data?: unknown; error?: { code: string } };
  };
  expect(reply.res.ok, `${type} from an extension page: ${JSON.stringify(reply.res.error)}`).toBe(true);
  return reply.res.data as T;
}

/** Runs an expression in the content script's isolated world of `page` through the DevTools protocol. */
async function isolatedWorld(page: Page, extensionId: string): Promise<(expression: string) => Promise<unknown>> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const contexts: { id: number; origin: string; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context));
  await cdp.send('Runtime.enable');
  await expect
    .poll(() => contexts.some((c) => c.auxData?.type === 'isolated' && c.origin.includes(extensionId)))
    .toBe(true);
  const ctx = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.includes(extensionId))!;
  return async (expression) => {
    const r = await cdp.send('Runtime.evaluate', {
      expression,
      contextId: ctx.id,
      awaitPromise: true,
      returnByValue: true,
    });
    if (r.exceptionDetails) return `threw: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`;
    return r.result.value;
  };
}

test.afterEach(() => {
  console.log(
    `hostile page attempts (${log.length}):\nwho            | attempt                                    | result\n${log.join('\n')}`,
  );
  log.length = 0;
});

test('the Gmail main world and another origin cannot reach the background, storage or the vault', async ({
  context,
  extensionId,
  openGmail,
  openExtensionPage,
}) => {
  const gmail = await openGmail({ url: 'https://mail.google.com/mail/u/0/#inbox', fixture: 'inbox.html' });
  await attackFromPage(gmail, extensionId, 'gmail main');
  const reached = await syntheticClicks(gmail);
  record('gmail main', 'synthetic clicks/keys on extension UI', `${reached} elements reached (effect checked below)`);

  const evil = await context.newPage();
  await evil.route('https://evil.example/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>evil</title><p>evil</p>' }),
  );
  await evil.goto('https://evil.example/');
  await attackFromPage(evil, extensionId, 'other origin');
  const frameUrl = await evil.evaluate(async (id) => {
    const f = document.createElement('iframe');
    f.src = `chrome-extension://${id}/popup.html`;
    document.body.append(f);
    await new Promise((r) => setTimeout(r, 800));
    try {
      return `readable: ${f.contentDocument?.body?.textContent ?? '(no document)'}`;
    } catch (e) {
      return `cross-origin (${(e as Error).name})`;
    }
  }, extensionId);
  const popupFrame = evil.frames().find((f) => f.url().startsWith(`chrome-extension://${extensionId}/`));
  const framed = popupFrame
    ? await popupFrame
        .locator('body')
        .innerText()
        .catch(() => '')
    : '';
  record(
    'other origin',
    'frame popup.html (clickjacking)',
    framed.trim() ? `LOADED: ${framed.slice(0, 60)}` : `refused (blocked; ${frameUrl})`,
  );
  expect(framed.trim(), 'popup.html must not load in a web page frame').toBe('');

  // Nothing changed: no reply queued, no draft read or written, still unlinked, settings untouched.
  const ext = await openExtensionPage('options.html');
  await new Promise((r) => setTimeout(r, 1000));
  const outbox = await fromExtensionPage<unknown[]>(ext, 'outboxList', {});
  const draft = await fromExtensionPage<{ text: string }>(ext, 'draftGet', { key: DRAFT_KEY });
  const state = await fromExtensionPage<{ link: unknown }>(ext, 'linkState', { gmail: GMAIL });
  const settings = await ext.evaluate(
    async () =>
      (await chrome.storage.local.get('settings')).settings as { service?: { base_url?: string } } | undefined,
  );
  record(
    'check',
    'outbox / draft / link / service URL after all',
    `${outbox.length} queued, draft "${draft.text}", link ${state.link === null ? 'none' : 'PRESENT'}, base_url ${settings?.service?.base_url ?? 'default'}`,
  );
  expect(outbox).toEqual([]);
  expect(draft.text).toBe('');
  expect(state.link).toBeNull();
  expect(String(settings?.service?.base_url ?? 'default')).not.toContain('evil');
});

test('the content script world cannot send page-only messages, read secrets or eval', async ({
  extensionId,
  openGmail,
  worker,
}) => {
  const gmail = await openGmail({ url: 'https://mail.google.com/mail/u/0/#inbox', fixture: 'inbox.html' });
  const run = await isolatedWorld(gmail, extensionId);
  const send = async (type: string, data: unknown) =>
    (await run(`chrome.runtime.sendMessage(${JSON.stringify(wire(type, data))}).then((r) => r && r.res)`)) as
      { ok: boolean; error?: { code: string } } | string;

  const control = await send('ping', {});
  record('content script', 'ping (control: the channel works)', JSON.stringify(control));
  expect(control).toMatchObject({ ok: true });

  for (const [type, data] of Object.entries(PRIVILEGED)) {
    const res = await send(type, data);
    const code = typeof res === 'string' ? res : res.ok ? 'NOT REFUSED' : res.error?.code;
    record('content script', `${type}`, `refused (${code})`.replace('refused (NOT REFUSED)', 'NOT REFUSED'));
    expect(code, type).toBe('forbidden_sender');
  }

  const local = (await run('chrome.storage.local.get(null).then((v) => JSON.stringify(v))')) as string;
  const secretLike = /token|secret|session|password|bearer/i;
  record(
    'content script',
    'chrome.storage.local: any token?',
    secretLike.test(local)
      ? `LEAK: ${local.slice(0, 120)}`
      : `none (keys: ${Object.keys(JSON.parse(local)).join(', ') || '-'})`,
  );
  expect(local).not.toMatch(secretLike);
  const session = String(await run('chrome.storage.session.get(null).then((v) => "READ " + JSON.stringify(v))'));
  record(
    'content script',
    'chrome.storage.session.get',
    session.startsWith('READ') ? `NOT REFUSED: ${session.slice(0, 80)}` : `refused (${session.slice(0, 80)})`,
  );
  expect(session.startsWith('READ')).toBe(false);
  const vault = String(await run('indexedDB.databases().then((d) => d.map((x) => x.name).join(","))'));
  record(
    'content script',
    'open ttg-vault (IndexedDB)',
    vault.split(',').includes('ttg-vault')
      ? `PRESENT in Gmail origin`
      : `refused (not in the Gmail origin: [${vault}])`,
  );
  expect(vault.split(',')).not.toContain('ttg-vault');

  // Where the secrets are: only the extension-origin vault; storage.local/session hold no token.
  const sw = await worker();
  const stores = await sw.evaluate(async () =>
    JSON.stringify({ local: await chrome.storage.local.get(null), session: await chrome.storage.session.get(null) }),
  );
  expect(stores).not.toMatch(/token|bearer/i);
  record('check', 'storage.local + storage.session (worker view)', 'no token');

  // Playwright's evaluate lets DevTools bypass the CSP, so ask CDP to keep it (allowUnsafeEvalBlockedByCSP: false).
  const options = await gmail.context().newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  const cdp = await gmail.context().newCDPSession(options);
  const probe = async (expression: string) =>
    String(
      (
        await cdp.send('Runtime.evaluate', {
          expression,
          allowUnsafeEvalBlockedByCSP: false,
          returnByValue: true,
          awaitPromise: true,
        })
      ).result.value,
    );
  const evalInWorker = await probe(
    `(() => { try { return 'NOT REFUSED: ' + Function('return 1')(); } catch (e) { return 'refused (' + e.name + ')'; } })()`,
  );
  record('extension page', 'Function("…") under the extension CSP', evalInWorker);
  const inline = await probe(`new Promise((done) => {
    const s = document.createElement('script');
    s.textContent = 'window.__ttgPwned = 1';
    document.head.append(s);
    setTimeout(() => done(window.__ttgPwned === 1 ? 'NOT REFUSED: inline script ran' : 'refused (CSP blocked the inline script)'), 200);
  })`);
  record('extension page', 'inline <script> injected into options.html', inline);
  expect(inline).toMatch(/^refused/);
  expect(evalInWorker).toMatch(/^refused \(EvalError\)/);
});

test('a Gmail page script cannot send a reply or follow through the inline UI with synthetic events', async ({
  context,
  openExtensionPage,
  openGmail,
}) => {
  const control = await openExtensionPage('options.html');
  await linkGmail(context, control, INLINE_GMAIL);
  const follower = await simulate(control, {
    type: 'follower',
    to_gmail: INLINE_GMAIL,
    from_username: 'sneaky.follow',
  });
  const message = await simulate(control, {
    type: 'message',
    to_gmail: INLINE_GMAIL,
    from_username: 'sneaky.sender',
    text: 'hi',
  });
  const before = await inspect(control);

  for (const email of [message, follower]) {
    const gmail = await openGmail({ url: INLINE_THREAD_URL, html: threadPage(INLINE_GMAIL, email) });
    await expect.poll(() => gmail.evaluate(() => document.querySelectorAll('ttg-inline').length)).toBeGreaterThan(0);
    if (email === message) {
      // The user opens the composer and types a draft (trusted input); the page then tries to send it for them.
      const frame = await openComposer(gmail);
      await frame.getByRole('textbox').fill('a draft the user has not sent');
    }
    // The page's own script: open the composer, type, press Enter and click every button, all with untrusted events.
    const reached = await gmail.evaluate(async () => {
      const roots = () =>
        [...document.querySelectorAll('ttg-inline, ttg-chip')]
          .map((h) => h.shadowRoot)
          .filter((r): r is ShadowRoot => !!r);
      const all = <E extends Element>(selector: string) => roots().flatMap((r) => [...r.querySelectorAll<E>(selector)]);
      const tick = () => new Promise((r) => setTimeout(r, 300));
      const click = (el: Element) =>
        el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
      let n = 0;
      // 1. Open every closed panel (Reply on TikTok, ...). 2. Type. 3. Press Enter. 4. Click every other button.
      for (const b of all('button[aria-expanded="false"]')) (click(b), n++);
      await tick();
      const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
      for (const box of all<HTMLTextAreaElement>('textarea')) {
        box.focus();
        setValue.call(box, 'forged by the page');
        box.dispatchEvent(
          new InputEvent('input', {
            bubbles: true,
            composed: true,
            inputType: 'insertText',
            data: 'forged by the page',
          }),
        );
        n++;
      }
      await tick();
      for (const box of all('textarea'))
        (box.dispatchEvent(
          new KeyboardEvent('keydown', {
            key: 'Enter',
            code: 'Enter',
            bubbles: true,
            composed: true,
            cancelable: true,
          }),
        ),
          n++);
      await tick();
      for (const b of all('button:not([aria-expanded])')) (click(b), n++);
      await tick();
      return n;
    });
    record(
      'gmail main',
      `synthetic input/Enter/clicks in the ${email.kind} action bar`,
      `${reached} dispatches (effect checked below)`,
    );
    await gmail.waitForTimeout(1500);
    await gmail.close();
  }

  const after = await inspect(control);
  const outbox = await fromExtensionPage<{ text: string; status: string }[]>(control, 'outboxList', {});
  const sent =
    after.conversations.flatMap((c) => c.messages).filter((m) => m.direction === 'out').length -
    before.conversations.flatMap((c) => c.messages).filter((m) => m.direction === 'out').length;
  const follows = after.follows.length - before.follows.length;
  record(
    'check',
    'outbox / sandbox after the synthetic events',
    `${outbox.length} queued, ${sent} messages sent, ${follows} follows`,
  );
  expect(outbox).toEqual([]);
  expect(sent).toBe(0);
  expect(follows).toBe(0);
});

/* ---------- issue 11 §4: the page holds no DM text, cannot retarget, type into or press our UI ---------- */

/** Text of every composer frame in `page`, read with the test's own (privileged) access, not the page's. */
const composerTexts = (page: Page) =>
  Promise.all(
    page
      .frames()
      .filter((f) => f.url().includes('inline-frame.html'))
      .map((f) =>
        f
          .locator('body')
          .innerText()
          .catch(() => ''),
      ),
  );

const outRepliesTo = async (control: Page, username: string) =>
  (await inspect(control)).conversations
    .filter((c) => JSON.stringify(c).includes(`"${username}"`))
    .flatMap((c) => c.messages.filter((m) => m.direction === 'out').map((m) => m.text));

test('issue 11 §4 read: a Gmail page script cannot read the DM conversation or the unsent draft', async ({
  context,
  extensionId,
  openExtensionPage,
  openGmail,
}) => {
  const control = await openExtensionPage('options.html');
  await linkGmail(context, control, INLINE_GMAIL);
  const PEER = 'secret.keeper';
  await simulate(control, {
    type: 'message',
    to_gmail: INLINE_GMAIL,
    from_username: PEER,
    text: 'HISTORY-SECRET-7731 meet at the north gate',
  });
  const latest = await simulate(control, {
    type: 'message',
    to_gmail: INLINE_GMAIL,
    from_username: PEER,
    text: 'see you',
  });
  const gmail = await openGmail({ url: INLINE_THREAD_URL, html: threadPage(INLINE_GMAIL, latest) });
  const frame = await openComposer(gmail);
  await expect(frame.getByRole('list', { name: 'Recent messages' })).toContainText('HISTORY-SECRET-7731'); // control: it is on screen
  await frame.getByRole('textbox').pressSequentially('DRAFT-SECRET-4410 not sent');
  await expect
    .poll(
      async () =>
        (await fromExtensionPage<{ text: string }>(control, 'draftGet', { key: `message:${INLINE_GMAIL}:${PEER}` }))
          .text,
    )
    .toContain('DRAFT-SECRET-4410');

  const attempts = await gmail.evaluate(async () => {
    const out: [string, string][] = [];
    const tryRead = async (name: string, fn: () => unknown) => {
      try {
        out.push([name, String(await fn())]);
      } catch (e) {
        out.push([name, `threw ${(e as Error).name}`]);
      }
    };
    const hosts = () => [...document.querySelectorAll('ttg-inline, ttg-chip')];
    const frame = () =>
      hosts()
        .map((h) => h.shadowRoot?.querySelector('iframe'))
        .find((f): f is HTMLIFrameElement => !!f)!;
    await tryRead('document outerHTML', () => document.documentElement.outerHTML);
    await tryRead('document.body.innerText', () => document.body.innerText);
    await tryRead('open shadow roots: markup and text', () =>
      hosts()
        .map((h) => `${h.shadowRoot?.innerHTML} ${h.shadowRoot?.textContent}`)
        .join(' '),
    );
    await tryRead('open shadow roots: field values', () =>
      hosts()
        .flatMap((h) =>
          [...(h.shadowRoot?.querySelectorAll('textarea, input') ?? [])].map((f) => (f as HTMLTextAreaElement).value),
        )
        .join(' '),
    );
    await tryRead('iframe.contentDocument', () => frame().contentDocument?.body?.innerText ?? 'null');
    await tryRead('iframe.contentWindow.document', () => frame().contentWindow!.document.body.innerText);
    await tryRead('window.frames[i].document', () =>
      [...Array(window.frames.length).keys()].map((i) => window.frames[i]!.document.body.innerText).join(' '),
    );
    await tryRead('iframe.contentWindow.location.href', () => frame().contentWindow!.location.href);
    await tryRead('fetch(iframe.src)', async () => (await fetch(frame().src)).text());
    await tryRead(
      'XMLHttpRequest(iframe.src)',
      () =>
        new Promise((done, fail) => {
          const x = new XMLHttpRequest();
          x.open('GET', frame().src);
          x.onload = () => done(x.responseText);
          x.onerror = () => fail(new Error('refused'));
          x.send();
        }),
    );
    await tryRead('select all, then getSelection()', () => {
      document.execCommand('selectAll');
      return window.getSelection()?.toString() ?? '';
    });
    await tryRead(
      'postMessage asking the frame (listen 1 s)',
      () =>
        new Promise((done) => {
          const got: string[] = [];
          const listen = (e: MessageEvent) => got.push(JSON.stringify(e.data));
          window.addEventListener('message', listen);
          for (const ask of [
            { type: 'draftGet' },
            { id: 1, type: 'conversationContext', data: {} },
            { ttgFrame: 'ready' },
            'dump',
            { ttgLook: { theme: 'dark', density: 'compact' } },
          ])
            frame().contentWindow!.postMessage(ask, '*');
          setTimeout(() => (window.removeEventListener('message', listen), done(got.join(' '))), 1000);
        }),
    );
    await tryRead('its own iframe with the stolen URL (token)', async () => {
      const copy = document.createElement('iframe');
      copy.id = 'stolen';
      copy.src = frame().src;
      document.body.append(copy);
      await new Promise((r) => setTimeout(r, 1500));
      return copy.contentDocument?.body?.innerText ?? 'null (cross-origin)';
    });
    await tryRead('window.open(the URL)', async () => {
      const w = window.open(frame().src, '_blank');
      await new Promise((r) => setTimeout(r, 1500));
      try {
        return w?.document.body.innerText ?? 'null';
      } finally {
        w?.close();
      }
    });
    await tryRead('performance resource entries', () =>
      performance
        .getEntriesByType('resource')
        .map((e) => e.name)
        .join(' '),
    );
    return out;
  });
  for (const [attempt, got] of attempts) {
    const leaked = /HISTORY-SECRET|DRAFT-SECRET/.test(got);
    record(
      'gmail main',
      attempt,
      leaked ? `LEAKED: ${got.slice(0, 80)}` : `nothing (${got.replace(/\s+/g, ' ').slice(0, 60)})`,
    );
    expect(leaked, `${attempt}: ${got.slice(0, 200)}`).toBe(false);
  }
  // The copy framed with the stolen token shows nothing either (read with the test's own access).
  const stolen = gmail.frames().filter((f) => f.url().includes('inline-frame.html'));
  const texts = await Promise.all(
    stolen.map((f) =>
      f
        .locator('body')
        .innerText()
        .catch(() => ''),
    ),
  );
  expect(texts.filter((t) => t.includes('HISTORY-SECRET'))).toHaveLength(1); // ours only
  expect(texts.some((t) => t.includes('already open in another frame'))).toBe(true);
  record('gmail main', 'what the stolen-token frame shows (test view)', 'refused: "already open in another frame"');

  // A compromised content-script world: the frame's messages are refused to it too.
  const run = await isolatedWorld(gmail, extensionId);
  for (const [type, data] of [
    ['draftGet', { key: `message:${INLINE_GMAIL}:${PEER}` }],
    ['conversationContext', { gmail: INLINE_GMAIL, username: PEER }],
    ['outboxList', { gmail: INLINE_GMAIL }],
    ['commentContext', { gmail: INLINE_GMAIL, username: PEER }],
    ['inlineFrameClaim', { token: '00000000-0000-4000-8000-000000000000' }],
  ] as const) {
    const res = (await run(
      `chrome.runtime.sendMessage(${JSON.stringify(wire(type, data))}).then((r) => r && r.res)`,
    )) as { ok: boolean; error?: { code: string } };
    record('content script', type, res.ok ? 'NOT REFUSED' : `refused (${res.error?.code})`);
    expect(res.ok ? 'NOT REFUSED' : res.error?.code, type).toBe('forbidden_sender');
  }
});

/** The `div[role=main]` element of a page's markup, as text: from its start tag to its balanced closing tag. */
function mainView(html: string): string {
  const start = html.search(/<div [^>]*role="main"[^>]*>/);
  const tags = /<\/?div\b[^>]*>/g;
  tags.lastIndex = start;
  let depth = 0;
  for (let m = tags.exec(html); m; m = tags.exec(html)) {
    depth += m[0].startsWith('</') ? -1 : 1;
    if (depth === 0) return html.slice(start, m.index + m[0].length);
  }
  throw new Error('no div[role=main] in the page');
}

test('issue 11 §4 swap: another @handle under an open composer (same message id) never loads that conversation', async ({
  context,
  openExtensionPage,
  openGmail,
}) => {
  const control = await openExtensionPage('options.html');
  await linkGmail(context, control, INLINE_GMAIL);
  const ALICE = 'alice.pinned';
  const MALLORY = 'mallory.swap';
  const alice = await simulate(control, {
    type: 'message',
    to_gmail: INLINE_GMAIL,
    from_username: ALICE,
    text: 'ALICE-HISTORY lunch?',
  });
  const mallory = await simulate(control, {
    type: 'message',
    to_gmail: INLINE_GMAIL,
    from_username: MALLORY,
    text: 'MALLORY-HISTORY private',
  });
  // Mallory's email rendered with Alice's ids (what a page swapping it under the same message id shows), kept in a template.
  const malloryView = mainView(threadPage(INLINE_GMAIL, { ...mallory, id: alice.id }));
  const html = threadPage(INLINE_GMAIL, alice).replace(
    '</body>',
    `<template id="swap">${malloryView}</template></body>`,
  );

  const swaps: Record<string, string> = {
    'rewrite the open message in place (subject, body, links)': `(() => {
      const view = document.querySelector('div[role=main]');
      const walk = document.createTreeWalker(view, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) n.textContent = n.textContent.replaceAll('${ALICE}', '${MALLORY}');
      for (const a of view.querySelectorAll('a')) a.setAttribute('href', a.getAttribute('href').replaceAll('${ALICE}', '${MALLORY}'));
    })()`,
    'replace the message element with a rewritten clone': `(() => {
      const msg = document.querySelector('.adn');
      const clone = msg.cloneNode(true);
      const walk = document.createTreeWalker(clone, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) n.textContent = n.textContent.replaceAll('${ALICE}', '${MALLORY}');
      for (const a of clone.querySelectorAll('a')) a.setAttribute('href', a.getAttribute('href').replaceAll('${ALICE}', '${MALLORY}'));
      for (const host of clone.querySelectorAll('ttg-inline')) host.remove();
      msg.replaceWith(clone);
    })()`,
    "replace the whole view with Mallory's email (same ids)": `document.querySelector('div[role=main]').replaceWith(document.getElementById('swap').content.cloneNode(true))`,
    "remove the view, then put Mallory's back 700 ms later": `(() => {
      const view = document.querySelector('div[role=main]');
      const parent = view.parentNode;
      view.remove();
      setTimeout(() => parent.append(document.getElementById('swap').content.cloneNode(true)), 700);
    })()`,
    'rewrite only the subject and the body text': `(() => {
      for (const el of document.querySelectorAll('h2.hP, .a3s div')) el.textContent = el.textContent.replaceAll('${ALICE}', '${MALLORY}');
    })()`,
  };
  for (const [name, script] of Object.entries(swaps)) {
    const gmail = await openGmail({ url: INLINE_THREAD_URL, html });
    const frame = await openComposer(gmail);
    await expect(frame.getByRole('list', { name: 'Recent messages' })).toContainText('ALICE-HISTORY');
    await gmail.evaluate(script);
    await gmail.waitForTimeout(1500); // the detector has seen the swap and any composer has (re)loaded
    const texts = await composerTexts(gmail);
    const shown = texts.some((t) => t.includes('MALLORY-HISTORY'))
      ? "MALLORY'S CONVERSATION"
      : texts.length
        ? `Alice's (${texts.length} frame)`
        : 'closed';
    record('gmail main', `swap: ${name}`, shown);
    expect(shown, name).not.toBe("MALLORY'S CONVERSATION");
    await gmail.close();
  }

  // With the composer open on Alice's message, the page swaps it; the user's reply still goes to Alice.
  const gmail = await openGmail({ url: INLINE_THREAD_URL, html });
  const frame = await openComposer(gmail);
  await gmail.evaluate(swaps['rewrite the open message in place (subject, body, links)']!);
  await gmail.waitForTimeout(1000);
  const box = composerFrame(gmail).getByRole('textbox');
  if ((await box.count()) > 0) {
    await box.click();
    await box.pressSequentially('pinned reply');
    await box.press('Enter');
    await expect(frame.getByTestId('outbox-entry').last()).toHaveAttribute('data-status', 'sent');
  }
  expect(await outRepliesTo(control, MALLORY)).toEqual([]);
  record(
    'check',
    'replies after the swaps',
    `to @${MALLORY}: 0, to @${ALICE}: ${(await outRepliesTo(control, ALICE)).length}`,
  );
});

test('issue 11 §4 drive: the page cannot type into the composer or focus our buttons for the user to press', async ({
  context,
  openExtensionPage,
  openGmail,
}) => {
  const control = await openExtensionPage('options.html');
  const me = await linkGmail(context, control, INLINE_GMAIL);
  const PEER = 'drive.target';
  const FOLLOWER = 'drive.follower';
  const message = await simulate(control, {
    type: 'message',
    to_gmail: INLINE_GMAIL,
    from_username: PEER,
    text: 'hello',
  });
  const follower = await simulate(control, { type: 'follower', to_gmail: INLINE_GMAIL, from_username: FOLLOWER });

  const gmail = await openGmail({ url: INLINE_THREAD_URL, html: threadPage(INLINE_GMAIL, message) });
  const frame = await openComposer(gmail);
  const box = frame.getByRole('textbox');
  await box.pressSequentially('DRAFT-NOT-TO-SEND');
  const iframeHeight = () =>
    gmail.locator('ttg-inline iframe').evaluate((f) => (f as HTMLElement).getBoundingClientRect().height);
  const heightBefore = await iframeHeight();

  /** The user clicks somewhere in Gmail (the frame loses the focus); then the page's script runs; then the user presses `key`. */
  const attempts: [string, string, string][] = [
    [
      'focus a composer box or Send button in our shadow roots',
      `(() => { for (const h of document.querySelectorAll('ttg-inline, ttg-chip')) for (const el of h.shadowRoot.querySelectorAll('textarea, button:not([aria-expanded])')) el.focus(); })()`,
      'Enter',
    ],
    ['iframe.focus()', `document.querySelector('ttg-inline').shadowRoot.querySelector('iframe').focus()`, 'Enter'],
    [
      'iframe.contentWindow.focus()',
      `document.querySelector('ttg-inline').shadowRoot.querySelector('iframe').contentWindow.focus()`,
      'Enter',
    ],
    ['iframe.focus()', `document.querySelector('ttg-inline').shadowRoot.querySelector('iframe').focus()`, ' '],
    [
      'iframe.focus()',
      `document.querySelector('ttg-inline').shadowRoot.querySelector('iframe').focus()`,
      'Control+Enter',
    ],
    [
      "execCommand('insertText') into the focused frame",
      `(() => { document.querySelector('ttg-inline').shadowRoot.querySelector('iframe').focus(); document.execCommand('insertText', false, 'FORGED-BY-PAGE'); })()`,
      'Enter',
    ],
    [
      'synthetic Enter on the iframe and the window',
      `(() => { const f = document.querySelector('ttg-inline').shadowRoot.querySelector('iframe'); f.focus(); for (const t of [f, window, document]) t.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true })); })()`,
      'Enter',
    ],
    [
      'forged frame messages to the page (close, huge height)',
      `(() => { window.postMessage({ ttgFrame: 'close' }, '*'); window.postMessage({ ttgFrame: 'height', height: 99999 }, '*'); document.querySelector('ttg-inline').shadowRoot.querySelector('iframe').focus(); })()`,
      'Enter',
    ],
    [
      'messages to the frame (wire-format sendReply, look)',
      `(() => { const w = document.querySelector('ttg-inline').shadowRoot.querySelector('iframe').contentWindow; w.postMessage({ id: 1, type: 'sendReply', data: { text: 'FORGED' } }, '*'); w.postMessage({ ttgLook: { theme: 'dark', density: 'compact' } }, '*'); w.focus(); })()`,
      'Enter',
    ],
    [
      'reload the frame (same URL), then focus it',
      `(() => { const f = document.querySelector('ttg-inline').shadowRoot.querySelector('iframe'); f.src = f.src.replace('#', '#x=1&'); setTimeout(() => f.focus(), 1200); })()`,
      'Enter',
    ],
  ];
  for (const [name, script, key] of attempts) {
    await gmail.locator('h2.hP').click(); // the user is in Gmail
    await gmail.evaluate(script);
    await gmail.waitForTimeout(name.startsWith('reload') ? 2500 : 300);
    const focused = await gmail
      .frames()
      .find((f) => f.url().includes('inline-frame'))
      ?.evaluate(() =>
        document.hasFocus() ? `frame focused (${document.activeElement?.tagName.toLowerCase()})` : 'frame not focused',
      );
    await gmail.keyboard.press(key);
    await gmail.waitForTimeout(500);
    const sent = (await outRepliesTo(control, PEER)).length;
    const text = await composerFrame(gmail)
      .getByRole('textbox')
      .inputValue()
      .catch(() => '(no box)');
    record(
      'gmail main',
      `drive: ${name} + user ${key === ' ' ? 'Space' : key}`,
      sent ? `SENT ${sent}` : `nothing sent (${focused}); box "${text.slice(0, 30)}"`,
    );
    expect(sent, name).toBe(0);
    expect(text, name).not.toContain('FORGED');
  }
  expect(await iframeHeight()).toBeCloseTo(heightBefore, -1);
  record(
    'check',
    'composer after the forged frame messages',
    `open, height ${Math.round(await iframeHeight())} px (was ${Math.round(heightBefore)})`,
  );

  // Control: the user clicks into the composer and presses Enter: their draft is sent, once.
  await box.click();
  await box.press('Enter');
  await expect(frame.getByTestId('outbox-entry').last()).toHaveAttribute('data-status', 'sent');
  expect(await outRepliesTo(control, PEER)).toEqual(['DRAFT-NOT-TO-SEND']);

  // In-page buttons: the page focuses Follow back; the user's Enter or Space does not press it.
  const followPage = await openGmail({ url: INLINE_THREAD_URL, html: threadPage(INLINE_GMAIL, follower) });
  const followButton = followPage.locator('ttg-inline').getByRole('button', { name: 'Follow back' });
  await expect(followButton).toBeVisible();
  for (const key of ['Enter', ' ', 'Enter']) {
    await followPage.locator('h2.hP').click();
    await followPage.evaluate(() => {
      const button = [...document.querySelectorAll('ttg-inline')]
        .flatMap((h) => [...(h.shadowRoot?.querySelectorAll('button') ?? [])])
        .find((b) => b.textContent === 'Follow back')!;
      button.focus();
    });
    await followPage.keyboard.press(key);
    await followPage.waitForTimeout(500);
    const follows = ((await inspect(control)).follows as { follower: string; username: string }[]).filter(
      (f) => f.follower === me && f.username === FOLLOWER,
    ).length;
    record(
      'gmail main',
      `drive: focus Follow back + user ${key === ' ' ? 'Space' : key}`,
      follows ? `FOLLOWED ${follows}` : 'not followed',
    );
    expect(follows).toBe(0);
  }
  // Control: the user clicks Follow back: followed once.
  await followButton.click();
  await expect(followPage.locator('ttg-inline').getByRole('status')).toHaveText(`You now follow @${FOLLOWER}`);
});

test('issue 11 §4 forged reads: open TikTok messages the page forges clear no unread count without the user, at most one kind per user click', async ({
  context,
  worker,
  sandbox,
  linkOnSandbox,
  openGmail,
}) => {
  const { page } = await linkOnSandbox(SEED_GMAIL);
  await sendMessage(page, 'pollNow', {});
  await sendMessage(page, 'markRead', { kinds: ['messages', 'comments', 'followers', 'ads'] });
  for (const type of ['message', 'comment', 'follower'] as const)
    await control(sandbox.url, 'simulate', { type, to_gmail: SEED_GMAIL, from_username: 'forged.reader' });
  await sendMessage(page, 'pollNow', {});
  const unread = async () => {
    const r = await sendMessage(page, 'unreadCounts', { gmail: SEED_GMAIL });
    if (!r.ok) throw new Error(r.error.message);
    return r.data;
  };
  const kindsLeft = async () =>
    Object.entries(await unread())
      .filter(([kind, n]) => kind !== 'total' && typeof n === 'number' && n > 0)
      .map(([kind]) => kind)
      .sort();
  const before = await kindsLeft();
  expect(before).toEqual(['comments', 'followers', 'messages']);

  // Genuine-looking TikTok emails of every kind, forged by the page as open messages: 20 shown at load, 20 revealed by
  // the page later, 20 revealed right after the user's one click.
  const genuine = (await mailbox(sandbox.url, SEED_GMAIL)).filter((m) =>
    ['message', 'comment', 'follower'].includes(m.kind),
  );
  const forged = Array.from({ length: 60 }, (_, i) => ({ ...genuine[i % genuine.length]!, id: `forged-${i}` }));
  const gmail = await openGmail({
    url: 'https://mail.google.com/mail/u/0/#inbox/forged',
    html: forgedOpenMessagesPage(forged, SEED_GMAIL, 20),
  });
  await expect.poll(() => gmail.locator('[data-ttg-kind]').count()).toBeGreaterThanOrEqual(20);
  await gmail.waitForTimeout(1500);
  record(
    'gmail main',
    '20 forged open messages at load, no user action',
    `unread kinds left: ${(await kindsLeft()).join(', ')}`,
  );
  expect(await kindsLeft()).toEqual(before);

  await gmail.evaluate(() => (window as unknown as { __reveal: (a: number, b: number) => void }).__reveal(20, 40));
  await expect.poll(() => gmail.locator('[data-ttg-kind]').count()).toBeGreaterThanOrEqual(40);
  await gmail.waitForTimeout(1500);
  record(
    'gmail main',
    '20 more revealed by the page later, no user action',
    `unread kinds left: ${(await kindsLeft()).join(', ')}`,
  );
  expect(await kindsLeft()).toEqual(before);

  // The bound: the user clicks once in Gmail, the page reveals 20 forged messages of 3 kinds at that moment.
  await gmail.evaluate(() =>
    (window as unknown as { __revealOnUserClick: (a: number, b: number) => void }).__revealOnUserClick(40, 60),
  );
  await gmail.locator('header').click();
  await expect.poll(() => gmail.locator('[data-ttg-kind]').count()).toBeGreaterThanOrEqual(60);
  await gmail.waitForTimeout(1500);
  const left = await kindsLeft();
  record(
    'gmail main',
    'after one user click, 20 revealed at once',
    `unread kinds left: ${left.join(', ')} (cleared ${before.length - left.length} of ${before.length})`,
  );
  expect(before.length - left.length).toBeLessThanOrEqual(1);
  void worker;
});

test("issue 11 §4 account: a page that later shows another account's title or label cannot file codes under it", async ({
  context,
  openExtensionPage,
  openGmail,
  worker,
}) => {
  const control = await openExtensionPage('options.html');
  await call(control, 'linkStart', { gmail: INLINE_GMAIL });
  const [codeEmail] = (await call(control, 'sandboxMailbox', { gmail: INLINE_GMAIL })) as Parameters<
    typeof listPage
  >[1];
  const row = /<tr[\s\S]*<\/tr>/.exec(listPage(INLINE_GMAIL, [codeEmail!]))![0];
  const gmail = await openGmail({
    url: INLINE_INBOX_URL,
    html: listPage(INLINE_GMAIL, []).replace('</body>', `<template id="code-row">${row}</template></body>`),
  });
  const tabs = async () =>
    (await (await worker()).evaluate(() => chrome.storage.session.get(null))) as Record<string, unknown>;
  await expect.poll(async () => JSON.stringify((await tabs()).gmailTabs ?? {})).toContain(INLINE_GMAIL);

  const others = [
    'mallory.other@gmail.com',
    'MALLORY.OTHER@GMAIL.COM',
    'alex.rivera.demo@gmail.com.evil.test',
    'someone+tag@example.com',
  ];
  for (const other of others) {
    await gmail.evaluate((other) => {
      document.title = `Inbox (3) - ${other} - Gmail`;
      document.querySelector('header a')!.setAttribute('aria-label', `Google Account: Mallory (${other})`);
      document.querySelector('tbody')?.replaceChildren();
      const table = document.querySelector('table tbody') ?? document.querySelector('table')!;
      table.append((document.getElementById('code-row') as HTMLTemplateElement).content.cloneNode(true));
    }, other);
    await expect(gmail.locator('tr.zA[data-ttg-kind="code"]')).toHaveCount(1);
    await gmail.waitForTimeout(800);
    const session = await tabs();
    const tabAccounts = Object.values((session.gmailTabs ?? {}) as Record<string, { gmail: string }>).map(
      (t) => t.gmail,
    );
    const filedUnderOther = Object.keys(session).filter((k) => k.startsWith('codes:') && !k.endsWith(INLINE_GMAIL));
    record(
      'gmail main',
      `title + account label -> ${other}`,
      `tab account ${tabAccounts.join(',')}; codes filed under other accounts: ${filedUnderOther.length}`,
    );
    expect(tabAccounts).toEqual([INLINE_GMAIL]);
    expect(filedUnderOther).toEqual([]);
  }
  void context;
});
