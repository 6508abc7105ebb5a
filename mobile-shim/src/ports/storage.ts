/**
 * Persistence ports. Every `set` must be atomic per key (write-then-rename on disk, one transaction natively):
 * the engine's crash safety relies on a key holding either its old or its new value, never a torn one.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys starting with `prefix`. */
  keys(prefix: string): Promise<string[]>;
}

/** Credentials only (Keychain / EncryptedSharedPreferences). Same contract as KeyValueStore, separate medium. */
export type SecureStore = KeyValueStore;
