import type { RawSample } from "../ports/raw-samples";

/**
 * Runtime check of the native → TypeScript JSON contract (ports/raw-samples.ts). Native bugs surface here as
 * one dropped sample with a counted reason, never as a crash of the whole pass.
 */
export function validateRawSample(x: unknown): RawSample | string {
  if (!x || typeof x !== "object") return "not an object";
  const o = x as Record<string, unknown>;
  const num = (k: string) => typeof o[k] === "number" && Number.isFinite(o[k] as number);
  const str = (k: string) => typeof o[k] === "string" && (o[k] as string).length > 0;
  if (!num("start") || !num("end")) return "start/end must be epoch milliseconds";
  switch (o.platform) {
    case "healthkit":
      if (!str("uuid") || !str("type")) return "healthkit: uuid and type required";
      if (!o.source || typeof (o.source as Record<string, unknown>).bundleId !== "string") return "healthkit: source.bundleId required";
      if (String(o.type).startsWith("HKQuantityType") && (!num("value") || typeof o.unit !== "string")) return "healthkit: quantity needs value and unit";
      return x as RawSample;
    case "healthconnect":
      if (!str("recordType") || !str("id") || typeof o.dataOrigin !== "string") return "healthconnect: recordType, id, dataOrigin required";
      if (!o.fields || typeof o.fields !== "object") return "healthconnect: fields required";
      return x as RawSample;
    case "samsung":
      if (!str("dataType") || typeof o.uid !== "string") return "samsung: dataType and uid required";
      if (!o.fields || typeof o.fields !== "object") return "samsung: fields required";
      return x as RawSample;
    default:
      return "unknown platform";
  }
}
