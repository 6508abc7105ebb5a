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
