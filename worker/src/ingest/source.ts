/**
 * Source identity. `sourceKey` is what makes two writers of the same sample two samples (different app or device)
 * and one sample re-sent with a new random id still one sample (same app and device). It is built from the stable
 * identity fields only: provider, appId, deviceId, manufacturer, model, device name. Versions, recording method and
 * the SDK's deviceType are excluded so an OS update or a per-record flag does not fork the source.
 */
import { LIMITS, MAX_SOURCES_PER_USER } from "./limits";
import { REASONS, isPlainObject } from "./primitives";
import { fail, tooLongFailure, type Failure } from "./validate";
import type { SourceInfo } from "./types";

function str(o: Record<string, unknown>, camel: string, snake: string): string | null {
  const v = o[camel] ?? o[snake];
  if (typeof v === "string") {
    const t = v.trim();
    return t === "" ? null : t;
  }
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return null;
}

function osVersion(v: unknown): string | null {
  if (!isPlainObject(v)) return null;
  const a = v.majorVersion ?? v.major_version;
  const b = v.minorVersion ?? v.minor_version;
  const c = v.patchVersion ?? v.patch_version;
  return typeof a === "number" && typeof b === "number" && typeof c === "number" ? `${a}.${b}.${c}` : null;
}

const WATCH_BRANDS = [
  "forerunner", "fenix", "venu", "epix", "enduro", "instinct", "tactix", "approach",
  "vantage", "grit x", "pacer", "ignite", "unite", "suunto", "vertical", "race", "peak",
];

/** Reference §8.7: device type inferred from the model string (the SDK's own deviceType is not trusted there). */
export function inferDeviceType(model: string | null, sourceName: string | null): string | null {
  if (model) {
    if (model.startsWith("Watch")) return "watch";
    if (model.startsWith("iPhone") || model.startsWith("iPad")) return "phone";
    const m = model.toLowerCase();
    if (m.includes("watch")) return "watch";
    if (m.includes("band") || m.includes("vivosmart") || m.includes("vivofit")) return "band";
    if (m.includes("ring") || m.includes("oura")) return "ring";
    if (m.includes("phone")) return "phone";
    if (m.includes("scale") || m.includes("index")) return "scale";
    if (WATCH_BRANDS.some((b) => m.includes(b))) return "watch";
    if (m.includes("whoop")) return "band";
    return "other";
  }
  if (sourceName) {
    const n = sourceName.toLowerCase();
    if (n.includes("autosleep")) return "watch";
    if (n.includes("mi band") || n.includes("xiaomi") || n.includes("amazfit band")) return "band";
    if (n.includes("oura")) return "ring";
  }
  return null;
}

export interface ResolvedSource {
  sourceKey: string;
  source: SourceInfo;
}

/** Which sources the user already has, and how many new ones this batch may add (MAX_SOURCES_PER_USER). */
export interface KnownSources {
  has(sourceKey: string): boolean;
  room: number;
}

const NOT_AN_OBJECT: Failure = fail(REASONS.invalid_field, "source must be an object or null");
const TOO_MANY: Failure = fail(REASONS.too_many_sources, `the user already has ${MAX_SOURCES_PER_USER} distinct sources`);

type Raw = Record<string, unknown>;

/**
 * Every string field of `source` that SourceInfo reads (str() below), both spellings. Only these are bounded and
 * compared: other keys are not stored (the body cap bounds them), and operatingSystemVersion holds numbers and, like
 * the other non-identity fields, is taken from the first item of a source in the batch.
 */
export const SOURCE_FIELDS = [
  "appId", "app_id", "deviceId", "device_id", "deviceName", "device_name", "deviceManufacturer", "device_manufacturer",
  "deviceModel", "device_model", "productType", "product_type", "deviceType", "device_type", "recordingMethod",
  "recording_method", "deviceHardwareVersion", "device_hardware_version", "deviceSoftwareVersion",
  "device_software_version", "name", "bundleIdentifier", "bundle_identifier", "version",
] as const;

/**
 * The known fields' values as one string, checking each against its limit on the way. Equal key = equal source
 * as far as SourceInfo can tell, so the cache below can skip the identity work.
 */
function contentKey(raw: Raw): string | Failure {
  let key = "";
  for (const k of SOURCE_FIELDS) {
    const v = raw[k];
    if (typeof v === "string") {
      if (v.length > LIMITS.sourceField) return tooLongFailure(`source.${k}`, LIMITS.sourceField);
      key += `${k}\u0001${v}\u0000`;
    } else if (typeof v === "number" || typeof v === "boolean" || v === null) key += `${k}\u0003${v}\u0000`;
    else if (v !== undefined) key += `${k}\u0002\u0000`; // a kind str() ignores: only its presence matters
  }
  return key;
}

/**
 * SOURCE_FIELDS of `a` and `b` equal. Written out rather than looped over the table: named loads on objects of one
 * shape are monomorphic, a loop's `a[k]` is megamorphic. The for-in comparison this replaced was 4-5 % of the sync
 * route's CPU in workerd (bench/ingest-profile.ts); test/ingest/limits.test.ts checks every SOURCE_FIELDS entry is here.
 */
function sameSource(a: Raw, b: Raw): boolean {
  return a.appId === b.appId && a.deviceName === b.deviceName && a.deviceId === b.deviceId &&
    a.deviceModel === b.deviceModel && a.deviceManufacturer === b.deviceManufacturer && a.deviceType === b.deviceType &&
    a.recordingMethod === b.recordingMethod && a.deviceHardwareVersion === b.deviceHardwareVersion &&
    a.deviceSoftwareVersion === b.deviceSoftwareVersion && a.productType === b.productType && a.name === b.name &&
    a.bundleIdentifier === b.bundleIdentifier && a.version === b.version && a.app_id === b.app_id && a.device_name === b.device_name && a.device_id === b.device_id &&
    a.device_model === b.device_model && a.device_manufacturer === b.device_manufacturer &&
    a.device_type === b.device_type && a.recording_method === b.recording_method &&
    a.device_hardware_version === b.device_hardware_version && a.device_software_version === b.device_software_version &&
    a.product_type === b.product_type && a.bundle_identifier === b.bundle_identifier;
}

/** Recently resolved source objects compared field by field before building a content key (see resolve). */
const RECENT = 8;

/**
 * Resolves item sources with a per-batch cache: a 2,000-record batch usually has a handful of distinct sources, so
 * each SourceInfo object is built once and shared by every item with the same source content. A source new to the
 * user is admitted while `known.room` lasts; past it, its items are rejected with `too_many_sources`.
 */
export class SourceResolver {
  private readonly byContent = new Map<string, ResolvedSource | Failure>();
  private readonly byIdentity = new Map<string, ResolvedSource>();
  private readonly admitted = new Set<string>();
  private readonly recent: { raw: Raw; hit: ResolvedSource | Failure }[] = [];
  private readonly empty: ResolvedSource;

  constructor(private readonly provider: string, private readonly known: KnownSources = { has: () => true, room: Infinity }) {
    this.empty = this.build({}, this.identity({}));
  }

  /** The item's source, or why the item is rejected (not an object, a field too long, too many sources). */
  resolve(raw: unknown): ResolvedSource | Failure {
    if (raw === null || raw === undefined) return this.admit(this.empty);
    if (!isPlainObject(raw)) return NOT_AN_OBJECT;
    // Items of one source carry equal but distinct objects. Comparing with the few sources seen last (a mismatch
    // usually stops at the first field) is cheaper than building and hashing a content key for every item:
    // resolve + contentKey were 29 % of normalizeEnvelope's Node profile before this (bench/ingest-split.ts).
    const recent = this.recent;
    for (let i = 0; i < recent.length; i++) {
      const r = recent[i]!;
      if (sameSource(r.raw, raw)) return r.hit;
    }
    const content = contentKey(raw);
    if (typeof content !== "string") return content;
    let hit = this.byContent.get(content);
    if (hit === undefined) {
      const id = this.identity(raw);
      const recording = str(raw, "recordingMethod", "recording_method");
      const cacheKey = recording === null ? id.sourceKey : `${id.sourceKey}${recording}`;
      // Same identity and recording method, other details (versions): the first one seen describes the source.
      const built = this.byIdentity.get(cacheKey) ?? this.build(raw, id);
      this.byIdentity.set(cacheKey, built);
      hit = this.admit(built);
      this.byContent.set(content, hit);
    }
    if (recent.length === RECENT) recent.pop();
    recent.unshift({ raw, hit });
    return hit;
  }

  /** Distinct source keys this batch resolved (admitted ones only). */
  sourceKeys(): ReadonlySet<string> {
    return this.admitted;
  }

  private admit(r: ResolvedSource): ResolvedSource | Failure {
    if (this.admitted.has(r.sourceKey)) return r;
    if (!this.known.has(r.sourceKey)) {
      if (this.known.room <= 0) return TOO_MANY;
      this.known.room--;
    }
    this.admitted.add(r.sourceKey);
    return r;
  }

  /** The fields that identify a source (versions and recording method do not: an OS update is the same source). */
  private identity(raw: Record<string, unknown>) {
    const appId = str(raw, "appId", "app_id");
    const deviceId = str(raw, "deviceId", "device_id");
    const deviceManufacturer = str(raw, "deviceManufacturer", "device_manufacturer");
    const deviceModel = str(raw, "deviceModel", "device_model") ?? str(raw, "productType", "product_type");
    const deviceName = str(raw, "deviceName", "device_name");
    const sourceKey = JSON.stringify([this.provider, appId, deviceId, deviceManufacturer, deviceModel, deviceName]);
    return { appId, deviceId, deviceManufacturer, deviceModel, deviceName, sourceKey };
  }
  private build(raw: Record<string, unknown>, id: ReturnType<SourceResolver["identity"]>): ResolvedSource {
    const { appId, deviceId, deviceManufacturer, deviceModel, deviceName, sourceKey } = id;
    const name = str(raw, "name", "name");
    const bundleIdentifier = str(raw, "bundleIdentifier", "bundle_identifier");
    const sourceName = name ?? deviceName ?? appId ?? bundleIdentifier;
    const source: SourceInfo = {
      provider: this.provider,
      appId,
      deviceId,
      deviceName,
      deviceManufacturer,
      deviceModel,
      deviceType: str(raw, "deviceType", "device_type"),
      recordingMethod: str(raw, "recordingMethod", "recording_method"),
      sourceName,
      inferredDeviceType: inferDeviceType(deviceModel, sourceName),
      softwareVersion: osVersion(raw.operatingSystemVersion ?? raw.operating_system_version),
      name,
      bundleIdentifier,
      version: str(raw, "version", "version"),
      deviceHardwareVersion: str(raw, "deviceHardwareVersion", "device_hardware_version"),
      deviceSoftwareVersion: str(raw, "deviceSoftwareVersion", "device_software_version"),
    };
    return { sourceKey, source };
  }
}
