#!/usr/bin/env node
// `npm start`: the whole service on this machine — wrangler dev on workerd with local D1 and Durable Objects
// persisted under .wrangler/. Creates the local secrets on first run, applies migrations, then prints the admin
// key and a demo application (plus a demo user and onboarding link) once the Worker answers.
// Environment: PORT (default 8787), ADMIN_API_KEY (when set, exactly that key is the admin key).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT || 8787);
const base = `http://127.0.0.1:${port}`;
const wrangler = join(root, "node_modules", ".bin", "wrangler");
const devVarsPath = join(root, ".dev.vars");
const demoPath = join(root, ".wrangler", "demo-app.json");

function readDevVars() {
  if (!existsSync(devVarsPath)) return {};
  const vars = {};
  for (const line of readFileSync(devVarsPath, "utf8").split("\n")) {
    const m = line.match(/^([A-Z0-9_]+)=(.*)$/);
    if (m) vars[m[1]] = m[2].replace(/^'(.*)'$/, "$1");
  }
  return vars;
}

/** Local secrets live in .dev.vars (git-ignored); the signing key is made once so sessions survive restarts. */
function ensureSecrets() {
  const vars = readDevVars();
  if (!vars.JWT_PRIVATE_KEY) {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = { ...privateKey.export({ format: "jwk" }), kid: `local-${randomBytes(4).toString("hex")}`, alg: "ES256" };
    vars.JWT_PRIVATE_KEY = JSON.stringify(jwk);
  }
  // Seals webhook signing secrets at rest (worker/src/webhooks/signing.ts).
  if (!vars.WEBHOOK_SECRET_KEY) vars.WEBHOOK_SECRET_KEY = randomBytes(32).toString("base64");
  // Local development: webhooks may go to http://localhost receivers (production refuses private URLs).
  vars.WEBHOOK_ALLOW_PRIVATE_URLS ??= "true";
  // Local mode: wrangler dev listens on localhost by default, so every client is this machine; give it generous
  // invitation-code limits (production values in worker/src/ratelimit/code-guard.ts) so repeated demos never wait.
  vars.REDEEM_ATTEMPTS_PER_WINDOW ??= "1000";
  vars.CONNECT_ATTEMPTS_PER_MINUTE ??= "6000";
  vars.CODE_FAILURES_PER_WINDOW ??= "10000";
  if (process.env.ADMIN_API_KEY) vars.ADMIN_API_KEY = process.env.ADMIN_API_KEY;
  if (!vars.ADMIN_API_KEY) vars.ADMIN_API_KEY = `admin-${randomBytes(16).toString("hex")}`;
  const text = Object.entries(vars).map(([k, v]) => `${k}='${v}'`).join("\n") + "\n";
  writeFileSync(devVarsPath, text, { mode: 0o600 });
  return vars;
}

function run(cmd, args) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function waitForWorker(child) {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) process.exit(child.exitCode);
    try {
      if ((await fetch(`${base}/`)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the Worker did not answer on ${base} within 2 minutes`);
}

async function api(method, path, adminKey, body) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { "X-Open-Wearables-API-Key": adminKey, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** The demo application's secret can only be shown once by the API, so keep it locally to print it every time. */
async function ensureDemo(adminKey) {
  let demo = existsSync(demoPath) ? JSON.parse(readFileSync(demoPath, "utf8")) : null;
  const apps = await api("GET", "/applications", adminKey);
  if (!demo || !apps.some((a) => a.app_id === demo.app_id)) {
    const app = await api("POST", "/applications", adminKey, { name: "Demo app" });
    const user = await api("POST", "/users", adminKey, { external_user_id: "demo-user" });
    demo = { app_id: app.app_id, app_secret: app.app_secret, user_id: user.id };
    mkdirSync(dirname(demoPath), { recursive: true });
    writeFileSync(demoPath, JSON.stringify(demo, null, 2), { mode: 0o600 });
  }
  const invite = await api("POST", `/users/${demo.user_id}/invitation-code`, adminKey, { app_id: demo.app_id }).catch(() => null);
  return { ...demo, code: invite?.code };
}

const vars = ensureSecrets();
if (existsSync(join(root, "web", "package.json")) && !existsSync(join(root, "web", "dist", "index.html"))) {
  run("npm", ["run", "build", "-w", "web", "--if-present"]);
}
run(wrangler, ["d1", "migrations", "apply", "DB", "--local"]);
const child = spawn(wrangler, ["dev", "--port", String(port)], { cwd: root, stdio: ["inherit", "inherit", "inherit"] });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));

await waitForWorker(child);
const demo = await ensureDemo(vars.ADMIN_API_KEY);
const hostParam = encodeURIComponent(`http://localhost:${port}`);
// A one-time console sign-up link for the demo (default) organization. Passkeys need a host name, so localhost.
const consoleLink = await api("POST", "/console/signup-links", vars.ADMIN_API_KEY, {}).then((l) => l.url.replace(base, `http://localhost:${port}`)).catch(() => null);
console.log(`
  Open Wearables Edge is running at http://localhost:${port}
  API reference:   http://localhost:${port}/api/v1/docs
  Admin API key:   ${vars.ADMIN_API_KEY}   (header X-Open-Wearables-API-Key)
  Demo app:        app_id=${demo.app_id}
                   app_secret=${demo.app_secret}
  Demo user:       ${demo.user_id}
${demo.code ? `  Onboarding link: http://localhost:${port}/connect#${demo.code}
  Phone simulator: npm run device -- "openwearables://connect?host=${hostParam}#${demo.code}" --days 30 --once
` : ""}`);
// Its own line, unindented, so scripts can pick it up: the developer console's one-time sign-up link (at /console).
if (consoleLink) console.log(`Console sign-up: ${consoleLink}`);
