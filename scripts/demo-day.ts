/**
 * The demo's mailbox: one realistic day. TikTok mail of every kind comes from the sandbox (simulated in this order,
 * the sandbox clock moved between them), mixed with ordinary mail and one impostor that the sandbox does not send.
 * Times are UTC on the day of the first TikTok email.
 */
import type { ExtraMail } from '../tests/support/gmail-replica';

/** The sandbox's notification kinds, in the order (and at the times) they arrive; the code comes last, fresh. */
export const TIKTOK_DAY: { at: string; body: Record<string, unknown> }[] = [
  { at: '09:10', body: { type: 'like', from_username: 'jordan_films' } },
  { at: '09:48', body: { type: 'follower', from_username: 'dev.kim' } },
  {
    at: '10:25',
    body: { type: 'comment', from_username: 'sam.eats', text: 'How did you get the transition at 0:12 so smooth?' },
  },
  { at: '11:02', body: { type: 'ads_request' } },
  { at: '11:40', body: { type: 'mention', from_username: 'lina.travels', text: 'This is the spot I told you about' } },
  { at: '12:31', body: { type: 'live', from_username: 'coffeelab.co' } },
  {
    at: '13:15',
    body: { type: 'message', from_username: 'maya.creates', text: 'Hey! Can I use your sound in my next video?' },
  },
  { at: '13:52', body: { type: 'security' } },
  { at: '14:20', body: { type: 'code' } },
];

type Extra = Omit<ExtraMail, 'sent_at' | 'id'> & { at: string };

const link = (text: string, href: string) => ({ text, href });

const EXTRAS: Extra[] = [
  {
    at: '07:12',
    unread: false,
    from: { name: 'GitHub', email: 'notifications@github.com' },
    subject: '[alex-rivera/portfolio] Dependabot alert: vite (moderate)',
    text: 'A moderate severity vulnerability was found in vite, a dependency of alex-rivera/portfolio.\n\nUpgrade vite to 6.3.6 or later.\n\nYou are receiving this because you are subscribed to security alerts for this repository.',
    links: [link('Review the alert', 'https://github.com/alex-rivera/portfolio/security/dependabot/12')],
  },
  {
    at: '08:31',
    unread: false,
    labels: ['Work'],
    from: { name: 'Google Calendar', email: 'calendar-notification@google.com' },
    subject: 'Invitation: Creator sync @ Tue 3pm - 3:30pm (UTC) (alex.rivera.demo@gmail.com)',
    text: 'Jordan Patel has invited you to Creator sync.\nWhen: Tuesday 3pm – 3:30pm (UTC)\nJoining info: meet.google.com/xke-pqrs-tuv\n\nGoing? Yes - Maybe - No',
    links: [link('Join with Google Meet', 'https://meet.google.com/xke-pqrs-tuv')],
  },
  {
    at: '09:31',
    starred: true,
    labels: ['Work'],
    from: { name: 'Jordan Patel', email: 'jordan.patel@example.com' },
    subject: 'Q1 content calendar — your slots',
    text: 'Hi Alex,\n\nI put you down for the first two weeks of January: one long video and three shorts a week. The brief is in the doc; shout if the dates clash with your trip.\n\nThanks!\nJordan',
    links: [],
  },
  {
    at: '10:05',
    unread: false,
    labels: ['Travel'],
    from: { name: 'Airbnb', email: 'automated@airbnb.com' },
    subject: 'Reservation confirmed for Lisbon',
    text: 'Pack your bags! Your reservation in Lisbon is confirmed.\nCheck-in: Fri, Dec 18 · Checkout: Mon, Dec 21\n\nYour host, Inês, will send the arrival details 3 days before your trip.',
    links: [link('View itinerary', 'https://www.airbnb.com/trips')],
  },
  {
    at: '10:44',
    from: { name: 'TikTok', email: 'support@tiktok-security-help.com' },
    subject: 'URGENT: Your Account Has Violated Community Guidelines',
    text: 'Community Guidelines\nWe have received multiple copyright complaints about your recent videos.\nYour account will be permanently deleted within 48 hours unless you verify that you are the owner.\n\nReview Violation Details\n\nTikTok Support Team',
    links: [link('Review Violation Details', 'https://tiktok-security-help.com/review?case=48213')],
  },
  {
    at: '11:21',
    from: { name: 'TikTok Shop', email: 'sellersupport@shop.tiktok.com' },
    subject: 'Congrats! your shop setup is complete!',
    text: 'Your shop is ready\nHi Alex, your TikTok Shop seller account is set up. Add your first product to start selling.\n\nAdd a product',
    links: [link('Add a product', 'https://seller.tiktok.com/product/manage')],
  },
  {
    at: '12:05',
    unread: false,
    labels: ['Receipts'],
    from: { name: 'Northside Bank', email: 'statements@northsidebank.example' },
    subject: 'Your November statement is ready',
    text: 'Hello Alex,\n\nYour statement for the account ending 4821 is now available in online banking.\n\nThis is an automated message, please do not reply.',
    links: [],
  },
  {
    at: '12:52',
    from: { name: 'Maya Chen', email: 'maya.chen@example.org' },
    subject: 'Re: Saturday?',
    text: 'Yes! Market at 11, then the climbing gym? I can bring the camera for the vlog.\n\nMaya',
    links: [],
  },
  {
    at: '13:34',
    unread: false,
    from: { name: 'LinkedIn', email: 'messages-noreply@linkedin.com' },
    subject: 'You appeared in 9 searches this week',
    text: 'See who is looking at your profile and what they searched for.',
    links: [link('See all searches', 'https://www.linkedin.com/me/search-appearances/')],
  },
];

/** The ordinary mail and the impostor, dated on `day` (YYYY-MM-DD, UTC). */
export function extraMail(day: string): ExtraMail[] {
  return EXTRAS.map(({ at, ...m }, i) => ({ ...m, id: `demo-extra-${i}`, sent_at: `${day}T${at}:00.000Z` }));
}

/** Seconds from `now` to the next `at` (HH:MM UTC), for the sandbox clock. */
export function secondsUntil(at: string, now: number): number {
  const [h, m] = at.split(':').map(Number) as [number, number];
  const target = new Date(now);
  target.setUTCHours(h, m, 0, 0);
  if (target.getTime() <= now) target.setUTCDate(target.getUTCDate() + 1);
  return Math.round((target.getTime() - now) / 1000);
}
