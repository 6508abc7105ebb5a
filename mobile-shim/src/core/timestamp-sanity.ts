/**
 * Rejects samples whose timestamps cannot be real (Android SDK #25: watch samples dated 2033–2105 froze a
 * cursor). Applied to the raw sample before it reaches a payload; anchors still move past it, so one absurd
 * sample never blocks its type. Only a per-type count is logged, never the value.
 */
export const FUTURE_SKEW_MS = 5 * 60_000;
/** Negative epochs are corrupt; 1970 itself is allowed, as in the reference tests. */
export const EARLIEST_PLAUSIBLE_MS = 0;

export function isPlausible(start: number, end: number | null | undefined, now: number): boolean {
  const ok = (t: number) => Number.isFinite(t) && t >= EARLIEST_PLAUSIBLE_MS && t <= now + FUTURE_SKEW_MS;
  if (!ok(start)) return false;
  if (end === null || end === undefined) return true;
  return ok(end) && end >= start;
}
