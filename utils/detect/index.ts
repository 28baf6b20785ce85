/** Pure classification of emails: no DOM, no zod (the content script imports this). */
export type { EmailKind } from './kinds';
export { classifyEmail, type Classification } from './classify';
export { extractFacts, type EmailFacts, type EmailInput, type LinkInput } from './extract';
export { isImpersonating, claimsTikTok, type Sender } from './impersonation';
export { isGenuineSender, isTikTokAddress, isTikTokLinkHost, registrableDomain, NO_SERVICE_SENDERS, type ServiceSenders } from './senders';
export { tiktokDestination } from './links';
