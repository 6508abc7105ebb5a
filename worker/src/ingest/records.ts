/** `data.records[]` → NormalizedSample (reference §6.5 with unit-driven conversion and bounds). */
import { sampleKey, type BatchContext } from "./context";
import { REASONS, idOf, parseNumber, tidy } from "./primitives";
import { SDK_TYPE_MAP, type SdkTypeEntry } from "./sdk-type-map";
import { SERIES_TYPES, withinBounds, type SeriesTypeDef } from "./series-types";
import { MMOL_TO_MG_DL, lookupUnit, unitTable, type Conversion } from "./units";
import { ID_FIELDS, LIMITS, tooLong } from "./limits";
import { checkLengths, checkWindow, fail, tooLongFailure, type Failure } from "./validate";
import type { NormalizedSample } from "./types";

interface Resolved {
  entry: SdkTypeEntry;
  series: string;
  def: SeriesTypeDef;
  units: Map<string, Conversion>;
}

// Everything per SDK type is resolved once at module load, so an item costs one Map lookup.
const RESOLVED = new Map<string, Resolved>();
for (const [type, entry] of SDK_TYPE_MAP) {
  const def = SERIES_TYPES[entry.series];
  if (!def) throw new Error(`sdk-type-map: unknown series ${entry.series}`);
  RESOLVED.set(type, { entry, series: entry.series, def, units: unitTable(entry.series, def.unit) });
}

/** Factor/offset for `unit` into `r`'s canonical unit, or null when the unit does not fit the type. */
export function conversionFor(
  r: { entry: { pct?: number; pctAppleOnly?: boolean }; series: string; def: SeriesTypeDef; units: Map<string, Conversion> },
  unit: string,
  provider: string,
): Conversion | null {
  if (unit === "%") {
    const { pct, pctAppleOnly } = r.entry;
    if (pct !== undefined) return { factor: pctAppleOnly && provider !== "apple" ? 1 : pct, offset: 0 };
    return r.def.unit === "percent" ? { factor: 1, offset: 0 } : null;
  }
  const c = lookupUnit(r.units, unit);
  if (c) return c;
  if (r.series === "blood_glucose" && unit.trim().toLowerCase().startsWith("mmol")) {
    return { factor: MMOL_TO_MG_DL, offset: 0 };
  }
  return null;
}

export type RecordOutcome = NormalizedSample | Failure | { unknownType: string };

const MAX_TYPE_LABEL = 100;

// Shared, not allocated per item: a body of millions of non-objects must not churn the heap.
const NOT_A_RECORD = fail(REASONS.not_an_object, "record must be an object");

export function normalizeRecord(item: unknown, ctx: BatchContext): RecordOutcome {
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    return NOT_A_RECORD;
  }
  const rec = item as Record<string, unknown>;
  const type = rec.type;
  if (typeof type !== "string") {
    if (type === null || type === undefined) return { unknownType: "(none)" };
    return fail(REASONS.invalid_field, "type must be a string");
  }
  if (type.length > LIMITS.type) return tooLongFailure("type", LIMITS.type);
  const r = RESOLVED.get(type);
  if (r === undefined) return { unknownType: type.length > MAX_TYPE_LABEL ? type.slice(0, MAX_TYPE_LABEL) : type };

  const w = ctx.window;
  const bad = checkLengths(rec, ID_FIELDS) ?? checkWindow(rec, ctx.now, w);
  if (bad) return bad;

  const rawValue = rec.value;
  if (rawValue === null || rawValue === undefined) return fail(REASONS.missing_field, "value is required");
  if (tooLong(rawValue, LIMITS.scalar)) return tooLongFailure("value", LIMITS.scalar);
  const num = parseNumber(rawValue);
  if (!num.ok) {
    return fail(num.reason, num.reason === REASONS.non_finite_value ? "value is not finite" : "value is not a number");
  }

  const rawUnit = rec.unit;
  let unit: string;
  if (rawUnit === null || rawUnit === undefined || rawUnit === "") unit = r.entry.defaultUnit ?? r.def.unit;
  else if (typeof rawUnit === "string") {
    if (rawUnit.length > LIMITS.unit) return tooLongFailure("unit", LIMITS.unit);
    unit = rawUnit;
  }
  else return fail(REASONS.invalid_field, "unit must be a string or null");
  const conv = conversionFor(r, unit, ctx.provider);
  if (conv === null) return fail(REASONS.unit_mismatch, `unit "${unit.slice(0, 40)}" does not fit ${r.series}`);

  let value = tidy(num.value * conv.factor + conv.offset);
  // SpO2 ≤ 1 % is not survivable, so such a value can only be an unscaled 0–1 fraction (older SDKs).
  if (r.series === "oxygen_saturation" && value > 0 && value <= 1) value = tidy(value * 100);
  if (!withinBounds(r.def, value)) {
    return fail(
      REASONS.value_out_of_range,
      `value outside ${r.def.gt0 ? "(" : "["}${r.def.min}, ${r.def.max}] ${r.def.unit} for ${r.series}`,
    );
  }

  const src = ctx.sources.resolve(rec.source);
  if ("reason" in src) return src;

  return {
    key: sampleKey(src.sourceKey, r.series, w.start),
    seriesType: r.series,
    seriesTypeId: r.def.id,
    recordedAt: w.start,
    endAt: w.end === w.start ? null : w.end,
    value,
    unit: r.def.unit,
    sourceKey: src.sourceKey,
    source: src.source,
    externalId: idOf(rec.id),
    zoneOffset: w.zoneOffset,
    origin: "record",
  };
}
