import { useState } from "preact/hooks";
import { PageTitle } from "../Shell";
import { dateTime } from "../format";
import { useLoad } from "../useLoad";
import { manage, type ApiKey } from "../manage";

/** API keys for the customer's backend: create, rotate, revoke. A key is shown once, on create and rotate. */
export function Keys() {
  const keys = useLoad(() => manage<ApiKey[]>("GET", "/developer/api-keys"));
  const [name, setName] = useState("");
  const [shown, setShown] = useState<{ name: string; key: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    try { await f(); keys.reload(); } catch (e) { setError((e as Error).message); }
  };
  const create = (e: Event) => {
    e.preventDefault();
    act(async () => { const k = await manage<ApiKey>("POST", "/developer/api-keys", { name: name.trim() || undefined }); setShown({ name: k.name, key: k.id }); setName(""); });
  };
  const rotate = (k: ApiKey) => {
    if (!confirm(`Rotate “${k.name}”? The current key stops working at once.`)) return;
    act(async () => { const r = await manage<ApiKey>("POST", `/developer/api-keys/${k.key_id}/rotate`); setShown({ name: r.name, key: r.id }); });
  };
  const revoke = (k: ApiKey) => {
    if (!confirm(`Revoke “${k.name}”? Backends using it get 401 at once.`)) return;
    act(() => manage("DELETE", `/developer/api-keys/${k.key_id}`));
  };
  return (
    <>
      <PageTitle title="API keys">API keys</PageTitle>
      {error && <p class="error" role="alert">{error}</p>}
      {shown && (
        <div class="secret" role="status">
          <p>The key “{shown.name}”, shown only now (header <code>X-Open-Wearables-API-Key</code>):</p>
          <p><code data-testid="api-key">{shown.key}</code></p>
          <button type="button" class="btn secondary small" onClick={() => setShown(null)}>I have stored it</button>
        </div>
      )}
      {!keys.data ? <p class="loading" role="status">Loading…</p> : (
        <table data-testid="keys">
          <caption>{keys.data.length} API keys (only their first characters are shown)</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Created</th><th scope="col">Actions</th></tr></thead>
          <tbody>{keys.data.map((k) => (
            <tr key={k.key_id}>
              <th scope="row">{k.name}</th><td><code>{k.key_prefix}…</code></td><td>{dateTime(k.created_at)}</td>
              <td><div class="row actions">
                <button type="button" class="btn secondary small" onClick={() => rotate(k)} aria-label={`Rotate ${k.name}`}>Rotate</button>
                <button type="button" class="btn secondary small" onClick={() => revoke(k)} aria-label={`Revoke ${k.name}`}>Revoke</button>
              </div></td>
            </tr>
          ))}</tbody>
        </table>
      )}
      <h2>New API key</h2>
      <form onSubmit={create} class="row">
        <label for="key-name">Name</label>
        <input id="key-name" class="input" value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={100} placeholder="e.g. production backend" />
        <button type="submit" class="btn">Create API key</button>
      </form>
    </>
  );
}
