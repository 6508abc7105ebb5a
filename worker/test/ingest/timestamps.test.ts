import { describe, expect, it } from "vitest";
import { parseIsoGeneral, parseTimestamp } from "../../src/ingest/primitives";

describe("parseTimestamp's digit path agrees with the regex path", () => {
  it("on valid, invalid and odd 20/24-character timestamps", () => {
    const fixed = [
      "2026-02-20T08:00:00Z", "2026-02-20T08:00:00.123Z", "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
      "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z",
      "2026-01-01 00:00:00Z", "2026-01-01t00:00:00z", "2026-01-01T00:00:00+", "20x6-01-01T00:00:00Z", "2026-01-01T00:00:00.1x3Z",
      "2026-01-31T00:00:00Z", "1999-12-31T23:59:59Z", "0099-01-01T00:00:00Z", "+026-01-01T00:00:00Z", "2026-01-01T00:00:00,123Z",
    ];
    let seed = 7;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    const chars = "0123456789-T:.Z +";
    const random = Array.from({ length: 3000 }, () => {
      const base = [...(rand(2) ? "2026-02-20T08:00:00Z" : "2026-02-20T08:00:00.123Z")];
      for (let k = rand(3); k > 0; k--) base[rand(base.length)] = chars[rand(chars.length)]!;
      return base.join("");
    });
    for (const v of [...fixed, ...random]) {
      const a = parseTimestamp(v);
      const b = parseIsoGeneral(v);
      expect(Number.isNaN(a) ? "NaN" : a, v).toEqual(Number.isNaN(b) ? "NaN" : b);
    }
  });

  it("the memo does not leak one value into another", () => {
    expect(parseTimestamp("2026-02-20T08:00:00Z")).toBe(Date.UTC(2026, 1, 20, 8));
    expect(parseTimestamp("2026-02-20T08:00:01Z")).toBe(Date.UTC(2026, 1, 20, 8, 0, 1));
    expect(parseTimestamp("2026-02-20T08:00:00Z")).toBe(Date.UTC(2026, 1, 20, 8));
    expect(parseTimestamp("bad")).toBeNaN();
    expect(parseTimestamp("2026-02-20T08:00:01Z")).toBe(Date.UTC(2026, 1, 20, 8, 0, 1));
  });
});
