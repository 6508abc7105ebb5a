/** Hot-path parsers shared by every collection. Regexes are compiled once at module load. */

/** Stable machine-readable rejection reasons (part of the API contract: clients and dashboards key on them). */
export const REASONS = {
  not_an_object: "not_an_object",
  missing_field: "missing_field",
  invalid_field: "invalid_field",
  invalid_timestamp: "invalid_timestamp",
  end_before_start: "end_before_start",
  timestamp_in_future: "timestamp_in_future",
  timestamp_too_old: "timestamp_too_old",
  invalid_zone_offset: "invalid_zone_offset",
  non_numeric_value: "non_numeric_value",
  non_finite_value: "non_finite_value",
  value_out_of_range: "value_out_of_range",
  unit_mismatch: "unit_mismatch",
  /** A string field is longer than its documented maximum (limits.ts). */
  field_too_long: "field_too_long",
  /** The item's source would be new and the user already has the most distinct sources allowed. */
  too_many_sources: "too_many_sources",
} as const;
export type Reason = (typeof REASONS)[keyof typeof REASONS];

/** Earliest accepted timestamp: 2000-01-01T00:00:00Z (older dates are zeroed clocks or epoch defaults). */
export const MIN_TIMESTAMP = Date.UTC(2000, 0, 1);
/** How far past `now` a timestamp may lie (Samsung hourly buckets end in the current hour; clocks drift). */
export const MAX_FUTURE_MS = 24 * 60 * 60 * 1000;

// ISO-8601 date-time as Pydantic accepts it: `T` or space, optional seconds and fraction, `Z` or ±HH[:MM], or none.
const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const NUMERIC_RE = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const NON_FINITE_RE = /^\s*[+-]?(?:nan|inf|infinity)\s*$/i;
const ZONE_RE = /^[+-](\d{2}):(\d{2})$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Unix seconds below this are seconds, above are milliseconds (Pydantic's rule). */
const MS_THRESHOLD = 2e10;

/**
 * Epoch milliseconds for an ISO string (naive = UTC, as the reference stores it) or a Unix timestamp (seconds or
 * milliseconds); NaN when unparseable. Sub-millisecond fractions are truncated.
 */
export function parseTimestamp(v: unknown): number {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return NaN;
    return Math.trunc(Math.abs(v) > MS_THRESHOLD ? v : v * 1000);
  }
  if (typeof v !== "string") return NaN;
  // Items of one batch share timestamps (an iOS minute has 17 records starting at the same second; an
  // instantaneous sample's end is its start): the last two strings parsed are remembered.
  if (v === memo[0]) return memo[1];
  if (v === memo[2]) return memo[3];
  const ms = v.length === 20 || v.length === 24 ? parseIsoUtc(v) : parseIsoGeneral(v);
  memo[2] = memo[0];
  memo[3] = memo[1];
  memo[0] = v;
  memo[1] = ms;
  return ms;
}

const memo: [string | null, number, string | null, number] = [null, NaN, null, NaN];

const digit = (v: string, i: number): number => {
  const d = v.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
};
const two = (v: string, i: number): number => digit(v, i) * 10 + digit(v, i + 1);

/**
 * `YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS.mmmZ`, what both SDKs send, read digit by digit; anything else
 * (or anything odd in these) goes to the regex. Faster than the regex on the bench batches: parseTimestamp was
 * 17.6 % of normalizeEnvelope's profile before this path and the memo above (bench/ingest-split.ts, Node --cpu-prof).
 */
function parseIsoUtc(v: string): number {
  const n = v.length;
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 ||
    v.charCodeAt(16) !== 58 || v.charCodeAt(n - 1) !== 90 || (n === 24 && v.charCodeAt(19) !== 46)) return parseIsoGeneral(v);
  const year = two(v, 0) * 100 + two(v, 2);
  const month = two(v, 5);
  const day = two(v, 8);
  const hour = two(v, 11);
  const minute = two(v, 14);
  const second = two(v, 17);
  const frac = n === 24 ? digit(v, 20) * 100 + two(v, 21) : 0;
  // NaN from a non-digit fails every comparison below, so it takes the general path and its answer.
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59 && second <= 59 && frac >= 0)) {
    return parseIsoGeneral(v);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) + frac;
}

/** The general ISO-8601 path (exported for the test that checks the digit path agrees with it). */
export function parseIsoGeneral(v: string): number {
  const m = ISO_RE.exec(v);
  if (m === null) {
    if (NUMERIC_RE.test(v)) return parseTimestamp(Number(v));
    return NaN;
  }
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  const hour = m[4] === undefined ? 0 : +m[4];
  const minute = m[5] === undefined ? 0 : +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]!) return NaN;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return NaN;
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const frac = m[7];
  if (frac !== undefined) ms += Math.trunc(+(frac.length > 3 ? frac.slice(0, 3) : frac.padEnd(3, "0")));
  if (m[9] !== undefined) {
    const oh = +m[10]!;
    const om = m[11] === undefined ? 0 : +m[11];
    if (oh > 23 || om > 59) return NaN;
    const off = (oh * 60 + om) * 60000;
    ms += m[9] === "+" ? -off : off;
  }
  return ms;
}

export type NumberResult = { ok: true; value: number } | { ok: false; reason: Reason };

const NOT_NUMERIC: NumberResult = { ok: false, reason: REASONS.non_numeric_value };
const NOT_FINITE: NumberResult = { ok: false, reason: REASONS.non_finite_value };

/** A JSON number or a decimal string (the reference's `Decimal` accepts both). Booleans are not numbers. */
export function parseNumber(v: unknown, allowBoolean = false): NumberResult {
  if (typeof v === "number") return Number.isFinite(v) ? { ok: true, value: v } : NOT_FINITE;
  if (typeof v === "string") {
    if (NUMERIC_RE.test(v)) {
      const n = Number(v);
      return Number.isFinite(n) ? { ok: true, value: n } : NOT_FINITE; // "1e999"
    }
    return NON_FINITE_RE.test(v) ? NOT_FINITE : NOT_NUMERIC;
  }
  if (allowBoolean && typeof v === "boolean") return { ok: true, value: v ? 1 : 0 };
  return NOT_NUMERIC;
}

/**
 * `null`/absent → null; `"Z"` → `"+00:00"`; otherwise `±HH:MM` within ±18:00 (Java `ZoneOffset`'s range).
 * Returns undefined when malformed.
 */
export function parseZoneOffset(v: unknown): string | null | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v !== "string") return undefined;
  if (v === "Z" || v === "z") return "+00:00";
  const m = ZONE_RE.exec(v);
  if (m === null) return undefined;
  const h = +m[1]!;
  const min = +m[2]!;
  if (min > 59 || h > 18 || (h === 18 && min > 0)) return undefined;
  return v;
}

/** Ids are strings in every SDK; numbers are tolerated (stringified), anything else is dropped to null. */
export function idOf(v: unknown): string | null {
  if (typeof v === "string") return v === "" ? null : v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Removes floating-point noise from unit conversions (0.57 × 100 = 56.99999999999999) without losing precision. */
export function tidy(v: number): number {
  const r = Math.round(v * 1e6) / 1e6;
  return Object.is(r, -0) ? 0 : r;
}
