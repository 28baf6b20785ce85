/**
 * The current time for a countdown shown in minutes ("31 h 5 min left"): re-renders when the shown minute changes
 * (and once more when `until` passes), so a composer left open keeps an honest reply window.
 */
import { useEffect, useState } from 'preact/hooks';

const MINUTE = 60_000;

/** Milliseconds until the whole minutes left before `until` change (at least 1 s, at most a minute). */
export function msToNextMinute(until: number, now: number): number {
  const left = until - now;
  if (!(left > 0)) return MINUTE;
  return Math.min(MINUTE, Math.max(1000, (left % MINUTE) + 1));
}

export function useCountdownNow(untilIso: string | null | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  const until = untilIso ? new Date(untilIso).getTime() : NaN;
  useEffect(() => {
    if (!Number.isFinite(until) || until <= now) return;
    const timer = setTimeout(() => setNow(Date.now()), msToNextMinute(until, now));
    return () => clearTimeout(timer);
  }, [until, now]);
  return now;
}
