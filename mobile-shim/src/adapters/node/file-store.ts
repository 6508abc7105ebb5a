import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KeyValueStore } from "../../ports/storage";

/**
 * One file per key; writes go to a temp file that is renamed over the target, so a key is always either its
 * old or its new value, even if the process dies mid-write (the engine's crash safety depends on it).
 * `mode` 0o600 for the secure store: on a laptop, file permissions are the closest thing to a Keychain.
 */
export class FileKeyValueStore implements KeyValueStore {
  constructor(readonly dir: string, private readonly mode = 0o644) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  private file(key: string) { return join(this.dir, encodeURIComponent(key).replace(/\*/g, "%2A")); }
  async get(key: string): Promise<string | null> {
    try { return readFileSync(this.file(key), "utf8"); } catch { return null; }
  }
  async set(key: string, value: string): Promise<void> {
    const target = this.file(key);
    const tmp = `${target}.tmp-${process.pid}`;
    writeFileSync(tmp, value, { mode: this.mode });
    renameSync(tmp, target);
  }
  async delete(key: string): Promise<void> { rmSync(this.file(key), { force: true }); }
  async keys(prefix: string): Promise<string[]> {
    return readdirSync(this.dir).filter((f) => !f.includes(".tmp-")).map((f) => decodeURIComponent(f)).filter((k) => k.startsWith(prefix));
  }
}
