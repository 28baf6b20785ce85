/** Placeholder until the sandbox's simulated TikTok adapter lands from the core branch. */
import type { TikTok } from '../utils/service/ports';

export function simulatedTikTok(): TikTok {
  throw new Error('Set TIKTOK_CLIENT_KEY and TIKTOK_CLIENT_SECRET: the simulated TikTok is not available yet.');
}
