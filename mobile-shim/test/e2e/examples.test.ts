import { describe, expect, it } from "vitest";
import { MemoryKeyValueStore } from "../../src/adapters/memory";
import { SignInException } from "../../src/core/errors";
import { OpenWearablesHealthSdkStatus } from "../../src/core/types";
import { HealthSyncService } from "../../src/examples/health-sync-service";
import { createTokenEndpoint } from "../../src/examples/token-endpoint";
import { makeDevice } from "../support/device";
import { api, createUser, invitationCode, origin } from "../support/server";

async function application() {
  const r = await api("POST", "/applications", { name: `shim-example-${Math.random()}` });
  expect(r.status).toBe(201);
  return r.json as { app_id: string; app_secret: string };
}

describe("the guide's integration examples", () => {
  it("customer backend token endpoint + HealthSyncService: connect, sync, resume check, disconnect", async () => {
    const app = await application();
    const owUser = await createUser();
    const key = await api("POST", "/developer/api-keys", { name: "shim-example-backend" });
    expect(key.status).toBe(201);
    const backend = createTokenEndpoint({ openWearablesHost: origin(), appId: app.app_id, appSecret: app.app_secret, apiKey: key.json.id,
      authenticateUser: async (auth) => (auth === "Bearer my-app-session" ? { openWearablesUserId: owUser } : null) });
    expect((await backend.request("/api/health/connect", { method: "POST" })).status).toBe(401);

    for (const isAndroid of [false, true]) {
      const d = makeDevice({ device: isAndroid ? "android" : "ios", historyDays: 2 });
      const lines: string[] = [];
      const service = new HealthSyncService("https://api.yourapp.test", "my-app-session", {
        sdk: d.sdk, host: origin(), isAndroid, prefs: new MemoryKeyValueStore(), print: (l) => lines.push(l),
        post: async (url, headers) => {
          const res = await backend.request(new URL(url).pathname, { method: "POST", headers });
          return { status: res.status, body: await res.text() };
        },
        get: async (url, headers) => {
          const res = await backend.request(new URL(url).pathname, { headers });
          return { status: res.status, body: await res.text() };
        },
      });
      await service.initialize();
      expect(service.status).toBe(OpenWearablesHealthSdkStatus.configured);
      await service.connect();
      expect(service.isConnected).toBe(true);
      expect(service.isSyncing).toBe(true);
      await d.sdk.syncNow();
      expect(d.tap.saved().records + d.tap.saved().dupRecords).toBeGreaterThan(100);
      expect(d.tap.syncs()[0]!.body.provider).toBe(isAndroid ? "google" : "apple");
      // The backend reads the server's view through the typed client: connected, with the batch just stored.
      const status = await service.serverStatus();
      expect(status.connections.find((c) => c.provider === (isAndroid ? "google" : "apple"))).toMatchObject({ status: "active" });
      expect(status.lastSync).toMatchObject({ status: expect.stringMatching(/success|partial/) });
      expect(status.lastSync!.recordsSaved + d.tap.saved().dupRecords).toBeGreaterThan(0);
      await service.checkAndResumeSync(); // nothing interrupted: no-op
      await service.disconnect();
      expect(service.isConnected).toBe(false);
      expect(lines.some((l) => l.startsWith("[HealthSync] ") && l.includes("Signed in with tokens"))).toBe(true);
      // Log lines never carry credentials.
      expect(lines.join("\n")).not.toMatch(/eyJ|rt-|Bearer /);
    }
  });

  it("handleDeepLink redeems the PWA's one-time code (custom scheme and https forms)", async () => {
    const user = await createUser();
    const d = makeDevice({ historyDays: 1 });
    const code = await invitationCode(user);
    const signed = await d.sdk.handleDeepLink(`openwearables://connect?host=${encodeURIComponent(origin())}&code=${code}`);
    expect(signed.userId).toBe(user);
    expect(d.sdk.status).toBe(OpenWearablesHealthSdkStatus.signedIn);
    expect(d.logs.join("\n")).not.toContain(code);
    // Single use: the same code again is refused with the server's status.
    const again = makeDevice({ historyDays: 1 });
    const err = await again.sdk.handleDeepLink(`${origin()}/connect#${code}`).catch((e) => e);
    expect(err).toBeInstanceOf(SignInException);
    expect(err.statusCode).toBe(404);
  });
});
