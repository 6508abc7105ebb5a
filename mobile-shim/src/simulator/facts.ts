/**
 * Platform-neutral "what happened to this body on this day", generated deterministically from (seed, day)
 * so any window can be produced on demand without materialising history. Platform shapers turn facts into
 * HealthKit samples, Health Connect records or Samsung data points.
 */

export const DAY_MS = 86_400_000;
const MIN = 60_000;

/** mulberry32: tiny, fast, good enough for synthetic data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export function mix(...parts: (number | string)[]): number {
  let h = 2166136261;
  for (const p of parts) {
    const s = String(p);
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
    h = Math.imul(h ^ 0x9e3779b9, 2246822519);
  }
  return h >>> 0;
}
export function uuid(rand: () => number): string {
  let s = "";
  for (let i = 0; i < 32; i++) s += Math.floor(rand() * 16).toString(16);
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-${"89ab"[Math.floor(rand() * 4)]}${s.slice(17, 20)}-${s.slice(20, 32)}`;
}
const gauss = (r: () => number) => { const u = Math.max(1e-9, r()); return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r()); };
const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;

export type Fact =
  | { c: "hr"; id: string; t: number; bpm: number; written: number; late?: boolean; sourceApp?: string }
  | { c: "activity"; id: string; start: number; end: number; steps: number; kcal: number; meters: number; floors: number; written: number }
  | { c: "point"; id: string; metric: PointMetric; t: number; value: number; written: number; late?: boolean }
  | { c: "sleep"; id: string; start: number; end: number; stages: { start: number; end: number; stage: "awake" | "light" | "deep" | "rem" }[]; score: number; written: number }
  | { c: "workout"; id: string; start: number; end: number; type: string; kcal: number; meters: number; avgHr: number; maxHr: number; written: number }
  | { c: "bp"; id: string; t: number; sys: number; dia: number; pulse: number; written: number }
  | { c: "body"; id: string; t: number; weight: number; bodyFat: number; lean: number; bmi: number; height: number; written: number; late?: boolean };

export type PointMetric = "restingHr" | "hrv" | "spo2" | "resp" | "glucose" | "temp" | "vo2max" | "walkSpeed" | "stepLength"
  | "asymmetry" | "doubleSupport" | "basal" | "water" | "dietEnergy" | "carbs" | "protein" | "fat" | "mindful";

export interface Profile { hrIntervalMs: number; activeBlocks: number; workoutsPerWeek: number }
export const PROFILES: Record<"typical" | "heavy", Profile> = {
  typical: { hrIntervalMs: 5 * MIN, activeBlocks: 10, workoutsPerWeek: 3 },
  /** Minute-level heart rate all day (a watch in "continuous" mode): ~1,440 samples a day. */
  heavy: { hrIntervalMs: MIN, activeBlocks: 16, workoutsPerWeek: 5 },
};

const WORKOUTS = ["running", "cycling", "walking", "strength_training", "yoga", "swimming", "hiking", "hiit"];

/**
 * Facts whose data falls on UTC day `day` (with the person living at `tzMin` minutes from UTC). `written` is
 * when the phone's store received them (a few minutes after they ended).
 */
export type Concept = Fact["c"];
export const ALL_CONCEPTS: ReadonlySet<Concept> = new Set(["hr", "activity", "point", "sleep", "workout", "bp", "body"]);

export function factsOfDay(seed: number, day: number, profile: Profile, tzMin: number, want: ReadonlySet<Concept> = ALL_CONCEPTS): Fact[] {
  // Independent streams per concept: generating only what a read key needs is cheap and gives identical data.
  let r = prng(mix(seed, "day", day));
  const id = () => uuid(r);
  const base = day * DAY_MS;
  const local = (h: number) => base + h * 3_600_000 - tzMin * MIN; // local hour h → UTC ms
  const lag = () => (2 + r() * 18) * MIN;
  const out: Fact[] = [];
  const fitness = Math.sin(day / 90) * 3; // slow seasonal drift
  // Sleep: last night, ~23:00–07:00 local, in 90-minute cycles.
  const sleepStart = local(-1 + r() * 1.5), sleepEnd = local(6.5 + r() * 1.5);
  const stages: { start: number; end: number; stage: "awake" | "light" | "deep" | "rem" }[] = [];
  for (let t = sleepStart; t < sleepEnd;) {
    const stage = (["light", "deep", "light", "rem", "awake"] as const)[Math.floor(r() * 5)]!;
    const len = Math.min(sleepEnd - t, (stage === "awake" ? 3 + r() * 10 : 15 + r() * 40) * MIN);
    stages.push({ start: Math.round(t), end: Math.round(t + len), stage });
    t += len;
  }
  // The skeleton (sleep, workout) consumes the stream identically whatever is wanted: HR depends on it.
  const sleepFact: Fact = { c: "sleep", id: id(), start: Math.round(sleepStart), end: Math.round(sleepEnd), stages, score: Math.round(60 + r() * 35), written: sleepEnd + lag() };
  if (want.has("sleep")) out.push(sleepFact);
  // Workout on some days.
  let workout: { start: number; end: number } | null = null;
  if (r() < profile.workoutsPerWeek / 7) {
    const start = local(7.5 + r() * 11), dur = (25 + r() * 65) * MIN;
    workout = { start, end: start + dur };
    const type = WORKOUTS[Math.floor(r() * WORKOUTS.length)]!;
    const w: Fact = { c: "workout", id: id(), start: Math.round(start), end: Math.round(start + dur), type, kcal: round(dur / MIN * (6 + r() * 6)),
      meters: ["running", "cycling", "walking", "hiking", "swimming"].includes(type) ? round(dur / MIN * (type === "cycling" ? 380 : 120) * (0.8 + r() * 0.4)) : 0,
      avgHr: Math.round(125 + r() * 30), maxHr: Math.round(160 + r() * 25), written: start + dur + lag() };
    if (want.has("workout")) out.push(w);
  }
  // Heart rate through the whole day: circadian baseline, higher when active, much higher in a workout.
  r = prng(mix(seed, "hr", day));
  if (want.has("hr")) for (let t = base; t < base + DAY_MS; t += profile.hrIntervalMs) {
    const ts = Math.round(t + r() * 20_000);
    const asleep = ts >= sleepStart && ts < sleepEnd;
    const inWorkout = workout && ts >= workout.start && ts < workout.end;
    const bpm = inWorkout ? 130 + gauss(r) * 12 : asleep ? 54 - fitness + gauss(r) * 3 : 70 - fitness + gauss(r) * 8;
    out.push({ c: "hr", id: id(), t: ts, bpm: Math.round(Math.max(38, Math.min(195, bpm))), written: ts + lag() });
  }
  // Walking blocks during the waking day.
  r = prng(mix(seed, "activity", day));
  const blocks = Math.round(profile.activeBlocks * (0.6 + r() * 0.8));
  if (want.has("activity")) for (let i = 0; i < blocks; i++) {
    const start = local(7 + r() * 15), dur = (3 + r() * 12) * MIN;
    const steps = Math.round(dur / MIN * (60 + r() * 50));
    out.push({ c: "activity", id: id(), start: Math.round(start), end: Math.round(start + dur), steps, kcal: round(steps * 0.045, 1),
      meters: round(steps * 0.75, 1), floors: r() < 0.2 ? 1 + Math.floor(r() * 3) : 0, written: start + dur + lag() });
  }
  const wake = sleepEnd;
  r = prng(mix(seed, "point", day));
  if (!want.has("point") && !want.has("body") && !want.has("bp")) return out;
  const point = (metric: PointMetric, t: number, value: number) => {
    const f: Fact = { c: "point", id: id(), metric, t: Math.round(t), value, written: t + lag() };
    if (want.has("point")) out.push(f);
  };
  point("restingHr", wake + 30 * MIN, Math.round(58 - fitness + gauss(r) * 2));
  for (let i = 0; i < 3; i++) point("hrv", sleepStart + (i + 1) * 2 * 3_600_000, round(45 + fitness * 2 + gauss(r) * 10, 1));
  for (let i = 0; i < 4; i++) point("spo2", sleepStart + (i + 0.5) * 2 * 3_600_000, round(0.95 + r() * 0.04, 2));
  for (let i = 0; i < 4; i++) point("resp", sleepStart + (i + 0.7) * 2 * 3_600_000, round(13 + gauss(r), 1));
  for (let i = 0; i < 4; i++) point("walkSpeed", local(9 + i * 3), round(1.2 + r() * 0.3, 2));
  point("stepLength", local(12), round(0.7 + r() * 0.08, 2));
  point("asymmetry", local(13), round(0.01 + r() * 0.05, 3));
  point("doubleSupport", local(14), round(0.25 + r() * 0.05, 3));
  for (let h = 0; h < 24; h++) point("basal", base + h * 3_600_000 + 59 * MIN, round(65 + r() * 5, 1));
  for (let i = 0; i < 3; i++) point("water", local(8 + i * 5), round(0.25 + r() * 0.25, 2));
  for (const [h, kcal] of [[8, 450], [13, 700], [19, 800]] as const) {
    point("dietEnergy", local(h), Math.round(kcal * (0.7 + r() * 0.6)));
    point("carbs", local(h), Math.round(kcal * 0.12)); point("protein", local(h), Math.round(kcal * 0.05)); point("fat", local(h), Math.round(kcal * 0.035));
  }
  if (r() < 0.3) point("mindful", local(21), 10);
  if (day % 7 === 0) {
    point("vo2max", local(18), round(42 + fitness + gauss(r), 1));
    const weight = round(78 - fitness * 0.8 + gauss(r) * 0.4, 1);
    const body: Fact = { c: "body", id: id(), t: Math.round(local(7.2)), weight, bodyFat: round(19 + gauss(r), 1), lean: round(weight * 0.8, 1), bmi: round(weight / 1.78 ** 2, 1), height: 1.78, written: local(7.2) + lag() };
    const bp: Fact = { c: "bp", id: id(), t: Math.round(local(8)), sys: Math.round(120 + gauss(r) * 7), dia: Math.round(79 + gauss(r) * 5), pulse: Math.round(64 + gauss(r) * 4), written: local(8) + lag() };
    if (want.has("body")) out.push(body);
    if (want.has("bp")) out.push(bp);
  }
  if (day % 5 === 0) point("glucose", local(9), Math.round(92 + gauss(r) * 10));
  if (day % 11 === 0) point("temp", local(7.5), round(36.6 + gauss(r) * 0.2, 1));
  return out;
}

/**
 * Data written on day `writeDay` about the past: a scale app syncing a reading from weeks ago, a third-party
 * app importing an old hour of heart rate. Their timestamps are older than anything a timestamp cursor would
 * still look at; only change tracking (anchors) delivers them.
 */
export function lateFactsWrittenOn(seed: number, writeDay: number, tzMin: number): Fact[] {
  const r = prng(mix(seed, "late", writeDay));
  if (r() > 0.12) return [];
  const ageDays = 3 + Math.floor(r() * 40);
  const dataDay = writeDay - ageDays;
  const written = writeDay * DAY_MS + (9 + r() * 10) * 3_600_000;
  const out: Fact[] = [];
  const t0 = dataDay * DAY_MS + (10 - tzMin / 60) * 3_600_000;
  for (let i = 0; i < 30; i++) {
    out.push({ c: "hr", id: uuid(r), t: t0 + i * 120_000, bpm: Math.round(75 + gauss(r) * 6), written: written + i, late: true, sourceApp: "com.polar.flow" });
  }
  const weight = round(78 + gauss(r), 1);
  out.push({ c: "body", id: uuid(r), t: t0 - 2 * 3_600_000, weight, bodyFat: round(19 + gauss(r), 1), lean: round(weight * 0.8, 1),
    bmi: round(weight / 1.78 ** 2, 1), height: 1.78, written: written + 100, late: true });
  return out;
}
