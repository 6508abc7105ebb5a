/**
 * Source identity. `sourceKey` is what makes two writers of the same sample two samples (different app or device)
 * and one sample re-sent with a new random id still one sample (same app and device). It is built from the stable
 * identity fields only: provider, appId, deviceId, manufacturer, model, device name. Versions, recording method and
 * the SDK's deviceType are excluded so an OS update or a per-record flag does not fork the source.
 */
import { isPlainObject } from "./primitives";
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

/**
 * Resolves item sources with a per-batch cache: a 2,000-record batch usually has a handful of distinct sources, so
 * each SourceInfo object is built once and shared by every item with the same identity and recording method.
 */
export class SourceResolver {
  private readonly cache = new Map<string, ResolvedSource>();
  private readonly empty: ResolvedSource;

  constructor(private readonly provider: string) {
    this.empty = this.build({}, this.identity({}));
  }

  /** Undefined when `raw` is present but not an object (the item is then rejected). */
  resolve(raw: unknown): ResolvedSource | undefined {
    if (raw === null || raw === undefined) return this.empty;
    if (!isPlainObject(raw)) return undefined;
    const id = this.identity(raw);
    const recording = str(raw, "recordingMethod", "recording_method");
    const cacheKey = recording === null ? id.sourceKey : `${id.sourceKey}${recording}`;
    let hit = this.cache.get(cacheKey);
    if (hit === undefined) {
      hit = this.build(raw, id);
      this.cache.set(cacheKey, hit);
    }
    return hit;
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
