/** Invitation codes as people type them (alphabet, length and normalization are the wire contract). */
import { CODE_ALPHABET, CODE_LENGTH, normalizeCode } from "@ow/contract";

export { CODE_ALPHABET, CODE_LENGTH, normalizeCode };

export type CodeCheck =
  | { kind: "empty" }
  | { kind: "partial"; code: string }
  | { kind: "complete"; code: string }
  | { kind: "bad-chars"; code: string; bad: string[] }
  | { kind: "too-long"; code: string };


export function checkCode(input: string): CodeCheck {
  const code = normalizeCode(input);
  if (!code) return { kind: "empty" };
  const bad = [...new Set([...code].filter((ch) => !CODE_ALPHABET.includes(ch)))];
  if (bad.length) return { kind: "bad-chars", code, bad };
  if (code.length > CODE_LENGTH) return { kind: "too-long", code };
  return code.length === CODE_LENGTH ? { kind: "complete", code } : { kind: "partial", code };
}

/** "K7MPQ2XA" → "K7MP Q2XA": easier to read aloud and compare. */
export const formatCode = (code: string) => code.replace(/^(.{4})(.+)$/, "$1 $2");
