// A real webhook receiver for the workerd tests: a Node HTTP server on loopback, started by vitest globalSetup.
// Each receiver name (`/r/<name>`) has a script of responses set by the test (`POST /_control/<name>`):
//   {"script": ["500", "hang", "ok"], "then": "ok"}  → answer 500, then hang, then 200, then keep answering "then".
// Every request is recorded with its raw body and headers (`GET /_log/<name>`).
import http from "node:http";

export function startReceiver() {
  /** @type {Map<string, {script: string[], then: string, log: any[]}>} */
  const receivers = new Map();
  const get = (name) => {
    let r = receivers.get(name);
    if (!r) receivers.set(name, (r = { script: [], then: "ok", log: [] }));
    return r;
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const [, kind, name] = url.pathname.split("/");
      const body = Buffer.concat(chunks).toString("utf8");
      // A DNS-over-HTTPS (JSON) resolver for the delivery-time address check: rebind*.<domain> answers a private
      // address, v6private*.<domain> a unique-local IPv6 one, down*.<domain> fails, anything else a public address.
      if (kind === "dns") {
        const host = url.searchParams.get("name") ?? "";
        const type = url.searchParams.get("type");
        if (host.startsWith("down")) { res.writeHead(502).end(); return; }
        const answer = type === "A"
          ? [{ type: 1, data: host.startsWith("rebind") ? "10.0.0.7" : "93.184.215.14" }]
          : [{ type: 28, data: host.startsWith("v6private") ? "fd00::1" : "2606:2800:21f:cb07:6820:80da:af6b:8b2c" }];
        res.writeHead(200, { "Content-Type": "application/dns-json" }).end(JSON.stringify({ Status: 0, Answer: answer }));
        return;
      }
      if (kind === "_control" && name) {
        const r = get(name);
        const cfg = JSON.parse(body || "{}");
        r.script = cfg.script ?? [];
        r.then = cfg.then ?? "ok";
        if (cfg.reset) r.log = [];
        res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
        return;
      }
      if (kind === "_log" && name) {
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(get(name).log));
        return;
      }
      if (kind === "r" && name) {
        const r = get(name);
        const action = r.script.length ? r.script.shift() : r.then;
        r.log.push({ at: Date.now(), action, headers: req.headers, body });
        if (action === "hang") return; // never answer: the sender's timeout must fire
        const status = action === "ok" ? 200 : Number(action);
        res.writeHead(status, { "Content-Type": "text/plain" }).end(status < 300 ? "ok" : "nope");
        return;
      }
      res.writeHead(404).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done(undefined)); }),
      });
    });
  });
}

/** vitest globalSetup: one receiver for the whole run; tests find it with inject("webhookReceiverUrl"). */
export default async function setup({ provide }) {
  const receiver = await startReceiver();
  provide("webhookReceiverUrl", receiver.url);
  return () => receiver.close();
}
