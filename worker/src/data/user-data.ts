import type { Env } from "../env";

/** Each user's health data lives in one SQLite-backed Durable Object, named by the user id. */
export const userDataStub = (env: Env, userId: string) => env.USER_DATA.get(env.USER_DATA.idFromName(userId));

export async function deleteUserData(env: Env, userId: string): Promise<void> {
  await userDataStub(env, userId).wipe();
}
