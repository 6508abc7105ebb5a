import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateRawSample } from "../../src/capacitor/contract";
import { mappingFor } from "../../src/core/platforms";
import type { RawSample } from "../../src/ports/raw-samples";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../src/capacitor/fixtures/${name}`, import.meta.url), "utf8"));

describe("native JSON contract fixtures (shared with the Swift/Kotlin adapters)", () => {
  it("HealthKit heart rate maps to the exact iOS record", () => {
    const f = fixture("healthkit-heart-rate.json");
    const raw = validateRawSample(f.raw);
    expect(typeof raw).not.toBe("string");
    expect(mappingFor("healthkit").toItems(raw as RawSample)).toEqual(f.expected);
  });
  it("HealthKit units and sleep stages", () => {
    for (const c of fixture("healthkit-oxygen-sleep.json").cases) {
      const [item] = mappingFor("healthkit").toItems(validateRawSample(c.raw) as RawSample);
      expect(item!.kind).toBe(c.expect.kind);
      expect(item!.item).toMatchObject(Object.fromEntries(Object.entries(c.expect).filter(([k]) => k !== "kind")));
    }
  });
  it("Health Connect derived children carry parentId and zone offsets", () => {
    for (const c of fixture("healthconnect-records.json").cases) {
      const items = mappingFor("healthconnect").toItems(validateRawSample(c.raw) as RawSample);
      expect(items.map((i) => i.item.id)).toEqual(c.expectIds);
      expect(items.every((i) => i.item.parentId === c.expectParent && i.item.zoneOffset === c.expectZone)).toBe(true);
      expect((items[0]!.item as { type: string }).type).toBe(c.expectType);
    }
  });
  it("Samsung aggregates get stable ids across reads; body composition splits; tolerant numbers", () => {
    const f = fixture("samsung-points.json");
    const m = mappingFor("samsung");
    const [a, b] = f.aggregateReads.map((r: RawSample) => m.toItems(r)[0]!.item);
    expect(a.id).toBe(b.id);
    expect(a.source?.deviceType).toBe("watch"); // reported as MOBILE, a Galaxy Watch by name
    const body = m.toItems(f.bodyComposition);
    expect(body.map((i) => i.item.id)).toEqual(f.expectBodyIds);
    expect(body.find((i) => i.item.id.endsWith("-height"))!.item).toMatchObject({ value: f.expectHeightMeters, unit: "m" });
    expect(body.find((i) => i.item.id.endsWith("-bf"))!.item).toMatchObject({ value: 19.5 });
  });
  it("rejects samples that break the contract", () => {
    expect(validateRawSample({ platform: "healthkit", uuid: "x", type: "HKQuantityTypeIdentifierHeartRate", start: 1, end: 1, source: { bundleId: "a" } })).toMatch(/value and unit/);
    expect(validateRawSample({ platform: "healthconnect", start: "yesterday", end: 1 })).toMatch(/epoch/);
    expect(validateRawSample(null)).toBe("not an object");
  });
});
