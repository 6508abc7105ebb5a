import type { SourceResolver } from "./source";
import type { Window } from "./validate";

/** Per-batch state handed to the item normalizers (built once per envelope). */
export interface BatchContext {
  provider: string;
  now: number;
  sources: SourceResolver;
  /** Scratch slot reused by every item's window check. */
  window: Window;
}

/** Dedup keys: natural keys only (never the SDK id), see index.ts. */
export const sampleKey = (sourceKey: string, seriesType: string, recordedAt: number): string =>
  `${sourceKey}|${seriesType}|${recordedAt}`;

export const eventKey = (sourceKey: string, category: string, startAt: number, endAt: number): string =>
  `${sourceKey}|${category}|${startAt}|${endAt}`;
