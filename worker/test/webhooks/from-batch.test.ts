import { expect, it } from "vitest";
import { eventsForStoredBatch } from "../../src/webhooks/from-batch";
import { iosBatch, normalized } from "../ingest/fixtures";

it("turns a stored iOS batch into workout, timeseries and sync events with the reference shapes", () => {
  const start = Date.UTC(2026, 0, 1);
  const batch = normalized(iosBatch({ start, records: 300, workouts: 2 }), start + 5 * 86_400_000);
  const user = "5f0e3a52-8a34-4c39-9a53-1f4f7f0d2a10";
  const events = eventsForStoredBatch({ userId: user, provider: batch.provider, runId: "run-1", samples: batch.samples,
    workouts: batch.workouts.map((workout, k) => ({ id: `w${k}`, workout })), sleep: [], itemsProcessed: 300, status: "success" });
  const types = events.map((e) => e.type);
  expect(types.filter((t) => t === "workout.created")).toHaveLength(batch.workouts.length);
  expect(types).toContain("heart_rate.created");
  expect(types).toContain("series.heart_rate.created");
  expect(types[types.length - 1]).toBe("sync.completed");
  const hr = events.find((e) => e.type === "heart_rate.created")!;
  expect(hr.data).toMatchObject({ user_id: user, provider: "apple", series_type: "heart_rate" });
  const sample = (hr.data.samples as any[])[0];
  expect(Object.keys(sample).sort()).toEqual(["is_daily_total", "source", "timestamp", "type", "unit", "value", "zone_offset"]);
  expect(sample.timestamp).toMatch(/\+00:00$/);
  const steps = events.find((e) => e.type === "steps.created");
  if (steps) expect((steps.data.samples as any[])[0].is_daily_total).toBe(false);
  const w = events.find((e) => e.type === "workout.created")!;
  expect(Object.keys(w.data).sort()).toEqual(["avg_heart_rate_bpm", "avg_pace_sec_per_km", "calories_kcal", "distance_meters", "duration_seconds",
    "elevation_gain_meters", "end_time", "id", "max_heart_rate_bpm", "source", "start_time", "type", "user_id", "zone_offset"]);
  const total = events.filter((e) => e.type.startsWith("series.")).reduce((n, e) => n + (e.data.samples as unknown[]).length, 0);
  expect(total).toBe(batch.samples.length);
});
