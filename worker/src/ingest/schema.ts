/**
 * The sync envelope described with zod (reference §6.2 / SDK §2.3), for the OpenAPI document and typed tests.
 * The hot path does not call it: items are checked by hand in validate.ts and its callers (see the figures there),
 * with exactly these fields. Every object is loose: SDKs add fields over time and those must never reject an item.
 */
import type { SyncEnvelope as ContractEnvelope } from "@ow/contract";
import { z } from "zod";

const timestamp = z.union([z.string(), z.number()]).describe("ISO-8601 (Z or offset; naive = UTC) or Unix time");
const zoneOffset = z.string().nullish().describe('"Z" or ±HH:MM; a malformed value rejects that item only');

export const SourceSchema = z.looseObject({
  appId: z.string().nullish(),
  deviceId: z.string().nullish(),
  deviceName: z.string().nullish(),
  deviceManufacturer: z.string().nullish(),
  deviceModel: z.string().nullish(),
  deviceType: z.string().nullish(),
  recordingMethod: z.string().nullish(),
  deviceHardwareVersion: z.string().nullish(),
  deviceSoftwareVersion: z.string().nullish(),
  operatingSystemVersion: z
    .looseObject({ majorVersion: z.number(), minorVersion: z.number(), patchVersion: z.number() })
    .nullish(),
});

export const MetricRecordSchema = z.looseObject({
  id: z.string().nullish(),
  parentId: z.string().nullish(),
  type: z.string().nullish().describe("HealthKit identifier or Android name (§8.4); unknown types are counted"),
  startDate: timestamp,
  endDate: timestamp,
  zoneOffset,
  source: SourceSchema.nullish(),
  value: z.union([z.number(), z.string()]).describe("number or numeric string"),
  unit: z.string().nullish(),
  metadata: z.unknown().optional(),
});

export const SleepItemSchema = z.looseObject({
  id: z.string().nullish(),
  parentId: z.string().nullish(),
  stage: z.string().describe("in_bed | sleeping | awake | light | deep | rem | unknown"),
  startDate: timestamp,
  endDate: timestamp,
  zoneOffset,
  source: SourceSchema.nullish(),
  values: z.array(z.unknown()).nullish(),
  metadata: z.unknown().optional(),
});

export const WorkoutStatisticSchema = z.looseObject({
  type: z.string(),
  unit: z.string().nullish(),
  value: z.union([z.number(), z.string(), z.boolean()]),
});

export const WorkoutSchema = z.looseObject({
  id: z.string().nullish(),
  parentId: z.string().nullish(),
  type: z.string().nullish(),
  startDate: timestamp,
  endDate: timestamp,
  zoneOffset,
  source: SourceSchema.nullish(),
  title: z.string().nullish(),
  notes: z.string().nullish(),
  values: z.array(WorkoutStatisticSchema).nullish(),
  segments: z.array(z.unknown()).nullish(),
  laps: z.array(z.unknown()).nullish(),
  route: z.array(z.unknown()).nullish(),
  samples: z.array(z.unknown()).nullish(),
  metadata: z.unknown().optional(),
});

export const SyncEnvelopeSchema = z.looseObject({
  provider: z.string().describe("apple | samsung | google (case-insensitive)"),
  sdkVersion: z.string().nullish(),
  syncTimestamp: z.string().nullish(),
  data: z
    .looseObject({
      records: z.array(MetricRecordSchema).nullish(),
      sleep: z.array(SleepItemSchema).nullish(),
      workouts: z.array(WorkoutSchema).nullish(),
    })
    .nullish(),
});

export type SyncEnvelope = z.infer<typeof SyncEnvelopeSchema>;

/**
 * Compile-time check against the wire contract (@ow/contract, which the shim builds its uploads from): every
 * envelope the SDKs send must be accepted by this schema, so the two cannot drift apart.
 */
export const ACCEPTS_CONTRACT_ENVELOPE: ContractEnvelope extends z.input<typeof SyncEnvelopeSchema> ? true : never = true;
