/**
 * Whether the linked TikTok account can do an action from Gmail (API 1.1 `capabilities`), and why not, in words.
 * Pure: the action bar and the row's quick action use it to choose the action (a composer or Follow back only where
 * it can succeed; otherwise the reason and the TikTok page to do it there). A 1.0 service says nothing about `follow`:
 * it counts as on. Unknown capabilities (still loading) count as on; the service's answer then decides.
 */
import type { Capabilities } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';

export type CapabilityName = 'messages' | 'comments' | 'follow';

/** null when `what` is possible, else the sentence that says why not (the service's own words when it gave them). */
export function offReason(capabilities: Capabilities | null, what: CapabilityName): string | null {
  if (!capabilities || (capabilities[what] ?? true)) return null;
  const own = capabilities.reasons?.[what] ?? (what === 'follow' ? undefined : capabilities.reason);
  return own?.trim() || t(`inline_cap_${what}_off`);
}
