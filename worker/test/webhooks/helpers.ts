import { inject } from "vitest";
import { ADMIN, api } from "../setup/harness";

declare module "vitest" {
  interface ProvidedContext { webhookReceiverUrl: string }
}

/** The loopback receiver started by receiver-server.mjs (globalSetup). */
export const RECEIVER = inject("webhookReceiverUrl");

let counter = 0;
/** A fresh receiver name per test, so logs never mix. */
export const receiverName = (label: string) => `${label}-${Date.now().toString(36)}-${counter++}`;
export const receiverUrl = (name: string) => `${RECEIVER}/r/${name}`;

/** Script the receiver: e.g. ["500", "hang"] then "ok" forever. */
export async function script(name: string, steps: string[], then = "ok") {
  await fetch(`${RECEIVER}/_control/${name}`, { method: "POST", body: JSON.stringify({ script: steps, then }) });
}

export interface Received { at: number; action: string; headers: Record<string, string>; body: string }
export const received = async (name: string) => (await (await fetch(`${RECEIVER}/_log/${name}`)).json()) as Received[];

export async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 15_000, what = "condition"): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface EndpointWithSecret { id: string; url: string; secret: string; filter_types: string[] | null; app_id: string | null; enabled: boolean }

export async function createEndpoint(body: Record<string, unknown>) {
  const res = await api.post("/webhooks/endpoints", { headers: ADMIN, body });
  if (res.status !== 201) throw new Error(`createEndpoint: ${res.status} ${res.text}`);
  return res.json as EndpointWithSecret;
}

export const attempts = async (endpointId: string, query = "") => {
  const res = await api.get(`/webhooks/endpoints/${endpointId}/attempts${query}`, { headers: ADMIN });
  if (res.status !== 200) throw new Error(`attempts: ${res.status} ${res.text}`);
  return res.json as { data: any[]; done: boolean; iterator: string | null };
};

export const getEndpoint = async (id: string) => (await api.get(`/webhooks/endpoints/${id}`, { headers: ADMIN })).json;
