import { describe, expect, it } from "vitest";
import { HOT_LOOKUP_TTL_MS, TtlCache } from "../../src/control/cache";

/** The bound on how long a revoked key or rotated secret can keep working in another isolate. */
describe("per-isolate lookup cache", () => {
  it("serves a value (including a miss) until the TTL, then loads again", async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache<string | null>(HOT_LOOKUP_TTL_MS, () => now);
    const load = async () => (++loads === 1 ? "live" : null);
    expect(await cache.get("k", load)).toBe("live");
    now = HOT_LOOKUP_TTL_MS - 1;
    expect(await cache.get("k", load)).toBe("live");
    now = HOT_LOOKUP_TTL_MS;
    expect(await cache.get("k", load)).toBeNull(); // revoked elsewhere: seen within the TTL
    expect(loads).toBe(2);
    expect(HOT_LOOKUP_TTL_MS).toBeLessThanOrEqual(60_000);
  });

  it("forgets on delete, and does not keep a failed load", async () => {
    const cache = new TtlCache<number>();
    let n = 0;
    expect(await cache.get("k", async () => ++n)).toBe(1);
    cache.delete("k");
    expect(await cache.get("k", async () => ++n)).toBe(2);
    await expect(cache.get("x", async () => { throw new Error("D1 down"); })).rejects.toThrow();
    expect(await cache.get("x", async () => 7)).toBe(7);
  });
});
