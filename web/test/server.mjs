// The browser tests use the repo's shared launcher: the real Worker (API + this PWA as static assets) under
// `wrangler dev` on a free port, with fresh local D1/Durable Object state and throwaway secrets.
export { ROOT, startWorker } from "../../scripts/local-worker.mjs";
