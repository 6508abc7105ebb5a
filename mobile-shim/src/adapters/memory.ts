import type { KeyValueStore } from "../ports/storage";

/** In-memory store (tests, and as the simulator's "app sandbox" when persistence is not wanted). */
export class MemoryKeyValueStore implements KeyValueStore {
  readonly data = new Map<string, string>();
  async get(key: string) { return this.data.get(key) ?? null; }
  async set(key: string, value: string) { this.data.set(key, value); }
  async delete(key: string) { this.data.delete(key); }
  async keys(prefix: string) { return [...this.data.keys()].filter((k) => k.startsWith(prefix)); }
}
