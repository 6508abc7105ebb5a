/**
 * Opaque pagination cursors (base64url of `|`-joined fields, the last one the direction) and keyset paging both
 * ways. A page read forward (no cursor, or a `next_cursor`) carries `next_cursor` when more rows follow and
 * `previous_cursor` when it was reached through a cursor; a page read backward (a `previous_cursor`) carries
 * `previous_cursor` when more rows precede and `next_cursor` back to where the client came from.
 * `has_more` always means "rows follow this page" (`next_cursor !== null`).
 */

export type Direction = "next" | "prev";

export function encodeCursor(...fields: (string | number)[]): string {
  const bytes = new TextEncoder().encode(fields.join("|"));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The cursor's fields, or null when it is not one of ours with `count` fields. */
export function decodeCursor(cursor: string, count: number): string[] | null {
  try {
    if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
    const b64 = cursor.replace(/-/g, "+").replace(/_/g, "/");
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    const fields = text.split("|");
    return fields.length === count ? fields : null;
  } catch {
    return null;
  }
}

export const pageCursor = (dir: Direction, fields: (string | number)[]) => encodeCursor(...fields, dir === "prev" ? "p" : "n");

/** A paging cursor's key fields and direction; cursors issued before directions existed read as forward. */
export function decodePageCursor(cursor: string, count: number): { fields: string[]; dir: Direction } | null {
  const withDir = decodeCursor(cursor, count + 1);
  if (withDir && (withDir[count] === "n" || withDir[count] === "p")) {
    return { fields: withDir.slice(0, count), dir: withDir[count] === "p" ? "prev" : "next" };
  }
  const legacy = decodeCursor(cursor, count);
  return legacy ? { fields: legacy, dir: "next" } : null;
}

/**
 * SQL for one keyset page over `cols` listed in `order`: the comparison against the cursor key (null without a
 * cursor) and the ORDER BY to read in. Backward pages read in reverse and are turned around by `keysetPage`.
 */
export function keysetSql(cols: string[], order: "ASC" | "DESC", dir: Direction | null) {
  const reverse = dir === "prev";
  const ascending = (order === "ASC") !== reverse;
  const cond = dir === null ? null : `(${cols.join(", ")}) ${ascending ? ">" : "<"} (${cols.map(() => "?").join(", ")})`;
  return { cond, orderBy: cols.map((c) => `${c} ${ascending ? "ASC" : "DESC"}`).join(", ") };
}

/** Cuts `limit + 1` fetched rows to a page in display order, with cursors both ways. */
export function keysetPage<T>(fetched: T[], limit: number, dir: Direction | null, key: (row: T) => (string | number)[]) {
  const more = fetched.length > limit;
  const rows = fetched.slice(0, limit);
  if (dir === "prev") rows.reverse();
  const first = rows[0];
  const last = rows[rows.length - 1];
  const next = dir === "prev" ? (last ? pageCursor("next", key(last)) : null) : more && last ? pageCursor("next", key(last)) : null;
  const prev = dir === "prev" ? (more && first ? pageCursor("prev", key(first)) : null) : dir === "next" && first ? pageCursor("prev", key(first)) : null;
  return { rows, next, prev };
}

export const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

/** The reference's cursor-paginated envelope (§9), with a total that ignores the cursor. */
export function cursorPage<T>(args: {
  data: T[];
  nextCursor: string | null;
  previousCursor?: string | null;
  total: number | null;
  resolution: string | null;
  start: number | null;
  end: number | null;
}) {
  return {
    ok: true as const,
    page: {
      data: args.data,
      pagination: {
        next_cursor: args.nextCursor, previous_cursor: args.previousCursor ?? null, has_more: args.nextCursor !== null,
        total_count: args.total,
      },
      metadata: {
        resolution: args.resolution,
        sample_count: args.data.length,
        start_time: args.start === null ? null : isoSeconds(args.start),
        end_time: args.end === null ? null : isoSeconds(args.end),
      },
    },
  };
}
