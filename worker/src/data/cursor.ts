/** Opaque pagination cursors: base64url of `|`-joined fields. */

export function encodeCursor(...fields: (string | number)[]): string {
  const bytes = new TextEncoder().encode(fields.join("|"));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The cursor's fields, or null when it is not one of ours with `count` fields. */
export function decodeCursor(cursor: string, count: number): string[] | null {
  try {
    const b64 = cursor.replace(/-/g, "+").replace(/_/g, "/");
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    const fields = text.split("|");
    return fields.length === count ? fields : null;
  } catch {
    return null;
  }
}

/** The reference's cursor-paginated envelope (§9): forward pages, total ignoring the cursor. */
export function cursorPage<T>(args: {
  data: T[];
  nextCursor: string | null;
  total: number;
  resolution: string | null;
  start: number;
  end: number;
}) {
  return {
    ok: true as const,
    page: {
      data: args.data,
      pagination: { next_cursor: args.nextCursor, previous_cursor: null, has_more: args.nextCursor !== null, total_count: args.total },
      metadata: {
        resolution: args.resolution,
        sample_count: args.data.length,
        start_time: new Date(args.start).toISOString().replace(".000Z", "Z"),
        end_time: new Date(args.end).toISOString().replace(".000Z", "Z"),
      },
    },
  };
}
