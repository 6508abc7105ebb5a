import { describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without type declarations
import { findSecretLikeVars } from "../../../scripts/check-wrangler-secrets.mjs";
import wranglerToml from "../../../wrangler.toml?raw";

type Finding = { line: number; key: string; reason: string };
const check = (toml: string) => findSecretLikeVars(toml) as Finding[];

describe("scripts/check-wrangler-secrets.mjs", () => {
  it("passes the repository's wrangler.toml", () => {
    expect(check(wranglerToml)).toEqual([]);
  });

  it("passes ordinary configuration", () => {
    expect(check(`[vars]\nJWT_ISSUER = "open-wearables-edge"\nCORS_ORIGINS = "https://app.example.com"\nWEBHOOK_RETRY_BASE_SECONDS = "15"\n`)).toEqual([]);
  });

  it.each([
    ["a secret name", `[vars]\nADMIN_API_KEY = "changeme"`, "ADMIN_API_KEY"],
    ["a secret name in an environment", `[env.production.vars]\nWEBHOOK_SECRET_KEY = "x"`, "WEBHOOK_SECRET_KEY"],
    ["a private JWK value", `[vars]\nSIGNER = '{"kty":"EC","d":"AbCdEfGhIjKlMnOpQrStUvWxYz012345"}'`, "SIGNER"],
    ["an API key value", `[vars]\nFOO = "sk-0123456789abcdef0123456789abcdef"`, "FOO"],
    ["a webhook secret value", `[vars]\nHOOK = "whsec_c2VjcmV0c2VjcmV0c2VjcmV0"`, "HOOK"],
    ["a random token", `[vars]\nOPAQUE = "q8Zr1vX3kP0mN7bT5yW2eH9cJ4uL6sDg"`, "OPAQUE"],
    ["a dotted key", `vars.JWT_PRIVATE_KEY = "{}"`, "JWT_PRIVATE_KEY"],
    ["an inline table", `vars = { JWT_ISSUER = "x", DB_PASSWORD = "hunter2" }`, "DB_PASSWORD"],
    ["a URL with a password", `[vars]\nDATABASE = "postgres://app:hunter2@db.example.com/x"`, "DATABASE"],
  ])("fails on %s", (_label, toml, key) => {
    const findings = check(toml);
    expect(findings.map((f) => f.key)).toEqual([key]);
    // Findings name the key and the reason, never the value.
    expect(JSON.stringify(findings)).not.toMatch(/hunter2|changeme|0123456789abcdef|AbCdEf|q8Zr1v/);
  });

  it("ignores secrets outside [vars] and honours an explicit allow comment", () => {
    expect(check(`[[d1_databases]]\ndatabase_id = "0b7c6f1e5a0d4f519d7e3b1f2c4d5e6f00112233"\n`)).toEqual([]);
    expect(check(`[vars]\nPUBLIC_KEY_ID = "test-key" # check-wrangler-secrets: allow\n`)).toEqual([]);
  });
});
