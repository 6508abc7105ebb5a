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

const HEART_RATE_KEY = { ios: "HKQuantityTypeIdentifierHeartRate", android: "HeartRate", samsung: "HEART_RATE" } as const;

/**
 * Ground truth for the bench: how many heart-rate samples timed in [from, asOf) the phone held at `asOf` (sign-in).
 * Asked of a second store with the same seed and its clock frozen at `asOf`, so samples the watch writes later
 * (2-20 min after the fact) and Health Connect series still open at sign-in are left out, as the phone had them.
 */
async function heartRateHeldAt(asOf: number, from: number): Promise<number> {
  const o = workerData as Omit<SimulatedStoreOptions, "now">;
  const then = new SimulatedHealthStore({ ...o, now: () => asOf });
  if (o.device === "samsung") await then.setProvider("samsung");
  const key = HEART_RATE_KEY[o.device];
  await then.requestAuthorization([key]);
  const head = await then.headAnchor(key);
  let count = 0;
  for (let cursor: string | null = null; ;) {
    // A series record starts at its hour: look an hour further back for samples inside the window.
    const page = await then.readNewest({ key, cursor, limit: 5_000, startAtOrAfter: from - 3_600_000, asOf: head });
    for (const raw of page.samples) {
      const times = raw.platform === "healthconnect" ? (raw.fields.samples as { time: number }[]).map((x) => x.time) : [raw.start];
      count += times.filter((t) => t >= from && t < asOf).length;
    }
    if (!page.hasMore) return count;
    cursor = page.cursor;
  }
}

port.on("message", async (m: { id: number; method: string; args: unknown[] }) => {
  if (m.method === "heartRateHeldAt") {
    port.postMessage({ id: m.id, value: await heartRateHeldAt(m.args[0] as number, m.args[1] as number) });
    return;
  }
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
