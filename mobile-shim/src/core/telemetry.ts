import type { Clock } from "../ports/runtime";
import type { DeviceState } from "../ports/runtime";
import type { AuthSession } from "./auth";
import { utf8 } from "./auth";
import type { EventStream, Logger } from "./events";
import { isoSeconds } from "./payload";
import type { ProgressEvent } from "./progress";

/** At most this many events wait; older ones are dropped first. One request is in flight at a time. */
export const TELEMETRY_MAX_QUEUED = 50;
/** An event is tried this many times (once per flush), then dropped. */
const MAX_ATTEMPTS = 3;
const TIMEOUT_MS = 10_000;

export interface TelemetryDeps {
  auth: AuthSession;
  clock: Clock;
  logger: Logger;
  sdkVersion: string;
  /** `{host}/api/v1/sdk/users/{id}/logs` for the signed-in user, or null. */
  url: () => string | null;
  provider: () => string;
  deviceState?: () => Promise<DeviceState>;
}

type Event = Record<string, unknown> & { eventType: string };

/**
 * The official SDKs' diagnostics (`POST /sdk/users/{id}/logs`), sent at the same moments: when a first sync
 * (full export) starts, when each type finishes, and for unfinished types when a pass stops; every request
 * carries a `device_state`. Fire-and-forget: nothing here is awaited by the sync, nothing here throws, the queue
 * is bounded, and a failing server only costs dropped events.
 */
export class Telemetry {
  private queue: { event: Event; attempts: number }[] = [];
  private inflight: Promise<void> | null = null;
  private generation = 0;
  /** Counters for tests and the CLI. */
  readonly stats = { sent: 0, dropped: 0, failedRequests: 0 };

  constructor(private readonly d: TelemetryDeps) {}

  /** Maps engine progress to the official events. Only full exports are reported (as the official SDKs do). */
  attach(progress: EventStream<ProgressEvent>, background: () => boolean): { cancel(): void } {
    return progress.listen((e) => {
      if (!e.fullExport) return;
      const ts = isoSeconds(this.d.clock.now());
      if (e.kind === "start" && e.newSession) {
        this.enqueue({
          eventType: "historical_data_sync_start", timestamp: ts,
          // No census of the store before exporting (iOS 0.14 dropped it: it can take minutes): counts are 0.
          dataTypeCounts: e.keys.map((type) => ({ type, count: 0 })),
          timeRange: { ...(e.floor !== null ? { startDate: isoSeconds(e.floor) } : {}), endDate: isoSeconds(e.startedAt) },
        }, background());
      } else if (e.kind === "typeDone" && e.key) {
        this.enqueue(typeEnd(ts, e.key, true, e.keyCount ?? 0, this.d.clock.now() - e.startedAt), background());
      } else if (e.kind === "end" && e.status !== "done") {
        const unfinished = e.keys.filter((k) => !e.perKey[k]?.complete && (e.perKey[k]?.sentCount ?? 0) > 0);
        if (unfinished.length) {
          for (const k of unfinished) this.queue.push({ event: typeEnd(ts, k, false, e.perKey[k]!.sentCount, this.d.clock.now() - e.startedAt), attempts: 0 });
          this.trim();
          void this.flush(background());
        }
      }
    });
  }

  enqueue(event: Event, background = false): void {
    this.queue.push({ event, attempts: 0 });
    this.trim();
    void this.flush(background);
  }

  /** Forget everything queued (sign-out, user switch); a request in flight finishes on its own. */
  reset(): void {
    this.queue = [];
    this.generation++;
  }

  /** Resolves when nothing is queued or in flight (tests, the CLI before exiting). Never rejects. */
  async idle(): Promise<void> {
    while (this.inflight) await this.inflight;
  }

  private trim(): void {
    while (this.queue.length > TELEMETRY_MAX_QUEUED) { this.queue.shift(); this.stats.dropped++; }
  }

  private flush(background: boolean): Promise<void> {
    if (this.inflight) return this.inflight;
    this.inflight = this.drain(background).catch(() => undefined).finally(() => { this.inflight = null; });
    return this.inflight;
  }

  private async drain(background: boolean): Promise<void> {
    while (this.queue.length) {
      const url = this.d.url();
      if (!url) { this.reset(); return; }
      const gen = this.generation;
      const batch = this.queue.splice(0, 99);
      let ok = false;
      try {
        const state = await this.deviceState(background);
        const body = JSON.stringify({ sdkVersion: this.d.sdkVersion, provider: this.d.provider(), events: [...batch.map((b) => b.event), state] });
        const res = await this.d.auth.send((auth) => ({ method: "POST", url, timeoutMs: TIMEOUT_MS,
          headers: { "Content-Type": "application/json", Accept: "application/json", ...auth }, body: utf8(body) }));
        ok = res.status >= 200 && res.status < 300;
        // A 4xx will not get better by resending: drop (the server does not take these events).
        if (!ok && res.status >= 400 && res.status < 500) { this.stats.dropped += batch.length; this.stats.failedRequests++; continue; }
      } catch {
        ok = false;
      }
      if (ok) { this.stats.sent += batch.length; continue; }
      this.stats.failedRequests++;
      if (gen !== this.generation) return;
      // Transient failure: keep what has attempts left for the next flush (the next event), then stop for now.
      const retry = batch.filter((b) => ++b.attempts < MAX_ATTEMPTS);
      this.stats.dropped += batch.length - retry.length;
      this.queue.unshift(...retry);
      this.trim();
      return;
    }
  }

  private async deviceState(background: boolean): Promise<Event> {
    let s: DeviceState = {};
    try { s = (await this.d.deviceState?.()) ?? {}; } catch { /* unknown */ }
    return {
      eventType: "device_state", timestamp: isoSeconds(this.d.clock.now()),
      batteryLevel: s.batteryLevel ?? null, batteryState: s.batteryState ?? null, isLowPowerMode: s.isLowPowerMode ?? false,
      thermalState: s.thermalState ?? null, taskType: background ? "background" : "foreground",
      availableRamBytes: s.availableRamBytes ?? null, totalRamBytes: s.totalRamBytes ?? null,
    };
  }
}

function typeEnd(timestamp: string, dataType: string, success: boolean, recordCount: number, durationMs: number): Event {
  return { eventType: "historical_data_type_sync_end", timestamp, dataType, success, recordCount, durationMs: Math.max(0, Math.round(durationMs)) };
}
