/** Gmail addresses as keys: trimmed and lower-cased, so "Me@Gmail.com " and "me@gmail.com" are one account. */
export const normaliseGmail = (gmail: string) => gmail.trim().toLowerCase();
