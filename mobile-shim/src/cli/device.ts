/**
 * A phone on your laptop:
 *   npm run device -- "<deep link>" [--days N] [--platform ios|android|samsung] [--once] [--profile typical|heavy]
 *   npm run device -- --user <user id> [--once] ...     resume that phone from .device/<user id>
 * Redeems the one-time code of the link, grants permissions, backfills N days from the simulated health store,
 * then keeps delivering new data (or stops after one pass with --once). Progress goes to stderr-free stdout;
 * the last line is a JSON summary. State lives in .device/<user> under the directory npm was run from (like an
 * app sandbox: session, sync cursors, pending uploads), or in --data-dir; a link always starts a fresh phone.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
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
    user: { type: "string" },
    "interval-seconds": { type: "string", default: "60" },
    quiet: { type: "boolean", default: false },
  },
});

const link = positionals[0];
const device = values.platform as SimDevice;
if ((!link && !values.user) || !["ios", "android", "samsung"].includes(device)) {
  console.error('usage: npm run device -- "<scheme>://connect?host=<host>&code=<CODE>" [--days N] [--platform ios|android|samsung] [--once]\n' +
    "       npm run device -- --user <user id> [--once]   (resume the phone saved in .device/<user id>)");
  process.exit(2);
}
// npm runs workspace scripts inside mobile-shim/; INIT_CWD is where the person typed the command. OW_DEVICE_DIR overrides.
const devicesDir = process.env.OW_DEVICE_DIR ?? join(process.env.INIT_CWD ?? process.cwd(), ".device");
const days = Math.max(1, Number(values.days) || 30);
const started = Date.now();
const store = new SimulatedHealthStore({ device, now: () => Date.now(), historyDays: days + 5, profile: values.profile === "heavy" ? "heavy" : "typical",
  tzMinutes: -new Date().getTimezoneOffset() });
// First-sync progress: a bar on a terminal, plain lines otherwise (log lines print above the bar).
const view = new ProgressView({ write: (t) => process.stdout.write(t), isTTY: !!process.stdout.isTTY,
  columns: process.stdout.columns || Number(process.env.COLUMNS) || 100 },
  (key) => key.replace(/^HK(Quantity|Category|Workout)?TypeIdentifier/, "") || "Workout");
const print = (line: string) => { if (!values.quiet) view.line(line); };
const phone = (dataDir: string) => {
  const platform = createNodePlatform({ health: store, dataDir, print });
  const sdk = new OpenWearablesHealthSdkClient(platform);
  if (!values.quiet) sdk.engine.progress.listen((e) => view.update(e));
  return { platform, sdk };
};

/** A link redeems its code into a staging directory, which then becomes .device/<user> (replacing an older one). */
async function connect(): Promise<string> {
  if (values["data-dir"]) {
    mkdirSync(values["data-dir"], { recursive: true });
    return values["data-dir"];
  }
  if (!link) {
    const dir = join(devicesDir, values.user!);
    if (!existsSync(dir)) throw new Error(`no saved phone for user ${values.user} in ${dir}; connect one first with a link`);
    return dir;
  }
  const staging = join(devicesDir, `.connecting-${process.pid}`);
  mkdirSync(staging, { recursive: true });
  try {
    const { sdk } = phone(staging);
    const user = await sdk.handleDeepLink(link);
    const dir = join(devicesDir, user.userId);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    return dir;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function main() {
  const dataDir = await connect();
  const { platform, sdk } = phone(dataDir);
  await sdk.setLogLevel(OWLogLevel.always);
  // With --data-dir and a link, redeem here; otherwise the saved session is restored from the data dir.
  const saved = await platform.kv.get("ow.config.host");
  if (values["data-dir"] && link) await sdk.handleDeepLink(link);
  else if (saved) await sdk.configure({ host: saved });
  const user = sdk.currentUser ?? (() => { throw new Error(`no session in ${dataDir}; connect with a link`); })();
  console.log(`Connected to ${sdk.config!.host} as user ${user.userId} (state in ${dataDir})`);
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
