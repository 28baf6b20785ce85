/**
 * The verification code email the service sends to prove a Gmail address, in the format of TikTok's own code emails
 * (../shared/research/tiktok-emails.md): sender `TikTok <register@account.tiktok.com>`, subject
 * `NNNNNN is your verification code`, TikTok's footer. The simulated TikTok sends its own login codes with it too.
 */
import type { Email } from './ports';

export const CODE_SENDER = { name: 'TikTok', email: 'register@account.tiktok.com' } as const;
export const HELP_LINK = { text: 'TikTok Help Center', href: 'https://support.tiktok.com/' };
export const PRIVACY_LINK = { text: 'Privacy Policy', href: 'https://www.tiktok.com/en/privacy-policy?lang=en' };
const ADDRESS = 'TikTok, 5800 Bristol Pkwy, Culver City, CA 90230';

/** TikTok's footer: who the email was generated for, the links line and the postal address. */
export function tiktokFooter(username: string, unsubscribe: boolean): string[] {
  return [
    '',
    'This is an automatically generated email. Replies to this email address are not monitored.',
    `This email was generated for ${username}.`,
    unsubscribe ? 'Unsubscribe | Privacy Policy | TikTok Help Center' : 'Privacy Policy | TikTok Help Center',
    ADDRESS,
  ];
}

/** `forName`: the name in the footer (the address's TikTok username where known, else its local part). */
export function codeEmail(to: string, code: string, forName: string, validMinutes: number): Email {
  return {
    to,
    from: { ...CODE_SENDER },
    subject: `${code} is your verification code`,
    text: [
      'Verification Code',
      'To verify your account, enter this code in TikTok:',
      code,
      `Verification codes expire after ${validMinutes} minutes.`,
      "If you didn't request this code, you can ignore this message.",
      '',
      'TikTok Support Team',
      'TikTok Help Center: https://support.tiktok.com/',
      'Have a question? Visit the TikTok Help Center or go to Settings > Report a Problem in the app.',
      ...tiktokFooter(forName, false),
    ].join('\n'),
    links: [HELP_LINK, PRIVACY_LINK],
    kind: 'code',
  };
}
