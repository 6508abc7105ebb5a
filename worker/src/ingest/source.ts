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

/**
 * The source object's content as one string (field names and values in order), checking every string against its
 * limit on the way. Equal content gives an equal key, so the cache below can skip the identity work; reading every
 * field is also what bounds fields that only the first item of a source would otherwise have stored.
 */
function contentKey(raw: Record<string, unknown>): string | Failure {
  let key = "";
  for (const k in raw) {
    const v = raw[k];
    if (typeof v === "string") {
      if (v.length > LIMITS.sourceField) return tooLongFailure(`source.${k.slice(0, 40)}`, LIMITS.sourceField);
      key += `${k}\u0001${v}\u0000`;
    } else if (typeof v === "object" && v !== null) {
      const nested = JSON.stringify(v);
      if (nested.length > LIMITS.sourceField) return tooLongFailure(`source.${k.slice(0, 40)}`, LIMITS.sourceField);
      key += `${k}\u0002${nested}\u0000`;
    } else key += `${k}\u0003${v}\u0000`;
  }
  return key;
}

/** Same keys and values (nested objects compared one level deep), for JSON-parsed source objects. */
function sameContent(a: Record<string, unknown>, aKeys: number, b: Record<string, unknown>): boolean {
  let n = 0;
  for (const k in b) {
    const x = a[k];
    const y = b[k];
    if (x !== y) {
      if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
      let m = 0;
      for (const j in y) {
        if ((x as Record<string, unknown>)[j] !== (y as Record<string, unknown>)[j]) return false;
        m++;
      }
      if (m !== keyCount(x as Record<string, unknown>)) return false;
    }
    n++;
  }
  return n === aKeys;
}

function keyCount(o: Record<string, unknown>): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
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
  private readonly recent: { raw: Record<string, unknown>; keys: number; hit: ResolvedSource | Failure }[] = [];
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
    // normalizeEnvelope on the three bench batches went from X to Y ms (bench/ingest-split.ts, Node).
    const recent = this.recent;
    for (let i = 0; i < recent.length; i++) {
      const r = recent[i]!;
      if (sameContent(r.raw, r.keys, raw)) return r.hit;
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
    recent.unshift({ raw, keys: keyCount(raw), hit });
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
