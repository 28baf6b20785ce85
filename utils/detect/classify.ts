/**
 * What a genuine TikTok email is about, from its sender and subject (list rows), plus body and links when open.
 * Subjects marked [C] are real (research/tiktok-emails.md); the rest are sensible guesses [I] for kinds and
 * languages the research has no sample for, matched as keywords rather than exact strings.
 */
import type { EmailKind } from './kinds';
import { isImpersonating, type Sender } from './impersonation';
import { extractFacts, type EmailFacts, type EmailInput } from './extract';
import { tiktokDestination } from './links';
import { isTikTokAddress } from './senders';

type Rule = [EmailKind, RegExp];

/** Keyword rules, first match wins: specific kinds before broad ones. */
const SUBJECT_RULES: Rule[] = [
  // [C] "160899 is your verification code", "116611 - ваш код подтверждения", "… là mã gồm 6 chữ số của bạn",
  // "Mã xác minh", "TikTok Shop Partner Center verification code", "TikTok Shop商家验证码"; es/fr/it/zh-TW [I].
  ['code', /verification code|is your (6-digit )?code|login code|código de verificación|es tu código|code de vérification|est votre code|codice di verifica|è il tuo codice|код подтверждения|ваш код|mã xác minh|mã gồm 6 chữ số|验证码|驗證碼|認證碼/i],
  // [C] "New device login to your TikTok account", "New login to the TikTok Shop account", "Phone number removed
  // from your account"; other languages [I].
  ['security', /new (device )?login|log-?in (attempt|alert)|security alert|password|phone number (removed|added|changed)|email (address )?(changed|updated)|account (was )?(changed|updated)|nuevo inicio de sesión|contraseña|nouvelle connexion|mot de passe|nuovo accesso|новый вход|вход в аккаунт|пароль|đăng nhập mới|mật khẩu|新设备登录|新裝置登入|登录提醒|密码|密碼/i],
  // [I] all languages; [C] "{name} mentioned you" shape only as an inferred sample.
  ['mention', /mentioned you|te mencionó|te ha mencionado|vous a mentionné|ti ha menzionato|упомянул|đã nhắc đến bạn|提到了你|提及了你|@了你/i],
  // [I] "{name} commented: …", "{name} replied to your comment".
  ['comment', /comment|comentó|comentario|a commenté|commentaire|ha commentato|commento|прокомментировал|комментари|bình luận|评论|評論|留言/i],
  // [I] "{name} started following you".
  ['follower', /following you|new follower|comenzó a seguirte|empezó a seguirte|nuevo seguidor|vous suivre|nouvel abonné|ha iniziato a seguirti|nuovo follower|подписал(ся|ась)? на вас|новый подписчик|bắt đầu (follow|theo dõi) bạn|người theo dõi mới|关注了你|開始追蹤你|新粉丝/i],
  // [C] es "El May dio me gusta a tu publicación"; others [I] "{name} and {n} others liked your video".
  ['like', /liked your|likes your|dio me gusta|le gusta tu|a aimé votre|aiment votre|ha messo mi piace|piace il tuo|понравил|оценил|đã thích|赞了你|讚了你|喜欢了你/i],
  // [I] "{name} is LIVE now".
  ['live', /\bis live\b|live now|\blive:|en vivo|en directo|est en direct|en direct|in diretta|в эфире|прямой эфир|đang phát trực tiếp|正在直播|开播|直播中/i],
  // [C] "Message" (fr Gmail-category fixture, exact); [I] "{name} sent you a message" and translations.
  ['message', /^message$|sent you a message|new message|te envió un mensaje|nuevo mensaje|vous a envoyé un message|nouveau message|ti ha inviato un messaggio|nuovo messaggio|отправил(а)? вам сообщение|новое сообщение|gửi cho bạn (một )?tin nhắn|tin nhắn mới|给你发了消息|新消息|私信|傳送了訊息/i],
  // [C] es "¡Nuevo! Notificaciones por correo electrónico con las mejores prácticas de TikTok ya disponibles" (TT4B
  // sender), ad review / budget notices; [I] authorization-request wording.
  ['ads', /ads manager|tiktok for business|spark ads?|ad account|ad group|ad review|\bads?\b.*(approved|rejected|disapproved)|authori[sz]ation request|authori[sz]e .*ads|budget|business center|anuncio|publicité|annunci|реклам|quảng cáo|广告|廣告/i],
  // [C] "Congrats! your shop setup is complete!", "Your Settlement Tier Status Has Been Updated", it "Partecipa al
  // TikTok Shop LIVE Auction Accelerator", "… you left something behind!"; others [I].
  ['shop', /tiktok shop|your shop|seller|settlement|order|you left something behind|tienda|pedido|boutique|commande|negozio|ordine|магазин|заказ|cửa hàng|đơn hàng|小店|商家|订单|訂單/i],
];

function byRules(text: string): EmailKind | null {
  for (const [kind, re] of SUBJECT_RULES) if (re.test(text)) return kind;
  return null;
}

/** Kind implied by the exact sender (research §1), before keywords. */
function bySender(email: string, subject: string): EmailKind | null {
  const address = email.trim().toLowerCase();
  const keyword = byRules(subject);
  if (/@(?:[\w-]+\.)*shop\.tiktok\.com$|^(shop|ttsmarketplace)@email\.tiktok\.com$|tiktokglobalshop\.com$/.test(address)) {
    return keyword === 'code' || keyword === 'security' ? keyword : 'shop';
  }
  if (address === 'partner@email.tiktok.com') return keyword === 'code' ? 'code' : 'shop';
  if (/@(?:[\w-]+\.)*(notifications|ads|business)\.tiktok\.com$/.test(address)) return keyword === 'code' || keyword === 'security' ? keyword : 'ads';
  if (/@account\.tiktok\.com$/.test(address)) return keyword === 'code' ? 'code' : 'security';
  return null;
}

/** Kind suggested by the TikTok links of an open message. */
function byLinks(links: string[]): EmailKind | null {
  for (const link of links) {
    const url = new URL(link);
    if (/^(ads|business)\./.test(url.hostname) || /authori[sz]/i.test(url.pathname)) return 'ads';
    if (url.pathname.startsWith('/messages')) return 'message';
    if (/^seller\.|^partner\./.test(url.hostname) || url.hostname.endsWith('tiktokshop.com')) return 'shop';
    if (/\/live\/?$/.test(url.pathname)) return 'live';
  }
  return null;
}

export type Classification =
  | { tiktok: true; impostor: false; kind: EmailKind; facts: EmailFacts }
  | { tiktok: false; impostor: true }
  | { tiktok: false; impostor: false };

export function classifyEmail(sender: Sender, input: Omit<EmailInput, 'email'>): Classification {
  if (!isTikTokAddress(sender.email)) {
    return isImpersonating(sender) ? { tiktok: false, impostor: true } : { tiktok: false, impostor: false };
  }
  const full: EmailInput = { ...input, email: sender.email };
  const tiktokLinks = (input.links ?? []).map((l) => tiktokDestination(l.href, l.safe_redirect)).filter((l): l is string => !!l);
  const kind =
    bySender(sender.email, input.subject) ??
    byRules(input.subject) ??
    (input.body ? byRules(input.body.slice(0, 600)) : null) ??
    byLinks(tiktokLinks) ??
    'other';
  return { tiktok: true, impostor: false, kind, facts: extractFacts(kind, full) };
}
