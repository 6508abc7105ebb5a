import { createApp } from "./app";

export { UserDataStore } from "./data/UserDataStore";
export { RateLimiter } from "./ratelimit/RateLimiter";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<import("./env").Env>;
