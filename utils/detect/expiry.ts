/**
 * How long a TikTok code stays valid, as its email says ("expire after 48 hours", "valid for 20 minutes"), in the
 * languages of research/tiktok-emails.md. Pure and kept apart from classification (utils/detect/extract.ts): no
 * feature of the content script shows it, so its tables stay out of that bundle (docs/architecture.md "Content
 * script" size budget); whoever needs it calls it on the code email's body.
 */

/** Expiry units per language and their length in seconds; one regex is built from them. */
const UNITS: [string, number][] = [
  ['minutes?|mins?|minutos?|minuti|minuto|минут[ыау]?|phút|分钟|分鐘', 60],
  ['hours?|hrs?|horas?|heures?|ore|ora|час(?:а|ов)?|giờ|小时|小時', 3600],
  ['days?|días?|jours?|giorni|giorno|дн(?:я|ей)|день|ngày|天', 86400],
];
const EXPIRY = new RegExp(`(\\d{1,3})\\s*(?:${UNITS.map(([u]) => `(${u})`).join('|')})`, 'iu');
const EXPIRY_CONTEXT = /expire|valid|válid|valabl|scad|срок|действ|hiệu lực|hết hạn|有效|过期|過期/i;

/** Seconds the code stays valid, from the first sentence of the body that speaks of validity with a duration. */
export function codeExpiresIn(body: string): number | undefined {
  for (const sentence of body.split(/[.\n。]/)) {
    if (!EXPIRY_CONTEXT.test(sentence)) continue;
    const match = EXPIRY.exec(sentence);
    const unit = match ? UNITS.findIndex((_, i) => match[i + 2] !== undefined) : -1;
    if (match && unit >= 0) return Number(match[1]) * UNITS[unit]![1];
  }
  return undefined;
}
