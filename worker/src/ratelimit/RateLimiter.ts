import { DurableObject } from "cloudflare:workers";

/**
 * Fixed-window attempt counter, one object per client key (e.g. `redeem:<ip>`). A Durable Object gives a
 * single, consistent counter per client across every isolate, which KV cannot.
 */
export class RateLimiter extends DurableObject {
  /** Counts `weight` attempts; returns 0 when allowed, else the seconds until the window resets. */
  async attempt(limit: number, windowMs: number, weight = 1, now = Date.now()): Promise<number> {
    const state = (await this.ctx.storage.get<{ start: number; count: number }>("w")) ?? { start: now, count: 0 };
    const window = now - state.start >= windowMs ? { start: now, count: 0 } : state;
    window.count += weight;
    await this.ctx.storage.put("w", window);
    return window.count > limit ? Math.ceil((window.start + windowMs - now) / 1000) : 0;
  }
}
