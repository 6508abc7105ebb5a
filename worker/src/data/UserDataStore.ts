import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

/** One user's health data: the single writer that makes dedup and upserts safe. */
export class UserDataStore extends DurableObject<Env> {
  /** Removes everything this user ever uploaded. */
  async wipe(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
