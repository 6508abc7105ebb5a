import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

/** Totals shown by the onboarding status page: counts only, never health values. */
export interface UserDataStats {
  total_records: number;
  total_workouts: number;
  total_sleep_sessions: number;
  first_data_at: string | null;
  last_sync_at: string | null;
}

/** One user's health data: the single writer that makes dedup and upserts safe. */
export class UserDataStore extends DurableObject<Env> {
  /** Removes everything this user ever uploaded. */
  async wipe(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  async stats(): Promise<UserDataStats> {
    // Filled in by the ingest work; until data is stored there is nothing to count.
    return { total_records: 0, total_workouts: 0, total_sleep_sessions: 0, first_data_at: null, last_sync_at: null };
  }
}
