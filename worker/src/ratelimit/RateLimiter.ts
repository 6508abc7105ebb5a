import { DurableObject } from "cloudflare:workers";

/**
 * Fixed-window attempt counter, one object per key (e.g. `redeem:v6:2001:db8:1:2::/64`, or the deployment-wide
 * `code-failures`). A Durable Object gives a single, consistent counter across every isolate, which KV cannot.
 */
export class RateLimiter extends DurableObject {
  /** Counts `weight` attempts; returns 0 when allowed, else the seconds until the window resets. */
  async attempt(limit: number, windowMs: number, weight = 1, now = Date.now()): Promise<number> {
    const window = await this.add(windowMs, weight, now);
    return window.count > limit ? Math.ceil((window.start + windowMs - now) / 1000) : 0;
  }

  /** Adds `weight` (0 only reads) and returns the window's count and when it resets. */
  async count(windowMs: number, weight: number, now = Date.now()): Promise<{ count: number; resetAt: number }> {
    const window = weight > 0 ? await this.add(windowMs, weight, now) : await this.current(windowMs, now);
    return { count: window.count, resetAt: window.start + windowMs };
  }

  private async current(windowMs: number, now: number) {
    const state = (await this.ctx.storage.get<{ start: number; count: number }>("w")) ?? { start: now, count: 0 };
    return now - state.start >= windowMs ? { start: now, count: 0 } : state;
  }

  private async add(windowMs: number, weight: number, now: number) {
    const window = await this.current(windowMs, now);
    window.count += weight;
    await this.ctx.storage.put("w", window);
    return window;
  }
}
