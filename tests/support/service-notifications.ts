/**
 * The service's own notification emails (issue 15) as tests see them: TikTok's templates (utils/sandbox/emails.ts:
 * TikTok's subjects naming `@username`, its links) sent from the service's `MAIL_FROM` — `TikTok Gmail Link
 * <notify@mail.example.com>` for a service at `https://tgl.example.com` — with `Reply-To: reply+<token>@reply.example.com`.
 *
 * - `serviceEmail(email, from?)`: a TikTok-format email re-sent as the service's notification (or from `from`).
 * - `SERVICE_NOTIFICATIONS`: one of each kind the server emails: a DM, a comment, a mention, a named follower, a count.
 * - `serviceInfo(senders)`: the `GET /v1/service` answer of that service listing `senders`.
 * - `useService(worker, sandboxUrl, context, senders)` (e2e): the extension's service is SERVICE_URL, whose requests
 *   the browser context routes to the loopback sandbox, its discovery answer listing `senders` with replies by email;
 *   `acceptedSenders(worker)`: what the worker then handed the content script (storage.local `service_senders`).
 */
import type { BrowserContext, Worker } from '@playwright/test';
import type { ServiceInfo } from '@/utils/api/schemas';
import type { Email } from '@/utils/service/ports';
import { commentEmail, followerEmail, messageEmail, type ActivityMail } from '@/utils/sandbox/emails';
import { useSandboxService } from './sandbox';

export const SERVICE_URL = 'https://tgl.example.com';
export const SERVICE_FROM = { name: 'TikTok Gmail Link', email: 'notify@mail.example.com' };
const REPLY_DOMAIN = 'reply.example.com';

export type ServiceEmail<E extends Email = Email> = E & { reply_to: string };

let tokens = 0;
/** A reply token of the shape the server signs (opaque to the extension). */
const token = () => `${(++tokens).toString(36).padStart(6, '0')}.k3y9s1gn4tur3`;

export function serviceEmail<E extends Email>(
  email: E,
  from: { name: string; email: string } = SERVICE_FROM,
): ServiceEmail<E> {
  return { ...email, from: { ...from }, reply_to: `reply+${token()}@${REPLY_DOMAIN}` };
}

const mail: ActivityMail = {
  to: 'robin.notify@gmail.com',
  owner: 'robin.creates',
  from: { username: 'sam.sender', display_name: 'Sam Sender' },
};
const VIDEO = '7301234567890123456';

/** [kind, email]: what the server sends, in TikTok's own templates. */
export const SERVICE_NOTIFICATIONS: [kind: string, email: ServiceEmail][] = [
  ['message', serviceEmail(messageEmail(mail, 'Are you free for a collab next week?'))],
  ['comment', serviceEmail(commentEmail(mail, 'This edit is unreal', VIDEO, false))],
  ['mention', serviceEmail(commentEmail(mail, '@robin.creates look at this', VIDEO, true))],
  ['follower', serviceEmail(followerEmail(mail))],
  [
    'follower',
    serviceEmail({
      to: mail.to,
      kind: 'follower',
      from: SERVICE_FROM,
      subject: 'You have 3 new followers',
      text: `Hi ${mail.owner},\nYou have 3 new followers on TikTok.\n\nSee your followers`,
      links: [{ text: 'See your followers', href: `https://www.tiktok.com/@${mail.owner}` }],
    }),
  ],
];

export function serviceInfo(senders: string[]): ServiceInfo {
  return {
    name: 'TikTok Gmail Link service',
    api_version: '1.1',
    tiktok: 'tiktok',
    features: { follow: false, ads: false, ads_approve_in_api: false, reply_by_email: true },
    notification_senders: senders,
    reply_domain: REPLY_DOMAIN,
  };
}

/** Serves the sandbox at SERVICE_URL, its `GET /v1/service` listing `senders` and taking replies by email. */
async function serveService(context: BrowserContext, sandboxUrl: string, senders: string[]): Promise<void> {
  await context.route(`${SERVICE_URL}/**`, async (route) => {
    const { pathname, search } = new URL(route.request().url());
    const response = await route.fetch({ url: `${sandboxUrl}${pathname}${search}` });
    if (pathname !== '/v1/service') return route.fulfill({ response });
    const body = (await response.json()) as { data: { features: object } };
    body.data = {
      ...body.data,
      notification_senders: senders,
      features: { ...body.data.features, reply_by_email: true },
    } as typeof body.data;
    return route.fulfill({ response, json: body });
  });
}

/** What the worker handed the content script (storage.local `service_senders`) once it read the service. */
export async function acceptedSenders(worker: Worker): Promise<unknown> {
  return worker.evaluate(async () => {
    const local = (
      globalThis as unknown as {
        chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>> } } };
      }
    ).chrome.storage.local;
    return (await local.get('service_senders')).service_senders ?? null;
  });
}

/** Points the extension (through its worker) at the sandbox served at SERVICE_URL, listing `senders`. */
export async function useService(worker: Worker, sandboxUrl: string, context: BrowserContext, senders: string[]) {
  await serveService(context, sandboxUrl, senders);
  await useSandboxService(worker, SERVICE_URL);
}
