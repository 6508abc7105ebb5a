// Starts a Worker with `wrangler dev` on a free port, with fresh local D1 / Durable Object state and throwaway
// secrets, for benchmarks and end-to-end checks. Same pattern as web/test/server.mjs, but reusable: any wrangler
// config (the bench floor Worker has its own), an optional persist dir, and the wrangler pid so callers can
// measure the CPU of the workerd processes it spawns (see `treeCpuMs`).
//
//   import { startWorker } from "./scripts/local-worker.mjs";
//   const w = await startWorker();            // { origin, adminKey, pid, stop() }
import { spawn, execFileSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
// The local binary, not `npx`: npx adds a shell and a second node process between us and wrangler.
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");

export const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });

/**
 * @param {{ config?: string, persistDir?: string, readyPath?: string, timeoutMs?: number, args?: string[], snapshot?: boolean }} [options]
 *   config: wrangler config path (relative to the repo root or absolute); default the root wrangler.toml.
 *   persistDir: where D1/DO state lives; default a temp dir removed on stop().
 *   readyPath: polled until it answers 2xx; default "/".
 *   args: extra `wrangler dev` arguments (e.g. ["--log-level", "warn"]).
 *   assetsDir: serve this copy of the built PWA instead of web/dist (the PWA update test changes its files).
 *   vars: extra variables for this run (e.g. REDEEM_ATTEMPTS_PER_WINDOW for tests sharing one address).
 *   snapshot: run a bundle of the code as it is now, from a temp copy of the config without static assets.
 *     wrangler dev watches the sources (and web/dist) and restarts the Worker when anyone edits them, failing
 *     in-flight requests with 503; long benchmarks on a shared checkout need to be immune to that.
 */
export async function startWorker(options = {}) {
  const sourceConfig = options.config ? (isAbsolute(options.config) ? options.config : join(ROOT, options.config)) : join(ROOT, "wrangler.toml");
  const dir = mkdtempSync(join(tmpdir(), "ow-local-"));
  const state = options.persistDir ?? join(dir, "state");
  const adminKey = `adm_${randomBytes(16).toString("hex")}`;
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: "local-bench", alg: "ES256" };
  const envFile = join(dir, "local.env");
  const extra = Object.entries(options.vars ?? {}).map(([k, v]) => `${k}='${v}'\n`).join("");
  writeFileSync(envFile, `ADMIN_API_KEY=${adminKey}\nJWT_PRIVATE_KEY='${JSON.stringify(jwk)}'\n${extra}`, { mode: 0o600 });
  // node_modules/.bin first, as under `npm run`: wrangler's `#!/usr/bin/env node` then finds the project's Node 22.
  const PATH = `${join(ROOT, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`;
  const env = { ...process.env, PATH, CI: "1", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };
  // The root config serves web/dist: build it once on a fresh clone (benches and tests must not need a manual step).
  if (!options.assetsDir && sourceConfig === join(ROOT, "wrangler.toml") && !existsSync(join(ROOT, "web", "dist", "index.html"))) {
    execFileSync("npm", ["run", "build", "-w", "web"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
  }
  const config = options.snapshot ? snapshotConfig(sourceConfig, dir, env)
    : options.assetsDir ? configWithAssets(sourceConfig, dir, options.assetsDir) : sourceConfig;

  // Only configs with a D1 database have migrations (the floor Worker has none).
  if (/^\s*\[\[d1_databases\]\]/m.test(readFileSync(config, "utf8"))) {
    execFileSync(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", state], {
      cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"],
    });
  }
  const port = await freePort();
  const child = spawn(WRANGLER, [
    "dev", "--config", config, "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state, "--env-file", envFile,
    "--show-interactive-dev-session=false", "--inspector-port", String(await freePort()), ...(options.args ?? []),
  ], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  // Never leave a wrangler dev behind when the calling process ends abruptly.
  const killGroup = () => { try { process.kill(-child.pid, "SIGKILL"); } catch { /* already gone */ } };
  process.once("exit", killGroup);
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  let stopping = false;
  // A Worker that dies under a test is otherwise only seen as "fetch failed": say so, with the end of its log.
  child.once("exit", (code, signal) => {
    if (!stopping) console.error(`local worker on ${port} exited unexpectedly (code ${code}, signal ${signal}); last log:\n${log.slice(-4000)}`);
  });
  const stop = async () => {
    stopping = true;
    // detached: the child leads its own process group, so this reaches workerd too and nothing else.
    try { process.kill(-child.pid, "SIGTERM"); } catch { /* already gone */ }
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once("exit", r)));
    rmSync(dir, { recursive: true, force: true });
  };
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${log}`);
    if (/Build failed/.test(log)) {
      await stop();
      throw new Error(`wrangler dev could not build the Worker:\n${log}`);
    }
    try {
      if ((await fetch(`${origin}${options.readyPath ?? "/"}`)).ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { origin, adminKey, pid: /** @type {number} */ (child.pid), log: () => log, stop };
}

/** A copy of the config with absolute paths, serving `assetsDir` as the static assets. */
function configWithAssets(config, dir, assetsDir) {
  const here = dirname(config);
  const text = readFileSync(config, "utf8")
    .replace(/^(main|migrations_dir)\s*=\s*"([^"]+)"/gm, (_, key, rel) => `${key} = ${JSON.stringify(join(here, rel))}`)
    .replace(/^directory\s*=\s*"([^"]+)"/m, () => `directory = ${JSON.stringify(assetsDir)}`);
  const path = join(dir, "wrangler.toml");
  writeFileSync(path, text);
  return path;
}

/** Bundles the Worker into `dir` and writes a config that runs that bundle (paths absolute, no assets). */
function snapshotConfig(config, dir, env) {
  const out = join(dir, "bundle");
  execFileSync(WRANGLER, ["deploy", "--dry-run", "--outdir", out, "--config", config], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
  // The bundle is named after the entry (index.js, worker.js, ...).
  const entry = readdirSync(out).find((f) => f.endsWith(".js"));
  if (!entry) throw new Error(`no bundle in ${out}`);
  const here = dirname(config);
  const text = readFileSync(config, "utf8")
    .replace(/^main\s*=.*$/m, `main = ${JSON.stringify(join(out, entry))}\nno_bundle = true`)
    .replace(/^migrations_dir\s*=\s*"(.*)"$/m, (_, rel) => `migrations_dir = ${JSON.stringify(join(here, rel))}`)
    .replace(/^\[assets\]\n(?:(?!\[).*\n)*/m, ""); // the table up to the next header line
  const path = join(dir, "wrangler.toml");
  writeFileSync(path, text);
  return path;
}

/** Direct children of every process (from /proc), for walking the tree under one pid. */
function childrenMap() {
  const map = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      if (!map.has(ppid)) map.set(ppid, []);
      map.get(ppid).push(Number(name));
    } catch { /* exited meanwhile */ }
  }
  return map;
}

const CLK_TCK = 100; // USER_HZ; 100 on every Linux we run on (getconf CLK_TCK)

/**
 * CPU time (utime + stime, ms) of the processes under `rootPid` whose command name matches `name` (default
 * workerd). workerd's own clock does not advance during execution, so this is how server CPU is measured.
 * Returns the total and the per-process figures.
 */
export function treeCpuMs(rootPid, name = /workerd/) {
  const kids = childrenMap();
  const out = [];
  const walk = (pid) => {
    for (const c of kids.get(pid) ?? []) {
      try {
        const stat = readFileSync(`/proc/${c}/stat`, "utf8");
        const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // fields after ")" start at field 3 (state); utime is field 14, stime 15.
        if (name.test(comm)) out.push({ pid: c, comm, ms: ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK });
      } catch { /* exited meanwhile */ }
      walk(c);
    }
  };
  walk(rootPid);
  return { total: out.reduce((n, p) => n + p.ms, 0), processes: out };
}
