/** Pure classification of emails: no DOM, no zod (the content script imports this). */
export type { EmailKind } from './kinds';
export { classifyEmail, type Classification } from './classify';
export type { EmailFacts, LinkInput } from './extract';
export { isImpersonating } from './impersonation';
export {
  isGenuineSender,
  isTikTokAddress,
  registrableDomain,
  NO_SERVICE_SENDERS,
  type ServiceSenders,
} from './senders';
export { tiktokDestination } from './links';
