/**
 * Input unit → canonical unit conversions. Which input units fit a series type is decided by the series' canonical
 * unit (plus a few per-series extras); a unit outside that set is rejected as `unit_mismatch` rather than stored
 * under the wrong scale. Conversion is driven by the unit actually sent, so `m` becomes `cm` wherever the model
 * stores centimetres (height, step length, stride length, waist), `L` becomes `mL` for hydration, `Cal` is kcal.
 *
 * `%` is not in these tables: its meaning depends on the SDK type (0–1 fraction or 0–100), see sdk-type-map.ts.
 */

export interface Conversion {
  factor: number;
  offset: number;
}

export const IDENTITY: Conversion = Object.freeze({ factor: 1, offset: 0 });

type Spec = number | readonly [factor: number, offset: number];

const F_TO_C: Spec = [5 / 9, -160 / 9];

/** Accepted input units per canonical unit. Keys are the strings the SDKs (and HealthKit fallbacks) write. */
const BY_CANONICAL: Record<string, Record<string, Spec>> = {
  bpm: { bpm: 1, "count/min": 1, "beats/min": 1, "/min": 1, "1/min": 1 },
  ms: { ms: 1, s: 1000 },
  percent: { percent: 1 },
  mg_dl: { "mg/dL": 1, "mg/dl": 1 },
  mmHg: { mmHg: 1 },
  brpm: { brpm: 1, "breaths/min": 1, "count/min": 1, "/min": 1, "1/min": 1 },
  count: { count: 1 },
  score: { score: 1, count: 1 },
  liters: { L: 1, l: 1, liters: 1, mL: 0.001, ml: 0.001 },
  "L/min": { "L/min": 1, "l/min": 1, "mL/min": 0.001 },
  cm: { cm: 1, m: 100, mm: 0.1, in: 2.54 },
  kg: { kg: 1, g: 0.001, lb: 0.45359237 },
  kg_m2: { kg_m2: 1, "kg/m²": 1, "kg/m2": 1, "kg/m^2": 1, count: 1 /* HealthKit's BMI unit */ },
  celsius: { celsius: 1, degC: 1, "°C": 1, C: 1, degF: F_TO_C, "°F": F_TO_C },
  ml_kg_min: { ml_kg_min: 1, "mL/kg/min": 1, "ml/kg/min": 1, "mL/(kg·min)": 1, "ml/(kg*min)": 1, "mL/min·kg": 1 },
  meters: { meters: 1, m: 1, km: 1000, cm: 0.01, mi: 1609.344, ft: 0.3048, yd: 0.9144 },
  years: { years: 1, yr: 1 },
  // HealthKit's `Cal` is the large calorie (= kcal); lower-case `cal` is the small one.
  kcal: { kcal: 1, Cal: 1, kJ: 0.2390057361376673, cal: 0.001 },
  minutes: { minutes: 1, min: 1, s: 1 / 60, ms: 1 / 60000, h: 60, hr: 60 },
  met: { met: 1, MET: 1, "kcal/(kg·hr)": 1, "kcal/kg/hr": 1, "kcal/(kg*hr)": 1, "kcal/hr·kg": 1 },
  m_per_s: { m_per_s: 1, "m/s": 1, "km/h": 1 / 3.6, "km/hr": 1 / 3.6 },
  watts: { watts: 1, W: 1 },
  rpm: { rpm: 1, "count/min": 1, "/min": 1, spm: 1 },
  dB: { dB: 1, dBASPL: 1, "dB SPL": 1, dBA: 1 },
  degrees: { degrees: 1, deg: 1, "°": 1 },
  mL: { mL: 1, ml: 1, L: 1000, l: 1000, fl_oz_us: 29.5735295625 },
};

/** Units that only make sense for one series type (on top of its canonical unit's set). */
const BY_SERIES: Record<string, Record<string, Spec>> = {
  // Health Connect sends BMR as kcal/day; the reference stores it as-is under basal_energy.
  basal_energy: { "kcal/day": 1 },
  insulin_delivery: { IU: 1 },
  electrodermal_activity: { µS: 1, uS: 1, mcS: 1 },
  physical_effort: { "kcal/(kg·hr)": 1, "kcal/kg/hr": 1, "kcal/hr·kg": 1 },
  workout_effort_score: { appleEffortScore: 1 },
  estimated_workout_effort_score: { appleEffortScore: 1 },
};

/** HealthKit writes glucose in mmol as e.g. `mmol<180.1558800000541>/L`; the reference matches the prefix. */
export const MMOL_TO_MG_DL = 18.0182;

const toConversion = (s: Spec): Conversion =>
  typeof s === "number" ? { factor: s, offset: 0 } : { factor: s[0], offset: s[1] };

function buildTable(canonical: string, series: string): Map<string, Conversion> {
  const out = new Map<string, Conversion>();
  const add = (specs: Record<string, Spec> | undefined) => {
    if (!specs) return;
    for (const [u, s] of Object.entries(specs)) out.set(u, toConversion(s));
  };
  out.set(canonical, IDENTITY); // the canonical spelling itself (`mg_dl`, `percent`, …) always fits
  add(BY_CANONICAL[canonical]);
  add(BY_SERIES[series]);
  // Case-insensitive fallbacks, except where two spellings mean different things (Cal/cal, L/l are equal, fine).
  const lower = new Map<string, Conversion | null>();
  for (const [u, c] of out) {
    const k = u.toLowerCase();
    const prev = lower.get(k);
    if (prev === undefined) lower.set(k, c);
    else if (prev && (prev.factor !== c.factor || prev.offset !== c.offset)) lower.set(k, null);
  }
  for (const [k, c] of lower) if (c && !out.has(k)) out.set(k, c);
  return out;
}

const cache = new Map<string, Map<string, Conversion>>();

/** Accepted units for one series type, built once per series type and reused for every item. */
export function unitTable(series: string, canonical: string): Map<string, Conversion> {
  let t = cache.get(series);
  if (!t) {
    t = buildTable(canonical, series);
    cache.set(series, t);
  }
  return t;
}

/**
 * Conversion for `unit` into `series`' canonical unit, or null when the unit does not fit. Exact match first (the
 * SDKs are consistent), then trimmed / lower-cased.
 */
export function lookupUnit(table: Map<string, Conversion>, unit: string): Conversion | null {
  const hit = table.get(unit);
  if (hit) return hit;
  const t = unit.trim();
  return table.get(t) ?? table.get(t.toLowerCase()) ?? null;
}
