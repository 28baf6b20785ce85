/**
 * What a genuine TikTok email is about, decided by the exact sender first and then only by fixed parts of TikTok's
 * templates (issue 11 §3): a code email is one from TikTok's code senders whose subject starts with the code or the
 * code phrase; an activity email's kind and other user come from utils/detect/templates.ts. Text other users wrote
 * (display names, comments, captions) can appear in a subject but never decides the kind. Subjects marked [C] are
 * real (research/tiktok-emails.md); the rest are sensible guesses [I] for kinds and languages without a sample.
 */
import type { EmailKind } from './kinds';
import { isImpersonating, type Sender } from './impersonation';
import { extractFacts, type EmailFacts, type EmailInput } from './extract';
import { tiktokDestination } from './links';
import { isGenuineSender, NO_SERVICE_SENDERS, senderRole, type ActionSender, type ServiceSenders } from './senders';
import { readActivitySubject, type ActivitySubject } from './templates';

// [C] "160899 is your verification code", "116611 - ваш код подтверждения", "… là mã gồm 6 chữ số của bạn",
// "Mã xác minh", "TikTok Shop Partner Center verification code", "TikTok Shop商家验证码"; es/fr/it/zh-TW [I].
const CODE_WORDS =
  'verification code|is your (?:6-digit |login )?code|login code|código de verificación|es tu código|code de vérification|est votre code|codice di verifica|è il tuo codice|код подтверждения|ваш код|mã xác minh|mã gồm 6 chữ số|商家验证码|验证码|驗證碼|認證碼';
/** A code subject starts with the six digits, or (no digits) with the code phrase, after TikTok's product name. */
const CODE_SUBJECT = new RegExp(
  `^(?:\\d{6}(?!\\d)\\D{0,12}(?:${CODE_WORDS})|(?:tiktok(?: shop)?(?: partner center)?\\s*|your\\s+)?(?:${CODE_WORDS}))`,
  'iu',
);

// [C] "New login to the TikTok Shop account" (no-reply@shop.tiktok.com); other languages [I]. Only sorts allowlisted
// senders we do not act on (the account sender's non-code mail is security by sender).
const SECURITY =
  /log-?in|password|inicio de sesión|contraseña|connexion|mot de passe|accesso|вход|пароль|đăng nhập|mật khẩu|登录|登入|密码|密碼/i;

/** Kind from the exact sender, for the allowlisted senders we do not act on (Shop, Ads hosts, account notices). */
function byOtherSender(address: string, subject: string): EmailKind {
  if (
    /@(?:[\w-]+\.)*shop\.tiktok\.com$|^(shop|ttsmarketplace)@email\.tiktok\.com$|tiktokglobalshop\.com$/.test(address)
  )
    return SECURITY.test(subject) ? 'security' : 'shop';
  if (/@(?:[\w-]+\.)*(notifications|ads|business)\.tiktok\.com$/.test(address)) return 'ads';
  if (/@(?:[\w-]+\.)*account\.tiktok\.com$/.test(address) || SECURITY.test(subject)) return 'security';
  return 'other';
}

/** Kind suggested by the TikTok links of an open activity email (TikTok writes the hrefs; nobody else does). */
function byLinks(links: string[]): EmailKind | null {
  for (const link of links) {
    const url = new URL(link);
    if (/^(ads|business)\./.test(url.hostname) || /authori[sz]/i.test(url.pathname)) return 'ads';
    if (url.pathname.startsWith('/messages')) return 'message';
    if (/\/live\/?$/.test(url.pathname)) return 'live';
  }
  return null;
}

function kindOf(email: string, role: ActionSender, input: EmailInput, activity: ActivitySubject | null): EmailKind {
  const subject = input.subject.trim();
  switch (role) {
    case 'code':
      return CODE_SUBJECT.test(subject) ? 'code' : 'security';
    case 'partner-code':
      return CODE_SUBJECT.test(subject) ? 'code' : 'shop';
    case 'ads':
      return 'ads';
    case 'activity': {
      if (activity) return activity.kind;
      const links = (input.links ?? [])
        .map((l) => tiktokDestination(l.href, l.safe_redirect))
        .filter((l): l is string => !!l);
      return byLinks(links) ?? 'other';
    }
    default:
      return byOtherSender(email.toLowerCase(), subject);
  }
}

export type Classification =
  | { tiktok: true; impostor: false; kind: EmailKind; facts: EmailFacts }
  | { tiktok: false; impostor: true }
  | { tiktok: false; impostor: false };

/**
 * `service`: the chosen service's accepted notification senders (utils/detect/senders.ts `ServiceSenders`): their
 * emails are activity in TikTok's own templates, read like `notification@service.tiktok.com`'s.
 */
export function classifyEmail(
  sender: Sender,
  input: EmailInput,
  service: ServiceSenders = NO_SERVICE_SENDERS,
): Classification {
  if (!isGenuineSender(sender.email, service)) {
    return isImpersonating(sender, service) ? { tiktok: false, impostor: true } : { tiktok: false, impostor: false };
  }
  const role = senderRole(sender.email, service);
  const activity = role === 'activity' ? readActivitySubject(input.subject) : null;
  const kind = kindOf(sender.email, role, input, activity);
  return {
    tiktok: true,
    impostor: false,
    kind,
    facts: extractFacts(kind, input, activity?.kind === kind ? activity.handle : undefined, role),
  };
}
