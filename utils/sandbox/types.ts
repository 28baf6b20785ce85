/** Schema types the sandbox's state uses (all inferred from the service API schemas). */
import type { z } from 'zod';
import type {
  AccountType as AccountTypeSchema,
  AdvertiserRole as AdvertiserRoleSchema,
  CommentStatus as CommentStatusSchema,
  LinkStatus as LinkStatusSchema,
  VerificationStatus as VerificationStatusSchema,
} from '../api/schemas';

export type { AuthorizationStatus, EventType, Permission } from '../api/schemas';
export type AccountType = z.infer<typeof AccountTypeSchema>;
export type AdvertiserRole = z.infer<typeof AdvertiserRoleSchema>;
export type CommentStatus = z.infer<typeof CommentStatusSchema>;
export type LinkStatus = z.infer<typeof LinkStatusSchema>;
export type VerificationStatus = z.infer<typeof VerificationStatusSchema>;
