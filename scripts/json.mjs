#!/usr/bin/env node
// Reads JSON on stdin and prints it indented, or one field of it: `... | node scripts/json.mjs .app_id`.
// The README's walkthrough uses it so that a fresh machine needs nothing beyond Node (no jq).
let text = "";
process.stdin.on("data", (d) => (text += d)).on("end", () => {
  let value = JSON.parse(text);
  for (const part of (process.argv[2] ?? "").split(/[.[\]]/).filter(Boolean)) value = value?.[part];
  if (value === undefined) {
    console.error(`json: no ${process.argv[2]} in ${text.slice(0, 300)}`);
    process.exit(1);
  }
  console.log(typeof value === "string" ? value : JSON.stringify(value, null, 2));
});
