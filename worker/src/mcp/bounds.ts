/**
 * Size bounds for MCP tool results: an assistant's context is small and a model reads every byte. Each tool caps
 * what it asks the data layer for; `bounded` is the final guard on the serialized answer.
 */
export const LIMITS = {
  users: 50,
  summaryDays: 92,
  timeseriesDays: 31,
  workouts: 100,
  points: 500,
  seriesTypes: 5,
  syncRuns: 20,
  sources: 20,
  /** Serialized result, in characters. */
  resultChars: 64_000,
} as const;

/**
 * The result unchanged when it fits; otherwise its list (`key`) shortened until it does, with `truncated: true` and
 * how many items were left out. Summaries computed before trimming still cover every item.
 */
export function bounded<T extends Record<string, unknown>>(result: T, key = "records"): T {
  if (JSON.stringify(result).length <= LIMITS.resultChars) return result;
  const items = result[key];
  if (!Array.isArray(items)) throw new Error("result too large and has no list to shorten");
  let keep = items.length;
  let trimmed: T;
  do {
    keep = Math.floor(keep * 0.8);
    trimmed = { ...result, [key]: items.slice(0, keep), truncated: true, omitted: items.length - keep };
  } while (keep > 0 && JSON.stringify(trimmed).length > LIMITS.resultChars);
  return trimmed;
}
