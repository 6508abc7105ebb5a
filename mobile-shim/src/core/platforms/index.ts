import type { StorePlatform } from "../../ports/health-store";
import type { HCRawRecord, HKRawSample, RawSample, SamsungRawPoint } from "../../ports/raw-samples";
import type { PayloadItem } from "../payload";
import type { HealthDataType, PayloadProvider } from "../types";
import { hcReadKeys, hcToItems } from "./health-connect";
import { hkReadKeys, hkToItems } from "./healthkit";
import { samsungReadKeys, samsungToItems } from "./samsung";

export interface PlatformMapping {
  provider: PayloadProvider;
  readKeys(types: readonly HealthDataType[]): string[];
  toItems(raw: RawSample): PayloadItem[];
}

const MAPPINGS: Record<StorePlatform, PlatformMapping> = {
  healthkit: { provider: "apple", readKeys: hkReadKeys, toItems: (r) => hkToItems(r as HKRawSample) },
  healthconnect: { provider: "google", readKeys: hcReadKeys, toItems: (r) => hcToItems(r as HCRawRecord) },
  samsung: { provider: "samsung", readKeys: samsungReadKeys, toItems: (r) => samsungToItems(r as SamsungRawPoint) },
};

export const mappingFor = (platform: StorePlatform): PlatformMapping => MAPPINGS[platform];
