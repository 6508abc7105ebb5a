import { useEffect, useState } from "preact/hooks";
import { PageTitle } from "../Shell";
import { dateTime } from "../format";
import { useLoad } from "../useLoad";
import { manage, type AppSettings, type Application } from "../manage";
import { contrast, readableOnWhite } from "../../lib/theme";
import { strings } from "../../strings";

/** Applications: create, rotate the secret (shown once), and the onboarding branding with a live preview. */
export function Apps() {
  const apps = useLoad(() => manage<Application[]>("GET", "/applications"));
  const [name, setName] = useState("");
  const [secret, setSecret] = useState<{ app_id: string; app_secret: string } | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    try { await f(); apps.reload(); } catch (e) { setError((e as Error).message); }
  };
  const create = (e: Event) => {
    e.preventDefault();
    act(async () => { const a = await manage<Application>("POST", "/applications", { name: name.trim() }); setSecret({ app_id: a.app_id, app_secret: a.app_secret! }); setName(""); });
  };
  const rotate = (a: Application) => {
    if (!confirm(`Rotate the secret of ${a.name}? The old secret stops working at once and the app's sessions end.`)) return;
    act(async () => { const r = await manage<Application>("POST", `/applications/${a.app_id}/rotate-secret`); setSecret({ app_id: r.app_id, app_secret: r.app_secret! }); });
  };
  return (
    <>
      <PageTitle title="Applications">Applications</PageTitle>
      {error && <p class="error" role="alert">{error}</p>}
      {secret && (
        <div class="secret" role="status">
          <p>Secret of <code>{secret.app_id}</code>, shown only now; store it in your backend:</p>
          <p><code data-testid="app-secret">{secret.app_secret}</code></p>
          <button type="button" class="btn secondary small" onClick={() => setSecret(null)}>I have stored it</button>
        </div>
      )}
      {!apps.data ? <p class="loading" role="status">Loading…</p> : (
        <table data-testid="apps">
          <caption>{apps.data.length} applications</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">app_id</th><th scope="col">Created</th><th scope="col">Actions</th></tr></thead>
          <tbody>{apps.data.map((a) => (
            <tr key={a.app_id}>
              <th scope="row">{a.name}</th><td><code>{a.app_id}</code></td><td>{dateTime(a.created_at)}</td>
              <td><div class="row actions">
                <button type="button" class="btn secondary small" onClick={() => rotate(a)} aria-label={`Rotate secret of ${a.name}`}>Rotate secret</button>
                <button type="button" class="btn secondary small" onClick={() => setEditing(a.app_id)} aria-label={`Branding of ${a.name}`}>Branding</button>
              </div></td>
            </tr>
          ))}</tbody>
        </table>
      )}
      <h2>New application</h2>
      <form onSubmit={create} class="row">
        <label for="app-name">Name</label>
        <input id="app-name" class="input" value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={100} />
        <button type="submit" class="btn" disabled={!name.trim()}>Create application</button>
      </form>
      {editing && <Branding key={editing} appId={editing} />}
    </>
  );
}

const TYPES = Object.keys(strings.dataTypes) as (keyof typeof strings.dataTypes)[];

function Branding({ appId }: { appId: string }) {
  const [s, setS] = useState<AppSettings | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { manage<AppSettings>("GET", `/applications/${appId}/settings`).then(setS).catch((e) => setError(e.message)); }, [appId]);
  if (!s) return error ? <p class="error" role="alert">{error}</p> : <p class="loading" role="status">Loading…</p>;
  const set = (k: keyof AppSettings, v: unknown) => setS({ ...s, [k]: v === "" ? null : v } as AppSettings);
  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setStatus(null);
    try {
      const { app_id: _id, ...patch } = s;
      delete (patch as Record<string, unknown>).updated_at;
      setS(await manage<AppSettings>("PATCH", `/applications/${appId}/settings`, patch));
      setStatus("Branding saved.");
    } catch (err) { setError((err as Error).message); }
  };
  const accent = readableOnWhite(s.accent_color && /^#[0-9a-f]{6}$/i.test(s.accent_color) ? s.accent_color : "#0b5cad");
  const onAccent = contrast(accent, "#ffffff") >= contrast(accent, "#000000") ? "#ffffff" : "#000000";
  const shown = s.display_name ?? "Your app";
  return (
    <section aria-labelledby="branding-h">
      <h2 id="branding-h">Branding of <code>{appId}</code></h2>
      <div class="split">
        <form onSubmit={save}>
          <label for="b-name">Display name</label>
          <input id="b-name" class="input" value={s.display_name ?? ""} onInput={(e) => set("display_name", e.currentTarget.value)} maxLength={100} />
          <label for="b-logo">Logo URL (https)</label>
          <input id="b-logo" class="input" type="url" value={s.logo_url ?? ""} onInput={(e) => set("logo_url", e.currentTarget.value)} />
          <label for="b-accent">Accent colour</label>
          <input id="b-accent" class="input" type="color" value={s.accent_color ?? "#0b5cad"} onInput={(e) => set("accent_color", e.currentTarget.value)} />
          <fieldset>
            <legend>Data requested</legend>
            {TYPES.map((t) => (
              <label key={t} class="check"><input type="checkbox" checked={s.requested_data_types.includes(t)}
                onChange={(e) => set("requested_data_types", e.currentTarget.checked ? [...s.requested_data_types, t] : s.requested_data_types.filter((x) => x !== t))} /> {strings.dataTypes[t]}</label>
            ))}
          </fieldset>
          <label for="b-redirect">Redirect URL once data flows</label>
          <input id="b-redirect" class="input" type="url" value={s.redirect_url ?? ""} onInput={(e) => set("redirect_url", e.currentTarget.value)} />
          <button type="submit" class="btn">Save branding</button>
          {status && <p role="status">{status}</p>}
          {error && <p class="error" role="alert">{error}</p>}
        </form>
        <figure class="preview" data-testid="branding-preview">
          <figcaption>Live preview of the onboarding page</figcaption>
          <div class="phone" style={{ ["--p-accent" as string]: accent, ["--p-on-accent" as string]: onAccent }}>
            <div class="p-top">{s.logo_url && /^https:/.test(s.logo_url) ? <img src={s.logo_url} alt="" width={32} height={32} referrerpolicy="no-referrer" /> : null}<strong>{shown}</strong></div>
            <p class="p-h">{shown} would like to read your health data</p>
            <ul>{s.requested_data_types.map((t) => <li key={t}>{strings.dataTypes[t as keyof typeof strings.dataTypes] ?? t}</li>)}</ul>
            <span class="p-btn">Continue</span>
          </div>
        </figure>
      </div>
    </section>
  );
}
