/**
 * A phone on your laptop:
 *   npm run device -- "<deep link>" [--days N] [--platform ios|android|samsung] [--once] [--profile typical|heavy]
 * Redeems the one-time code of the link, grants permissions, backfills N days from the simulated health store,
 * then keeps delivering new data (or stops after one pass with --once). Progress goes to stderr-free stdout;
 * the last line is a JSON summary. State lives in .device/<user> (like an app sandbox) unless --data-dir.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createNodePlatform } from "../adapters/node/platform";
import { OpenWearablesHealthSdkClient } from "../core/sdk";
import { ALL_HEALTH_DATA_TYPES, AndroidHealthProvider, OWLogLevel } from "../core/types";
import { SimulatedHealthStore, type SimDevice } from "../simulator/simulated-store";
import { ProgressView } from "./progress-view";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    days: { type: "string", default: "30" },
    platform: { type: "string", default: "ios" },
    once: { type: "boolean", default: false },
    profile: { type: "string", default: "typical" },
    "data-dir": { type: "string" },
    "interval-seconds": { type: "string", default: "60" },
    quiet: { type: "boolean", default: false },
  },
});

const link = positionals[0];
const device = values.platform as SimDevice;
if (!link || !["ios", "android", "samsung"].includes(device)) {
  console.error('usage: npm run device -- "<scheme>://connect?host=<host>&code=<CODE>" [--days N] [--platform ios|android|samsung] [--once]');
  process.exit(2);
}
const days = Math.max(1, Number(values.days) || 30);
const started = Date.now();
const store = new SimulatedHealthStore({ device, now: () => Date.now(), historyDays: days + 5, profile: values.profile === "heavy" ? "heavy" : "typical",
  tzMinutes: -new Date().getTimezoneOffset() });
// First-sync progress: a bar on a terminal, plain lines otherwise (log lines print above the bar).
const view = new ProgressView({ write: (t) => process.stdout.write(t), isTTY: !!process.stdout.isTTY,
  columns: process.stdout.columns || Number(process.env.COLUMNS) || 100 },
  (key) => key.replace(/^HK(Quantity|Category|Workout)?TypeIdentifier/, "") || "Workout");
const platform = createNodePlatform({ health: store, dataDir: values["data-dir"] ?? mkdtempSync(join(tmpdir(), "ow-device-")),
  print: (line) => { if (!values.quiet) view.line(line); } });
const sdk = new OpenWearablesHealthSdkClient(platform);
if (!values.quiet) sdk.engine.progress.listen((e) => view.update(e));

async function main() {
  await sdk.setLogLevel(OWLogLevel.always);
  const user = await sdk.handleDeepLink(link!);
  console.log(`Connected to ${sdk.config!.host} as user ${user.userId}`);
  if (device !== "ios") {
    const providers = (await sdk.getAvailableProviders()).filter((p) => p.isAvailable);
    const wanted = device === "samsung" ? AndroidHealthProvider.samsungHealth : AndroidHealthProvider.healthConnect;
    const chosen = providers.find((p) => p.provider === wanted)?.provider ?? AndroidHealthProvider.healthConnect;
    await sdk.setProvider(chosen);
    console.log(`Provider: ${chosen.displayName}`);
  }
  const granted = await sdk.requestAuthorization({ types: [...ALL_HEALTH_DATA_TYPES] });
  console.log(`Permissions: ${granted ? "granted" : "partially granted"}`);
  // The SDK's timers are unref'd (they never keep an app alive): hold the process open while the first sync
  // runs, or a backoff sleep would let Node exit silently mid-sync.
  const keepAlive = setInterval(() => undefined, 60_000);
  await sdk.startBackgroundSync({ syncDaysBack: days }); // starts the first sync
  await sdk.whenIdle();
  clearInterval(keepAlive);
  await Promise.race([sdk.telemetry.idle(), new Promise((r) => setTimeout(r, 2_000))]);
  const summary = async () => {
    const s = await sdk.getSyncStatus();
    const st = sdk.engine.stats;
    return { userId: user.userId, platform: device, store: platform.health.platform(), days,
      initialExportDone: s.initialExportDone, requests: st.requests, retries: st.retries, rawBytes: st.rawBytes, wireBytes: st.wireBytes,
      implausible: s.implausibleCount, deadLettered: s.deadLetteredCount, lastError: s.lastError, seconds: Math.round((Date.now() - started) / 100) / 10 };
  };
  if (values.once) {
    await sdk.stopBackgroundSync();
    console.log(JSON.stringify(await summary()));
    return;
  }
  console.log("Backfill done; delivering new data as it arrives (Ctrl-C to stop)");
  const tick = setInterval(() => store.notifyChange(), Number(values["interval-seconds"]) * 1000);
  process.on("SIGINT", async () => {
    clearInterval(tick);
    await sdk.stopBackgroundSync();
    console.log(JSON.stringify(await summary()));
    process.exit(0);
  });
}

main().catch((e) => {
  console.error(`device: ${(e as Error).message}`);
  console.log(JSON.stringify({ error: (e as Error).name, message: (e as Error).message, statusCode: (e as { statusCode?: number }).statusCode ?? null }));
  process.exit(1);
});
