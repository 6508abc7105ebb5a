// Starts the real Worker (API + this PWA as static assets) with `wrangler dev` on a free port, with fresh local
// D1/Durable Object state in a temp dir and throwaway secrets in a temp env file.
import { spawn, execFileSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// The local binary, not `npx`: one process less, and stopping the group stops workerd too.
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });

/**
 * The repo's wrangler.toml with its paths made absolute, from a temp dir, optionally serving another copy of the
 * built PWA (the update test changes its files without touching web/dist, which others may be using).
 */
function writeConfig(dir, assetsDir) {
  const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8")
    .replace(/^(main|migrations_dir) = "([^"]+)"/gm, (_, key, path) => `${key} = ${JSON.stringify(join(ROOT, path))}`)
    .replace(/^directory = "([^"]+)"/m, (_, path) => `directory = ${JSON.stringify(assetsDir ?? join(ROOT, path))}`);
  const config = join(dir, "wrangler.toml");
  writeFileSync(config, toml);
  return config;
}

export async function startWorker({ assetsDir } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "ow-web-"));
  const config = writeConfig(dir, assetsDir);
  const state = join(dir, "state");
  const adminKey = `adm_${randomBytes(16).toString("hex")}`;
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: "web-test", alg: "ES256" };
  const envFile = join(dir, "test.env");
  writeFileSync(envFile, `ADMIN_API_KEY=${adminKey}\nJWT_PRIVATE_KEY='${JSON.stringify(jwk)}'\n`, { mode: 0o600 });
  const env = { ...process.env, CI: "1", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };

  execFileSync(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--config", config, "--persist-to", state], {
    cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"],
  });
  const port = await freePort();
  const child = spawn(WRANGLER, [
    "dev", "--config", config, "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state, "--env-file", envFile,
    "--show-interactive-dev-session=false", "--inspector-port", String(await freePort()),
  ], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  // If the test process dies first, take wrangler and its workerd children with it.
  const killGroup = () => { try { process.kill(-child.pid, "SIGKILL"); } catch { /* already gone */ } };
  process.once("exit", killGroup);
  for (const sig of ["SIGINT", "SIGTERM"]) process.once(sig, () => { killGroup(); process.exit(130); });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${log}`);
    if (/Build failed/.test(log)) {
      await stop();
      throw new Error(`wrangler dev could not build the Worker:\n${log}`);
    }
    try {
      // A proxy that is up before the Worker can hold a request open: never wait on one for long.
      if ((await fetch(`${origin}/`, { signal: AbortSignal.timeout(3000) })).ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    origin,
    adminKey,
    log: () => log,
    stop,
  };

  async function stop() {
    try { process.kill(-child.pid, "SIGTERM"); } catch { /* already gone */ }
    await new Promise((r) => (child.exitCode !== null ? r() : child.once("exit", r)));
    rmSync(dir, { recursive: true, force: true });
  }
}
