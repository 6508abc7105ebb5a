#!/usr/bin/env node
// Vendors the API reference viewer (Scalar's standalone bundle) into web/public/api-docs/, pinned by version and
// checked against the npm registry's integrity hash. `/api/v1/docs` (worker/src/http/api-docs.ts) loads it from
// our own origin, so the page works offline and no third-party script runs where operators paste their admin key.
// Installing @scalar/api-reference as a dependency would pull ~280 packages (300 MB) for this one self-contained
// file, so it is committed instead. To update: change VERSION, run `node web/scripts/vendor-api-viewer.mjs`, and
// change VIEWER_SCRIPT in worker/src/http/api-docs.ts to the new file name.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const VERSION = "1.76.0";
const out = fileURLToPath(new URL("../public/api-docs/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "scalar-"));
try {
  const [{ filename, integrity }] = JSON.parse(execFileSync("npm", ["pack", `@scalar/api-reference@${VERSION}`, "--json", "--pack-destination", dir], { encoding: "utf8" }));
  const tgz = readFileSync(join(dir, filename));
  const actual = `sha512-${createHash("sha512").update(tgz).digest("base64")}`;
  if (actual !== integrity) throw new Error(`integrity mismatch: ${actual} != ${integrity}`);
  execFileSync("tar", ["xzf", join(dir, filename), "-C", dir]);
  // The source map is 20 MB and only for debugging the viewer itself.
  const js = readFileSync(join(dir, "package/dist/browser/standalone.js"), "utf8").replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
  for (const old of readdirSync(out).filter((f) => /^scalar-api-reference-.*\.js$/.test(f))) unlinkSync(join(out, old));
  const name = `scalar-api-reference-${VERSION}.js`;
  writeFileSync(join(out, name), js);
  const license = JSON.parse(readFileSync(join(dir, "package/package.json"), "utf8")).license;
  console.log(`${name}: ${js.length} bytes, sha256 ${createHash("sha256").update(js).digest("hex")}, ${license} licence, npm ${integrity}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
