/**
 * Size limits of an upload. Everything the server stores or echoes about a batch is bounded by these, so no accepted
 * body can produce a row near SQLite's 2 MB value limit or an unbounded response.
 *
 * String fields of an item (records, workouts, sleep), in UTF-16 code units; over the limit the item alone is
 * rejected with reason `field_too_long` and the rest of the batch is stored:
 *   id, parentId                                       256
 *   type (record, workout), statistic type             256
 *   unit, statistic unit                                64
 *   stage                                               64
 *   startDate, endDate (as strings), value (as string)  64
 *   zoneOffset                                          16
 *   title                                            1,024
 *   notes                                            4,096
 *   every string of `source` (appId, deviceName, …)    256
 * Not stored, so bounded only by the body cap: `metadata`, and a workout's `segments`, `laps`, `route`, `samples`.
 *
 * Envelope: `provider` is one of three short names (a longer one is a 400 naming only its first 32 characters);
 * `sdkVersion` and `syncTimestamp` are informational and dropped (null) when longer than 64.
 */
export const LIMITS = {
  id: 256,
  type: 256,
  unit: 64,
  stage: 64,
  scalar: 64,
  zoneOffset: 16,
  title: 1024,
  notes: 4096,
  sourceField: 256,
  envelopeField: 64,
  providerEcho: 32,
} as const;

/** Distinct sources (app × device identities) one user may have; items of a new source past it are rejected. */
export const MAX_SOURCES_PER_USER = 1000;

/** Rejections kept per batch (response and sync run); the rest are only counted. */
export const REJECTION_SAMPLE_SIZE = 50;

/** Longest rejection message (messages are built from bounded parts; this is the backstop). */
export const MAX_MESSAGE_LENGTH = 200;

/** True when `v` is a string longer than `max` (non-strings are judged by their own checks). */
export const tooLong = (v: unknown, max: number): boolean => typeof v === "string" && v.length > max;

/** Identifier fields of any item (records, workouts, sleep): stored or echoed, so bounded. */
export const ID_FIELDS = [["id", LIMITS.id], ["parentId", LIMITS.id], ["parent_id", LIMITS.id]] as const;

/**
 * Objects and arrays one upload may contain (counted as `{` and `[` characters before parsing, strings included,
 * so the count can only err high). Memory grows with the number of parsed values more than with bytes: 1 MB of
 * `{}` items grew the local Worker by 34 MB, 1 MB of SDK records by 6 MB (bench/ingest-memory.ts). An SDK batch of
 * 2,000 records has ~5,700; the bound leaves ~5x room for workouts with routes and laps.
 */
export const MAX_JSON_CONTAINERS = 30_000;

/** Null when the body's structure fits the bound, else the 413 detail. ~0.1 ms per MB (two indexOf scans). */
export function tooManyContainers(text: string): string | null {
  let n = 0;
  for (let i = text.indexOf("{"); i !== -1 && n <= MAX_JSON_CONTAINERS; i = text.indexOf("{", i + 1)) n++;
  for (let i = text.indexOf("["); i !== -1 && n <= MAX_JSON_CONTAINERS; i = text.indexOf("[", i + 1)) n++;
  return n > MAX_JSON_CONTAINERS
    ? `Request body too complex: at most ${MAX_JSON_CONTAINERS} JSON objects and arrays per upload; send fewer items per request`
    : null;
}
