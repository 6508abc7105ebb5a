import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { deliverBatch } from "../../src/webhooks/consumer";
import { WEBHOOK_QUEUE } from "../../src/webhooks/config";
import type { DeliveryMessage } from "../../src/webhooks/messages";
import { webhookUrlProblem } from "../../src/webhooks/url-policy";
import { ADMIN, call } from "../setup/harness";
import { RECEIVER, attempts, createEndpoint, getEndpoint, received, receiverName, receiverUrl, waitFor } from "./helpers";

// Attack scripts kept as tests: webhook URLs that would make the Worker call into private networks (SSRF).
// The test pool runs with WEBHOOK_ALLOW_PRIVATE_URLS=true (the receiver is on loopback); production is the env without it.
const production = { ...env, WEBHOOK_ALLOW_PRIVATE_URLS: undefined } as typeof env;
const prodApp = createApp();
const prodCall = async (method: string, path: string, body?: unknown) => {
  const res = await prodApp.fetch(new Request(`https://api.test/api/v1${path}`, {
    method, headers: { ...ADMIN, "Content-Type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
  }), production);
  return { status: res.status, json: (await res.json()) as any };
};

const REFUSED = [
  "http://example.com/hook", // plain http
  "https://127.0.0.1/hook", "https://127.1.2.3/hook", "https://0x7f.1/hook", "https://2130706433/hook", "https://017700000001/hook",
  "https://localhost/hook", "https://localhost./hook", "https://api.localhost/hook", "https://printer.local/hook",
  "https://metadata.google.internal/computeMetadata/v1/", "https://router.home.arpa/", "https://intranet/hook",
  "https://169.254.169.254/latest/meta-data/", "https://[fe80::1]/hook", "https://[::1]/hook", "https://[::]/hook",
  "https://0.0.0.0/hook", "https://0/hook", "https://10.0.0.5/hook", "https://172.16.0.1/hook", "https://172.31.255.255/hook",
  "https://192.168.1.1/hook", "https://100.64.0.1/hook", "https://100.127.255.254/hook", "https://[fc00::1]/hook",
  "https://[fd12:3456::1]/hook", "https://[::ffff:127.0.0.1]/hook", "https://[::ffff:10.0.0.1]/hook", "https://[::127.0.0.1]/hook",
  "https://[64:ff9b::a9fe:a9fe]/hook", "https://[2002:a9fe:a9fe::1]/hook", "https://224.0.0.1/hook", "https://255.255.255.255/hook",
  "https://[2001:db8::1]/hook",
];
const ALLOWED = ["https://example.com/hook", "https://hooks.example.co.uk:8443/x?y=1", "https://8.8.8.8/hook", "https://[2606:4700:4700::1111]/hook", "https://172.32.0.1/h", "https://100.128.0.1/h"];

describe("webhook URL policy (plain function)", () => {
  it.each(REFUSED)("refuses %s in production", (url) => {
    expect(webhookUrlProblem(url, { allowPrivate: false })).toMatch(/^URL must/);
  });
  it.each(ALLOWED)("allows %s", (url) => {
    expect(webhookUrlProblem(url, { allowPrivate: false })).toBeNull();
  });
  it("local development allows http and loopback, never other schemes or credentials", () => {
    expect(webhookUrlProblem("http://127.0.0.1:9999/r/x", { allowPrivate: true })).toBeNull();
    expect(webhookUrlProblem("http://localhost:9999/r/x", { allowPrivate: true })).toBeNull();
    expect(webhookUrlProblem("file:///etc/passwd", { allowPrivate: true })).toMatch(/https/);
    expect(webhookUrlProblem("https://u:p@example.com/", { allowPrivate: true })).toMatch(/credentials/);
  });
});

describe("webhook endpoints refuse private URLs (production settings)", () => {
  it("create: every private, loopback, link-local or http URL is a 400 and nothing is stored", async () => {
    const before = (await prodCall("GET", "/webhooks/endpoints")).json.length;
    for (const url of REFUSED) {
      const res = await prodCall("POST", "/webhooks/endpoints", { url });
      expect(res.status, url).toBe(400);
      expect(Object.keys(res.json)).toEqual(["detail"]);
      expect(res.json.detail, url).toMatch(/^URL must/);
    }
    expect((await prodCall("GET", "/webhooks/endpoints")).json.length).toBe(before);
    // The control: a public https URL is accepted with the same settings.
    const ok = await prodCall("POST", "/webhooks/endpoints", { url: "https://example.com/hook" });
    expect(ok.status).toBe(201);
  });

  it("update: moving an endpoint to a private URL is a 400 and the URL is unchanged", async () => {
    const created = await prodCall("POST", "/webhooks/endpoints", { url: "https://example.com/before" });
    expect(created.status).toBe(201);
    for (const url of ["https://169.254.169.254/latest/meta-data/", "https://[::1]/", "http://example.com/"]) {
      const res = await prodCall("PATCH", `/webhooks/endpoints/${created.json.id}`, { url, description: "changed" });
      expect(res.status, url).toBe(400);
    }
    const row = await getEndpoint(created.json.id);
    expect(row.url).toBe("https://example.com/before");
    expect(row.description).toBeNull();
  });
});

describe("delivery re-checks the URL", () => {
  async function deliverOnce(ep: { id: string }, runEnv: typeof env) {
    const eventId = crypto.randomUUID();
    const body: DeliveryMessage = {
      v: 1, endpointId: ep.id, eventId, eventType: "sync.completed", userId: null, createdAt: Date.now(),
      body: JSON.stringify({ type: "sync.completed", timestamp: new Date().toISOString(), data: {} }),
    };
    const batch = createMessageBatch<DeliveryMessage>(WEBHOOK_QUEUE, [{ id: eventId, timestamp: new Date(), attempts: 1, body }]);
    await deliverBatch(batch, runEnv);
    return getQueueResult(batch, createExecutionContext());
  }

  it("a stored loopback URL gets no request when private URLs are not allowed; the attempt is failed, not retried", async () => {
    const name = receiverName("ssrf");
    const ep = await createEndpoint({ url: receiverUrl(name) }); // stored while local development allowed it
    const result = await deliverOnce(ep, production);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
    const log = await attempts(ep.id);
    expect(log.data).toHaveLength(1);
    expect(log.data[0]).toMatchObject({ status: 2, responseStatusCode: 0 });
    expect(log.data[0].lastError).toMatch(/^Not delivered: URL must use https/);
    expect(await received(name)).toHaveLength(0);

    // The control: with the local-development setting the same endpoint is delivered to.
    await deliverOnce(ep, env);
    await waitFor(() => received(name), (r) => r.length === 1, 5000, "the delivery");
  });

  it("resolves the host at delivery: a public name pointing at a private address gets no request; a dead resolver means retry", async () => {
    const withDns = { ...production, WEBHOOK_DNS_RESOLVER: `${RECEIVER}/dns` } as typeof env;
    const cases = [
      ["https://rebind.example.org/hook", /^Not delivered: URL host rebind\.example\.org resolves to a non-public address \(10\.0\.0\.7 is private\)/],
      ["https://v6private.example.org/hook", /^Not delivered: URL host v6private\.example\.org resolves to a non-public address \(fd00::1 is uniqueLocal\)/],
    ] as const;
    for (const [url, error] of cases) {
      const created = await call("POST", "/api/v1/webhooks/endpoints", { headers: ADMIN, body: { url } });
      expect(created.status, url).toBe(201); // a public name passes the textual check when saved
      const result = await deliverOnce(created.json, withDns);
      expect(result.explicitAcks, url).toHaveLength(1); // refused for good, not retried
      const log = await attempts(created.json.id);
      expect(log.data[0].lastError, url).toMatch(error);
    }
    const down = await call("POST", "/api/v1/webhooks/endpoints", { headers: ADMIN, body: { url: "https://down.example.org/hook" } });
    const result = await deliverOnce(down.json, withDns);
    expect(result.retryMessages).toHaveLength(1); // never sent unchecked: retried later
    expect((await attempts(down.json.id)).data[0].lastError).toMatch(/DNS resolver answered 502/);
  });
});
