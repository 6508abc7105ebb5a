import { createApp } from "./app";
import { handleQueue } from "./webhooks/consumer";

export { UserDataStore } from "./data/UserDataStore";
export { RateLimiter } from "./ratelimit/RateLimiter";

const app = createApp();

export default {
  fetch: app.fetch,
  queue: handleQueue,
} satisfies ExportedHandler<import("./env").Env>;
