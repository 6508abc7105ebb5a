/** Pydantic-style UTC datetime: `2025-12-25T22:00:00Z`, fractional seconds only when non-zero. */
export function isoZ(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}
