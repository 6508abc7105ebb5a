import type { Clock, Scheduler } from "../../src/ports/runtime";

/** Virtual time: sleeps return at once and move the clock, so backoff and Retry-After are observable and fast. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public t: number = Date.now(), private readonly tzMinutes = 60) {}
  now() { return this.t; }
  utcOffsetMinutes() { return this.tzMinutes; }
  advance(ms: number) { this.t += ms; }
  async sleep(ms: number) { this.sleeps.push(ms); this.t += ms; await new Promise((r) => setImmediate(r)); }
}

/** Records what would be scheduled (BGTask/WorkManager) without running it. */
export class ManualScheduler implements Scheduler {
  readonly tasks = new Map<string, { kind: "periodic" | "once"; ms: number; run: () => Promise<void> }>();
  schedulePeriodic(id: string, ms: number, run: () => Promise<void>) { this.tasks.set(id, { kind: "periodic", ms, run }); }
  scheduleOnce(id: string, ms: number, run: () => Promise<void>) { this.tasks.set(id, { kind: "once", ms, run }); }
  cancel(id: string) { this.tasks.delete(id); }
  cancelAll() { this.tasks.clear(); }
}
