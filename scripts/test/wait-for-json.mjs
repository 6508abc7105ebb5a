#!/usr/bin/env node
// Polls a JSON endpoint until a field is present (e.g. the first webhook delivery is recorded), at most 30 s.
//   node scripts/test/wait-for-json.mjs <url> <admin key> <dotted.path>
const [url, key, path] = process.argv.slice(2);
const deadline = Date.now() + 30_000;
for (;;) {
  const res = await fetch(url, { headers: { "X-Open-Wearables-API-Key": key } });
  let value = await res.json().catch(() => undefined);
  for (const part of path.split(".")) value = value?.[part];
  if (value !== undefined) process.exit(0);
  if (Date.now() > deadline) {
    console.error(`wait-for-json: no ${path} at ${url} after 30 s`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 200));
}
