#!/usr/bin/env node
// Fails when a secret-looking key or value sits in wrangler.toml `[vars]` (or `[env.<name>.vars]`): vars are
// plain text in the repository and in the dashboard; secrets belong in `wrangler secret put` / `.dev.vars`.
// Usage: node scripts/check-wrangler-secrets.mjs [path/to/wrangler.toml]   (exit 1 on findings)
// A deliberate, non-secret exception can be kept with a trailing `# check-wrangler-secrets: allow` comment.

const SECRET_KEY = /(^|_)(SECRETS?|PASSWORD|PASSWD|PWD|TOKENS?|PRIVATE|CREDENTIALS?|APIKEY|API_KEY|KEY|KEYS|SALT|PEPPER|DSN|SIGNING|WHSEC)(_|$)/i;

/** Value shapes that are secrets whatever the key is called. */
const SECRET_VALUES = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a PEM private key"],
  [/"d"\s*:\s*"[A-Za-z0-9_-]{20,}"/, "a private JWK"],
  [/^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, "a JWT"],
  [/^whsec_[A-Za-z0-9+/=]{16,}$/, "a webhook signing secret"],
  [/^sk-[0-9a-f]{32}$/i, "an API key"],
  [/^secret_[0-9a-f]{32,}$/i, "an application secret"],
  [/^rt-([0-9a-f-]{36}\.)?[0-9a-f]{32}$/i, "a refresh token"],
  [/^(AKIA|ASIA)[A-Z0-9]{16}$/, "a cloud access key"],
  [/^(ghp|gho|github_pat|xox[abp]|sk_live|rk_live)_?[A-Za-z0-9_]{16,}/, "a service token"],
  [/:\/\/[^/\s:@]+:[^/\s@]+@/, "a URL with a password"],
];

function entropyBitsPerChar(s) {
  const counts = new Map();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** Long random-looking tokens (hex / base64 / base64url) are treated as secrets. */
const looksRandom = (v) => v.length >= 32 && /^[A-Za-z0-9+/=_-]+$/.test(v) && entropyBitsPerChar(v) >= 3.5;

function unquote(raw) {
  const v = raw.trim();
  if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) return v.slice(1, -1);
  return v;
}

/** Strips a trailing comment outside quotes. */
function splitComment(line) {
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) { if (ch === quote && line[i - 1] !== "\\") quote = null; }
    else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === "#") return [line.slice(0, i), line.slice(i + 1)];
  }
  return [line, ""];
}

/**
 * Findings for one wrangler.toml text: `[{ line, key, reason }]`. Values are never echoed, so the output is safe
 * to print in CI logs. Handles `[vars]`, `[env.X.vars]`, inline `vars = { … }` and dotted `vars.KEY = …`.
 */
export function findSecretLikeVars(toml) {
  const findings = [];
  let section = "";
  const check = (lineNo, key, raw, allowed) => {
    if (allowed) return;
    const value = unquote(raw);
    if (SECRET_KEY.test(key)) { findings.push({ line: lineNo, key, reason: "the name looks like a secret" }); return; }
    const hit = SECRET_VALUES.find(([re]) => re.test(value));
    if (hit) findings.push({ line: lineNo, key, reason: `the value looks like ${hit[1]}` });
    else if (looksRandom(value)) findings.push({ line: lineNo, key, reason: "the value looks like a random token" });
  };
  toml.split(/\r?\n/).forEach((rawLine, i) => {
    const [line, comment] = splitComment(rawLine);
    const allowed = /check-wrangler-secrets:\s*allow/.test(comment);
    const trimmed = line.trim();
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(trimmed);
    if (header) { section = header[1].replace(/\s/g, ""); return; }
    const kv = /^("?[\w.-]+"?)\s*=\s*(.+)$/.exec(trimmed);
    if (!kv) return;
    const key = kv[1].replace(/"/g, "");
    const inVars = section === "vars" || /^env\.[^.]+\.vars$/.test(section);
    if (inVars) return check(i + 1, key, kv[2], allowed);
    const dotted = /^(?:env\.[^.]+\.)?vars\.(.+)$/.exec(section ? `${section}.${key}` : key);
    if (dotted) return check(i + 1, dotted[1], kv[2], allowed);
    if (/^vars$/.test(key) && kv[2].trim().startsWith("{")) {
      for (const m of kv[2].matchAll(/([\w-]+)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^,}]+)/g)) check(i + 1, m[1], m[2], allowed);
    }
  });
  return findings;
}

async function main() {
  const { readFileSync } = await import("node:fs");
  const path = process.argv[2] ?? new URL("../wrangler.toml", import.meta.url).pathname;
  const findings = findSecretLikeVars(readFileSync(path, "utf8"));
  if (!findings.length) {
    console.log(`check-wrangler-secrets: ${path}: no secret-looking vars`);
    return;
  }
  for (const f of findings) console.error(`${path}:${f.line}: [vars] ${f.key}: ${f.reason}; use \`wrangler secret put ${f.key}\` (and .dev.vars locally)`);
  process.exitCode = 1;
}

if (typeof process !== "undefined" && process.argv?.[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
