import { useState } from "preact/hooks";
import { del, get, post, type Columns, type SyncRun, type UserDetail } from "../api";
import { PageTitle } from "../Shell";
import { navigate } from "../router";
import { ago, dateTime, minutes, num, userLabel } from "../format";
import { useLoad } from "../useLoad";
import { TimeChart, summarise } from "../charts/TimeChart";
import { Hypnogram, type Night } from "../charts/Hypnogram";
import { Qr } from "../../steps/Qr";

/** One user: who they are, their data as charts, what their phone sent and what was rejected, and actions. */
export function User({ id }: { id: string }) {
  const user = useLoad(() => get<UserDetail>(`/users/${id}`), [id]);
  if (user.error) {
    return (
      <>
        <PageTitle title="User not found">User not found</PageTitle>
        <p role="alert">{user.error}. <a href="/console/users">Back to users</a>.</p>
      </>
    );
  }
  if (!user.data) return <p class="loading" role="status">Loading…</p>;
  const u = user.data;
  return (
    <>
      <PageTitle title={userLabel(u)}>{userLabel(u)}</PageTitle>
      <dl class="facts">
        <div><dt>User id</dt><dd><code>{u.id}</code></dd></div>
        <div><dt>External id</dt><dd>{u.external_id ?? "none"}</dd></div>
        <div><dt>Providers</dt><dd>{u.providers.join(", ") || "none yet"}</dd></div>
        <div><dt>Last sync</dt><dd>{ago(u.last_sync_at)}</dd></div>
        <div><dt>Stored</dt><dd>{num(u.total_records)} records, {num(u.total_workouts)} workouts, {num(u.total_sleep_sessions)} nights</dd></div>
        <div><dt>Status</dt><dd>{u.stuck ? <span class="badge warn">Stuck: the phone keeps re-sending the same data</span> : u.last_sync_at ? <span class="badge ok">Syncing</span> : <span class="badge">Not connected</span>}</dd></div>
      </dl>
      <HeartRate id={id} initialDay={(u.last_sync_at ?? new Date().toISOString()).slice(0, 10)} />
      <Steps id={id} />
      <Sleep id={id} />
      <Weight id={id} />
      <Workouts id={id} />
      <Sources user={u} />
      <Runs id={id} />
      <Actions user={u} />
    </>
  );
}

function HeartRate({ id, initialDay }: { id: string; initialDay: string }) {
  const [day, setDay] = useState(initialDay);
  const [resolution, setResolution] = useState<"1min" | "raw">("1min");
  const hr = useLoad(() => get<Columns & { day: string }>(`/users/${id}/heart-rate?day=${day}&resolution=${resolution}`), [id, day, resolution]);
  const period = `${day}, ${resolution === "raw" ? "raw samples" : "1-minute mean with min and max"}`;
  return (
    <section aria-labelledby="hr-h">
      <h2 id="hr-h">Heart rate</h2>
      <div class="row">
        <label for="hr-day">Day (UTC)</label>
        <input id="hr-day" class="input" type="date" value={day} onChange={(e) => e.currentTarget.value && setDay(e.currentTarget.value)} />
        <fieldset class="inline">
          <legend>Resolution</legend>
          <label><input type="radio" name="hr-res" checked={resolution === "1min"} onChange={() => setResolution("1min")} /> 1 minute</label>
          <label><input type="radio" name="hr-res" checked={resolution === "raw"} onChange={() => setResolution("raw")} /> Raw</label>
        </fieldset>
      </div>
      {hr.data ? <TimeChart testId="hr-chart" data={hr.data} xRange={[Date.parse(`${day}T00:00:00Z`) / 1000, Date.parse(`${day}T00:00:00Z`) / 1000 + 86_400]} series="Heart rate" label={summarise("Heart rate (bpm)", period, hr.data, "bpm")} /> : <p class="loading" role="status">Loading…</p>}
    </section>
  );
}

function Steps({ id }: { id: string }) {
  const steps = useLoad(() => get<{ days: { date: string; steps: number }[] }>(`/users/${id}/steps?days=30`), [id]);
  const cols = steps.data && { t: steps.data.days.map((d) => Date.parse(`${d.date}T12:00:00Z`) / 1000), v: steps.data.days.map((d) => d.steps) };
  const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`) / 1000;
  return (
    <section aria-labelledby="steps-h">
      <h2 id="steps-h">Steps per day</h2>
      {cols ? <TimeChart testId="steps-chart" kind="bars" data={cols} xRange={[today - 29 * 86_400, today + 86_400]} series="Steps" height={180} label={summarise("Steps per day", "last 30 days", cols, "steps")} /> : <p class="loading" role="status">Loading…</p>}
    </section>
  );
}

function Sleep({ id }: { id: string }) {
  const sleep = useLoad(() => get<{ nights: (Night & { is_nap: boolean })[] }>(`/users/${id}/sleep?days=7`), [id]);
  return (
    <section aria-labelledby="sleep-h">
      <h2 id="sleep-h">Sleep, last 7 nights</h2>
      {!sleep.data ? <p class="loading" role="status">Loading…</p>
        : sleep.data.nights.length === 0 ? <p>No sleep recorded in the last 7 days.</p>
        : sleep.data.nights.filter((n) => !n.is_nap).map((n) => <Hypnogram key={n.id} night={n} />)}
    </section>
  );
}

function Weight({ id }: { id: string }) {
  const w = useLoad(() => get<Columns>(`/users/${id}/weight?days=90`), [id]);
  return (
    <section aria-labelledby="weight-h">
      <h2 id="weight-h">Body weight</h2>
      {!w.data ? <p class="loading" role="status">Loading…</p>
        : w.data.t.length === 0 ? <p>No body weight recorded in the last 90 days.</p>
        : <TimeChart testId="weight-chart" kind="points" data={w.data} xRange={[Date.now() / 1000 - 90 * 86_400, Date.now() / 1000]} series="Weight" height={160} label={summarise("Body weight (kg)", "last 90 days", w.data, "kg", 1)} />}
    </section>
  );
}

interface Workout { id: string; type: string; start_time: string; duration_seconds: number; calories_kcal: number | null; distance_meters: number | null; avg_heart_rate_bpm: number | null; max_heart_rate_bpm: number | null; source: { source_name?: string } | null }

function Workouts({ id }: { id: string }) {
  const w = useLoad(() => get<{ workouts: Workout[] }>(`/users/${id}/workouts?days=30`), [id]);
  const dash = (v: number | null, f: (n: number) => string) => (v === null ? "–" : f(v));
  return (
    <section aria-labelledby="workouts-h">
      <h2 id="workouts-h">Workouts</h2>
      {!w.data ? <p class="loading" role="status">Loading…</p> : (
        <div class="scroll">
          <table>
            <caption>{w.data.workouts.length} workouts in the last 30 days, newest first</caption>
            <thead><tr><th scope="col">Type</th><th scope="col">Start</th><th scope="col" class="num">Duration</th><th scope="col" class="num">Energy</th><th scope="col" class="num">Distance</th><th scope="col" class="num">Avg / max HR</th></tr></thead>
            <tbody>{w.data.workouts.map((x) => (
              <tr key={x.id}>
                <th scope="row">{x.type.replace(/_/g, " ")}</th><td>{dateTime(x.start_time)}</td><td class="num">{minutes(Math.round(x.duration_seconds / 60))}</td>
                <td class="num">{dash(x.calories_kcal, (n) => `${num(Math.round(n))} kcal`)}</td>
                <td class="num">{dash(x.distance_meters, (n) => `${(n / 1000).toFixed(2)} km`)}</td>
                <td class="num">{dash(x.avg_heart_rate_bpm, (n) => `${n}`)} / {dash(x.max_heart_rate_bpm, (n) => `${n}`)} bpm</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Sources({ user }: { user: UserDetail }) {
  return (
    <section aria-labelledby="sources-h">
      <h2 id="sources-h">Data sources</h2>
      <div class="scroll">
        <table>
          <caption>{user.data_sources.length} apps and devices that sent data</caption>
          <thead><tr><th scope="col">Source</th><th scope="col">Provider</th><th scope="col">Device</th><th scope="col">Last seen</th></tr></thead>
          <tbody>{user.data_sources.map((s) => (
            <tr key={s.id}><th scope="row">{s.display_name ?? s.source ?? "unknown"}</th><td>{s.provider}</td><td>{s.device_model ?? "–"}</td><td>{ago(s.last_seen_at)}</td></tr>
          ))}</tbody>
        </table>
      </div>
    </section>
  );
}

function Runs({ id }: { id: string }) {
  const runs = useLoad(() => get<{ runs: SyncRun[] }>(`/users/${id}/sync-runs`), [id]);
  return (
    <section aria-labelledby="runs-h">
      <h2 id="runs-h">Sync runs</h2>
      {!runs.data ? <p class="loading" role="status">Loading…</p> : (
        <div class="scroll">
          <table data-testid="runs">
            <caption>The last {runs.data.runs.length} uploads from the phone, newest first, with every rejected item and why</caption>
            <thead><tr><th scope="col">Started</th><th scope="col">Provider</th><th scope="col">Status</th><th scope="col" class="num">Stored</th><th scope="col" class="num">Duplicates</th><th scope="col">Rejected</th></tr></thead>
            <tbody>{runs.data.runs.map((r) => {
              const dup = Object.values(r.counts.duplicates ?? {}).reduce((a, b) => a + b, 0);
              return (
                <tr key={r.run_id}>
                  <th scope="row">{dateTime(r.started_at)}</th>
                  <td>{r.provider}</td>
                  <td>{r.stuck_client_suspected ? <span class="badge warn">stuck (same batch ×{r.repeat_count + 1})</span> : r.status}</td>
                  <td class="num">{num(r.items_processed)}</td>
                  <td class="num">{num(dup)}</td>
                  <td>
                    {r.rejected_sample.length === 0 ? "none" : (
                      <details>
                        <summary>{num(r.counts.dropped_count ?? r.rejected_sample.length)} rejected</summary>
                        <ul class="rejected">{r.rejected_sample.map((x) => (
                          <li key={`${x.collection}-${x.index}`}><code>{x.collection}[{x.index}]</code> <strong>{x.reason}</strong>: {x.message}</li>
                        ))}</ul>
                      </details>
                    )}
                  </td>
                </tr>
              );
            })}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Actions({ user }: { user: UserDetail }) {
  const [link, setLink] = useState<{ url: string; code: string; expires_at: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState("");
  const [revoked, setRevoked] = useState<number | null>(null);
  const revoke = async () => {
    if (!window.confirm("Sign this user's phone out? The app must be connected again with a new onboarding link.")) return;
    setError(null);
    try { setRevoked((await post<{ revoked_sessions: number }>(`/users/${user.id}/revoke-sessions`)).revoked_sessions); } catch (e) { setError((e as Error).message); }
  };
  const expected = user.email ?? user.id;
  const makeLink = async () => {
    setError(null);
    try { setLink(await post(`/users/${user.id}/onboarding-link`)); } catch (e) { setError((e as Error).message); }
  };
  const remove = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await del(`/users/${user.id}`, { confirm });
      navigate("/console/users");
    } catch (err) { setError((err as Error).message); }
  };
  return (
    <section aria-labelledby="actions-h">
      <h2 id="actions-h">Actions</h2>
      <h3>Onboarding link</h3>
      <p>A one-time link (valid 7 days) that connects this user's phone. Making a new one stops the older ones.</p>
      <button type="button" class="btn" onClick={makeLink}>Create onboarding link</button>
      {link && (
        <div class="secret" role="status">
          <p>Send this link to the user (shown once): <a href={link.url} data-testid="onboarding-url">{link.url}</a></p>
          <Qr text={link.url} label="QR code of the onboarding link" />
        </div>
      )}
      <h3>Sessions</h3>
      <p>Ends every app session of this user (for a lost phone, or to force a reconnect). Access tokens already issued stop working within 15 minutes.</p>
      <button type="button" class="btn secondary" onClick={revoke}>Revoke sessions</button>
      {revoked !== null && <p role="status">{revoked === 1 ? "1 session revoked." : `${revoked} sessions revoked.`}</p>}
      <h3>Delete user</h3>
      <form onSubmit={remove}>
        <p>Deletes the user and all their health data. This cannot be undone.</p>
        <label for="confirm-delete">Type <code>{expected}</code> to confirm</label>
        <input id="confirm-delete" class="input" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} autoComplete="off" />
        <button type="submit" class="btn danger" disabled={confirm.trim() !== expected}>Delete user and data</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
    </section>
  );
}
