/**
 * TikTok writes comment and message ids as bare JSON numbers that can exceed 2^53 (research real-service.md §2);
 * JSON.parse would round them. `parseTikTokJson` quotes every integer literal of 16+ digits outside strings first,
 * so ids arrive as exact strings. A scanner, not a regex: a long number inside a message text is left alone.
 */
export function quoteLongNumbers(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))!;
      const lit = m[0];
      out += /^-?\d{16,}$/.test(lit) ? `"${lit}"` : lit;
      i += lit.length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export const parseTikTokJson = (text: string): unknown => JSON.parse(quoteLongNumbers(text));
