/**
 * Per-isolate cache for control-plane lookups read on every request (API keys, applications, invitation codes on
 * the onboarding page). A key's steady traffic then costs no D1 query. A change made through this isolate is seen
 * at once (the writer invalidates); other isolates see it within HOT_LOOKUP_TTL_MS. The documented bound for a
 * revoked or rotated credential to stop working everywhere is therefore 30 s (README, "Where state lives").
 */

export const HOT_LOOKUP_TTL_MS = 30_000;
/** Bounded so a flood of distinct (e.g. guessed) keys cannot grow the isolate's memory. */
const MAX_ENTRIES = 5_000;

export class TtlCache<V> {
  private readonly entries = new Map<string, { at: number; value: Promise<V> }>();

  constructor(
    private readonly ttlMs = HOT_LOOKUP_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached value, or `load()`'s (a failed load is not cached). Misses are cached too: null is a value. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    const value = load();
    this.entries.set(key, { at: this.now(), value });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
