/**
 * The reference's internal sleep score (backend/app/algorithms/sleep.py with config_algorithms.py defaults, inputs
 * as services/scores/sleep_service.py derives them), ported line for line: four pillars — duration 40 %, stages
 * 20 %, bedtime consistency 20 %, interruptions 20 % — each 0–100, truncated like Python's int().
 */

export const SLEEP_CONFIG = {
  optimalMinHours: 7, optimalMaxHours: 9, undersleepK: 1.5, undersleepMidpoint: 5, oversleepK: 0.8, oversleepMidpoint: 11,
  deepTargetMins: 90, remTargetMins: 90, deepWeight: 0.5, remWeight: 0.5,
  consistencyGraceMins: 15, maxLatePenaltyWindowMins: 105, maxEarlyPenaltyWindowMins: 105, maxEarlyPenaltyPoints: 20,
  rollingWindowNights: 14,
  durationWeightPoints: 80, frequencyWeightPoints: 20, freqScoreFractions: [1, 1, 0.75, 0.5, 0] as const,
  interruptionsGraceMins: 20, maxPenaltyWindowMins: 70, significantWakeThresholdMins: 5,
  impacts: { duration: 0.4, stages: 0.2, consistency: 0.2, interruptions: 0.2 },
} as const;
const C = SLEEP_CONFIG;
const MAX_EXP = 709;

function sigmoid(x: number, k: number, base: number, midpoint: number, anchor: number): number {
  return (base * (1 + Math.exp(Math.min(MAX_EXP, k * (anchor - midpoint))))) / (1 + Math.exp(Math.min(MAX_EXP, k * (x - midpoint))));
}

export function durationScore(hours: number): number {
  if (hours >= C.optimalMinHours && hours <= C.optimalMaxHours) return 100;
  if (hours < C.optimalMinHours) {
    return Math.max(0, Math.min(100, Math.trunc(sigmoid(hours, -C.undersleepK, 100, C.undersleepMidpoint, C.optimalMinHours))));
  }
  return Math.max(50, Math.min(100, Math.trunc(sigmoid(hours, C.oversleepK, 100, C.oversleepMidpoint, C.optimalMaxHours))));
}

const stageScore = (minutes: number, target: number) =>
  minutes >= target ? 100 : minutes <= 0 ? 0 : Math.trunc((minutes / target) * 100);

export function stagesScore(deep: number, rem: number): number {
  const total = stageScore(deep, C.deepTargetMins) * C.deepWeight + stageScore(rem, C.remTargetMins) * C.remWeight;
  return Math.max(0, Math.min(100, Math.trunc(total)));
}

/** Local wall-clock hours past noon (so 23:00 and 01:00 are 11 and 13). */
export const hoursPastNoon = (localMs: number) => {
  const d = new Date(localMs);
  let h = d.getUTCHours() + d.getUTCMinutes() / 60 + d.getUTCSeconds() / 3600;
  if (h < 12) h += 24;
  return h - 12;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** `history` and `tonight`: local bedtimes in ms (wall clock as UTC). No history scores 0, as in the reference. */
export function consistencyScore(history: number[], tonight: number): number {
  if (history.length === 0) return 0;
  const diff = (hoursPastNoon(tonight) - median(history.map(hoursPastNoon))) * 60;
  let penalty = 0;
  if (diff > C.consistencyGraceMins) penalty = ((diff - C.consistencyGraceMins) / C.maxLatePenaltyWindowMins) * 100;
  else if (diff < -C.consistencyGraceMins) {
    penalty = Math.min(C.maxEarlyPenaltyPoints, ((Math.abs(diff) - C.consistencyGraceMins) / C.maxEarlyPenaltyWindowMins) * 100);
  }
  return Math.max(0, Math.trunc(100 - penalty));
}

export function interruptionsScore(awakeMinutes: number, awakenings: number[]): number {
  let duration: number = C.durationWeightPoints;
  if (awakeMinutes > C.interruptionsGraceMins) {
    const ratio = (awakeMinutes - C.interruptionsGraceMins) / C.maxPenaltyWindowMins;
    duration = Math.max(0, C.durationWeightPoints - ratio * C.durationWeightPoints);
  }
  const n = awakenings.filter((d) => d > C.significantWakeThresholdMins).length;
  const freq = C.frequencyWeightPoints * C.freqScoreFractions[Math.min(n, C.freqScoreFractions.length - 1)]!;
  return Math.max(0, Math.min(100, Math.trunc(duration + freq)));
}

/** Wake after sleep onset from the hypnogram: awake blocks between the first and last non-awake stage. */
export function waso(stages: { stage: string; start: number; end: number }[]): { total: number; awakenings: number[] } {
  const asleep = stages.map((s, i) => (s.stage !== "awake" ? i : -1)).filter((i) => i >= 0);
  if (!asleep.length) return { total: 0, awakenings: [] };
  const awakenings = stages.slice(asleep[0], asleep[asleep.length - 1]! + 1)
    .filter((s) => s.stage === "awake").map((s) => (s.end - s.start) / 60_000);
  return { total: awakenings.reduce((a, b) => a + b, 0), awakenings };
}

export interface SleepScoreInput {
  totalSleepMinutes: number;
  deepMinutes: number;
  remMinutes: number;
  awakeMinutes: number;
  /** Local bedtime, wall clock as UTC ms. */
  bedtime: number;
  history: number[];
  stages: { stage: string; start: number; end: number }[] | null;
}

/** The overall score and its pillars; null where the reference refuses (no sleep, or more than 24 h). */
export function sleepScore(i: SleepScoreInput) {
  if (!(i.totalSleepMinutes > 0) || i.totalSleepMinutes > 24 * 60) return null;
  const w = i.stages && i.stages.length ? waso(i.stages) : { total: i.awakeMinutes, awakenings: [] };
  const parts = {
    duration: durationScore(i.totalSleepMinutes / 60),
    stages: stagesScore(i.deepMinutes, i.remMinutes),
    consistency: consistencyScore(i.history, i.bedtime),
    interruptions: interruptionsScore(w.total, w.awakenings),
  };
  const fraction = (parts.duration / 100) * C.impacts.duration + (parts.stages / 100) * C.impacts.stages +
    (parts.consistency / 100) * C.impacts.consistency + (parts.interruptions / 100) * C.impacts.interruptions;
  return { overall: Math.max(0, Math.min(100, Math.trunc(100 * fraction))), parts };
}
