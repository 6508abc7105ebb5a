/**
 * The simulated phone store in its own thread (own V8 heap), as HealthKit / Health Connect live outside the
 * app's process on a phone: the shim's heap then holds only what the shim itself keeps, and each read result is
 * copied in, as the platform's query results are. Driven by `StoreInThread` (store-in-thread.ts).
 */
import { parentPort, workerData } from "node:worker_threads";
import { SimulatedHealthStore, type SimulatedStoreOptions } from "../../mobile-shim/src/simulator/simulated-store";

const store = new SimulatedHealthStore({ ...(workerData as Omit<SimulatedStoreOptions, "now">), now: () => Date.now() });
const port = parentPort!;
const methods = new Set(["getAvailableProviders", "setProvider", "requestAuthorization", "read", "headAnchor", "readNewest", "deviceInfo"]);

port.on("message", async (m: { id: number; method: string; args: unknown[] }) => {
  if (m.method === "observe") {
    store.observe(m.args[0] as string[], () => port.postMessage({ event: "change" }));
    return;
  }
  try {
    if (!methods.has(m.method)) throw new Error(`unknown method ${m.method}`);
    const value = await (store as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[m.method]!(...m.args);
    port.postMessage({ id: m.id, value, reads: store.reads, platform: store.platform() });
  } catch (e) {
    port.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
