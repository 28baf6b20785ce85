/**
 * What the person wrote in a reply email, without the quoted history and the signature: the text that goes to TikTok.
 * Pure (no I/O), tested on a corpus of replies as Gmail (web, Android, iOS), Apple Mail, Outlook (desktop, web,
 * mobile) and Thunderbird write them, in the extension's languages (English, Spanish):
 * tests/fixtures/reply-email/corpus.ts.
 *
 * The text part is preferred (every one of those clients sends one); an HTML-only message is cut at the first quote
 * container (`gmail_quote`, `blockquote`, Outlook's `divRplyFwdMsg` / `appendonsend`, Thunderbird's
 * `moz-cite-prefix`) and its signature blocks dropped before its tags are. Then, on the text:
 * - cut at the first attribution line ("On … wrote:", "El … escribió:", also wrapped over up to three lines),
 *   Outlook's header block ("From: … Sent: …", "De: … Enviado: …") or separators ("-----Original Message-----", a
 *   line of underscores, "Begin forwarded message:");
 * - drop `>` quoted lines (inline answers between them are kept);
 * - cut at the signature delimiter (`-- `) and at a closing "Sent from my iPhone" / "Enviado desde mi iPhone" /
 *   "Get Outlook for Android" line;
 * - trailing spaces, runs of blank lines, and blank lines at either end go.
 */

/** Attribution lines that start the quoted history: "On <date>, <name> wrote:" and its Spanish forms. */
const ATTRIBUTION_END = /(?:wrote|escribió|a écrit|schrieb)\s*:\s*$/i;
const ATTRIBUTION_START = /^(?:On|El|Am|Le)\s\S/;
const OUTLOOK_HEADER = /^\*?(?:From|De)\s*:\*?\s/i;
const OUTLOOK_FIELD = /^\*?(?:Sent|Date|To|Subject|Enviado(?: el)?|Fecha|Para|Asunto|Cc)\s*:\*?\s?/i;
const SEPARATORS = [
  /^-{2,}\s*(?:Original Message|Mensaje original|Forwarded message|Mensaje reenviado)\s*-{2,}$/i,
  /^_{10,}$/,
  /^(?:Begin forwarded message|Inicio del mensaje reenviado)\s*:$/i,
];
const SIGNATURE_DELIMITER = /^-- ?$/;
const SENT_FROM = [
  /^Sent (?:from|via|with|using)\s.{1,60}$/i,
  /^Enviado (?:desde|con|a través de)\s.{1,60}$/i,
  /^(?:Get|Obtener|Descargar) Outlook (?:for|para) (?:iOS|Android)(?:\s*<[^>]*>)?$/i,
];

/** The reply's own text from its text part (preferred) or, without one, its HTML. */
export function replyText(mail: { text?: string | null; html?: string | null }): string {
  const source = mail.text?.trim() ? mail.text : htmlToText(cutHtmlQuote((mail.html ?? '').slice(0, MAX_INPUT)));
  return stripQuotesAndSignature(source.slice(0, MAX_INPUT));
}

/** More than any reply TikTok takes (6,000 characters) plus its history: the rest is never read. */
const MAX_INPUT = 200_000;

/** The plain-text pipeline: history cut, quotes dropped, signature cut, tidied. */
function stripQuotesAndSignature(text: string): string {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .replace(/^\uFEFF/, '')
    .replace(/\u00A0/g, ' ')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''));
  const own = lines.slice(0, historyStart(lines)).filter((l) => !/^\s*>/.test(l));
  return tidy(own.slice(0, signatureStart(own)));
}

/** Index of the first line of the quoted history (an attribution, an Outlook header block, a separator), or the length. */
function historyStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (SEPARATORS.some((re) => re.test(line))) return i;
    if (ATTRIBUTION_START.test(line) && attributionEnds(lines, i)) return i;
    if (OUTLOOK_HEADER.test(line) && outlookBlock(lines, i)) return i;
  }
  return lines.length;
}

/** An attribution may be wrapped by the client: "On Mon, … TikTok <" / "reply+…> wrote:". */
function attributionEnds(lines: string[], i: number): boolean {
  for (let j = i; j < Math.min(lines.length, i + 3); j++) {
    if (j > i && !lines[j]!.trim()) return false;
    // Every client's attribution carries a date or a time: "On second thought, here is what I wrote:" is not one.
    if (ATTRIBUTION_END.test(lines[j]!.trim())) return /\d/.test(lines.slice(i, j + 1).join(' '));
  }
  return false;
}

/** "From: …" followed within four lines by at least two more of Outlook's header fields. */
function outlookBlock(lines: string[], i: number): boolean {
  return lines.slice(i + 1, i + 5).filter((l) => OUTLOOK_FIELD.test(l.trim())).length >= 2;
}

/** Index of the signature's first line: the `-- ` delimiter, or a "Sent from …" line among the last three non-blank lines. */
function signatureStart(lines: string[]): number {
  const delimiter = lines.findIndex((l) => SIGNATURE_DELIMITER.test(l));
  if (delimiter >= 0) return delimiter;
  const filled = lines.map((l, i) => [l.trim(), i] as const).filter(([l]) => l !== '');
  const tail = filled.slice(-3).find(([l]) => SENT_FROM.some((re) => re.test(l)) && l.split(/\s+/).length <= 8);
  return tail ? tail[1] : lines.length;
}

function tidy(lines: string[]): string {
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/* ---------------- HTML-only replies ---------------- */

/** Where the quoted history starts in a reply's HTML: Gmail's, Outlook's, Thunderbird's and Apple Mail's containers. */
const HTML_QUOTE_STARTS = [
  /<div[^>]*class="[^"]*\bgmail_quote\b/i,
  /<blockquote\b/i,
  /<div[^>]*id="(?:x_)?divRplyFwdMsg"/i,
  /<div[^>]*id="(?:x_)?appendonsend"/i,
  /<div[^>]*class="[^"]*\bmoz-cite-prefix\b/i,
  /<hr[^>]*id="stopSpelling"/i,
];

function cutHtmlQuote(html: string): string {
  const at = Math.min(...HTML_QUOTE_STARTS.map((re) => html.search(re)).filter((i) => i >= 0), html.length);
  return html
    .slice(0, at)
    .replace(/<div[^>]*(?:class="[^"]*\bgmail_signature\b|data-smartmail="gmail_signature")[^>]*>[\s\S]*$/i, '');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function htmlToText(html: string): string {
  return html
    .replace(/<(?:head|style|script|title)\b[\s\S]*?<\/(?:head|style|script|title)>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(?:p|div|li|tr|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
      return ENTITIES[e.toLowerCase()] ?? whole;
    });
}
