import { useEffect, useState } from "preact/hooks";
import { PageTitle } from "../Shell";
import { ago, dateTime } from "../format";
import { useLoad } from "../useLoad";
import { manage, type Delivery, type Endpoint } from "../manage";

/** Webhook endpoints: create (secret once), event types, a test event, the delivery log, re-enable. */
export function Webhooks() {
  const endpoints = useLoad(() => manage<Endpoint[]>("GET", "/webhooks/endpoints"));
  const types = useLoad(() => manage<{ name: string; description: string }[]>("GET", "/webhooks/event-types"));
  const [url, setUrl] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [awaiting, setAwaiting] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    setStatus(null);
    try { await f(); endpoints.reload(); } catch (e) { setError((e as Error).message); }
  };
  const create = (e: Event) => {
    e.preventDefault();
    act(async () => {
      const ep = await manage<Endpoint>("POST", "/webhooks/endpoints", { url: url.trim(), ...(chosen.length ? { filter_types: chosen } : {}) });
      setSecret(ep.secret!);
      setUrl("");
      setChosen([]);
    });
  };
  return (
    <>
      <PageTitle title="Webhooks">Webhooks</PageTitle>
      {error && <p class="error" role="alert">{error}</p>}
      {status && <p role="status">{status}</p>}
      {secret && (
        <div class="secret" role="status">
          <p>Signing secret, shown only now (verify deliveries with it, per Standard Webhooks):</p>
          <p><code data-testid="webhook-secret">{secret}</code></p>
          <button type="button" class="btn secondary small" onClick={() => setSecret(null)}>I have stored it</button>
        </div>
      )}
      {!endpoints.data ? <p class="loading" role="status">Loading…</p> : (
        <table data-testid="endpoints">
          <caption>{endpoints.data.length} endpoints</caption>
          <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">State</th><th scope="col">Last success</th><th scope="col">Actions</th></tr></thead>
          <tbody>{endpoints.data.map((ep) => (
            <tr key={ep.id}>
              <th scope="row"><code>{ep.url}</code></th>
              <td>{ep.filter_types?.join(", ") ?? "all"}</td>
              <td>{ep.enabled ? (ep.consecutive_failures ? <span class="badge warn">failing ({ep.consecutive_failures} in a row)</span> : <span class="badge ok">enabled</span>) : <span class="badge warn">disabled{ep.disabled_reason ? `: ${ep.disabled_reason}` : ""}</span>}</td>
              <td>{ago(ep.last_success_at)}</td>
              <td><div class="row actions">
                <button type="button" class="btn secondary small" aria-label={`Send test event to ${ep.url}`}
                  onClick={() => act(async () => {
                    const sent = await manage<{ message_id: string }>("POST", `/webhooks/endpoints/${ep.id}/test`, {});
                    setStatus("Test event queued.");
                    setAwaiting(sent.message_id);
                    setOpen(ep.id);
                  })}>Send test event</button>
                {!ep.enabled && <button type="button" class="btn secondary small" aria-label={`Re-enable ${ep.url}`}
                  onClick={() => act(() => manage("PATCH", `/webhooks/endpoints/${ep.id}`, { enabled: true }))}>Re-enable</button>}
                <button type="button" class="btn secondary small" aria-label={`Delivery log of ${ep.url}`} onClick={() => { setAwaiting(null); setOpen(ep.id); }}>Delivery log</button>
              </div></td>
            </tr>
          ))}</tbody>
        </table>
      )}
      {open && <Deliveries key={open + (awaiting ?? "")} id={open} awaiting={awaiting} onSettled={endpoints.reload} />}
      <h2>New endpoint</h2>
      <form onSubmit={create}>
        <label for="wh-url">Endpoint URL</label>
        <input id="wh-url" class="input" type="url" value={url} onInput={(e) => setUrl(e.currentTarget.value)} required placeholder="https://example.com/webhooks/open-wearables" />
        <details>
          <summary>Event types: {chosen.length ? chosen.join(", ") : "every type"}</summary>
        <fieldset>
          <legend>Event types (none chosen: every type)</legend>
          {(types.data ?? []).map((t) => (
            <label key={t.name} class="check" title={t.description}><input type="checkbox" checked={chosen.includes(t.name)}
              onChange={(e) => setChosen(e.currentTarget.checked ? [...chosen, t.name] : chosen.filter((x) => x !== t.name))} /> <code>{t.name}</code></label>
          ))}
        </fieldset>
        </details>
        <button type="submit" class="btn" disabled={!url.trim()}>Create endpoint</button>
      </form>
    </>
  );
}

/** Polls while a just-sent test event has no final outcome yet (deliveries go through a queue), at most a minute. */
const POLL_MS = 2_000;
const POLL_FOR_MS = 60_000;

function Deliveries({ id, awaiting, onSettled }: { id: string; awaiting: string | null; onSettled: () => void }) {
  const log = useLoad(() => manage<{ data: Delivery[] }>("GET", `/webhooks/endpoints/${id}/attempts?limit=50`), [id]);
  const [since] = useState(() => Date.now());
  const settled = !awaiting || log.data?.data.some((d) => d.msgId === awaiting && d.statusText !== "pending");
  // The endpoint's health (last success, failures) changed with the outcome: let the table above show it.
  useEffect(() => { if (awaiting && settled) onSettled(); }, [settled]);
  useEffect(() => {
    if (settled || log.loading || Date.now() - since > POLL_FOR_MS) return;
    const t = setTimeout(log.reload, POLL_MS);
    return () => clearTimeout(t);
  }, [settled, log.loading, log.data]);
  return (
    <section aria-labelledby="log-h">
      <div class="row">
        <h2 id="log-h">Delivery log</h2>
        <button type="button" class="btn secondary small" onClick={log.reload} disabled={log.loading}>Refresh</button>
      </div>
      {!settled && <p role="status">Waiting for the test event's delivery…</p>}
      {log.error && <p class="error" role="alert">The delivery log could not be loaded: {log.error}</p>}
      {!log.data ? (!log.error && <p class="loading" role="status">Loading…</p>) : (
        <table data-testid="deliveries">
          <caption>The last {log.data.data.length} deliveries to this endpoint, newest first</caption>
          <thead><tr><th scope="col">Event</th><th scope="col">Created</th><th scope="col">Status</th><th scope="col" class="num">Attempts</th><th scope="col">Last response</th></tr></thead>
          <tbody>{log.data.data.map((d) => (
            <tr key={d.id}>
              <th scope="row"><code>{d.eventType}</code></th><td>{d.createdAt ? dateTime(d.createdAt) : "–"}</td><td>{d.statusText}</td>
              <td class="num">{d.attempts}</td><td>{d.responseStatusCode ? `HTTP ${d.responseStatusCode}` : ""}{d.lastError ? ` ${d.lastError}` : ""}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
    </section>
  );
}
