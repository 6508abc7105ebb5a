import { get, type Overview as Data } from "../api";
import { PageTitle } from "../Shell";
import { ago, num } from "../format";
import { useLoad } from "../useLoad";

/** Is data flowing, and what needs fixing: every figure links to where it is fixed. */
export function Overview() {
  const { data, error } = useLoad(() => get<Data>("/overview"));
  return (
    <>
      <PageTitle title="Overview">Overview</PageTitle>
      {error && <p class="error" role="alert">{error}</p>}
      {!data ? <p class="loading" role="status">Loading…</p> : (
        <>
          <ul class="stats" aria-label="Key figures">
            <li><a href="/console/users"><span class="stat" data-testid="stat-users">{num(data.users_total)}</span> users</a></li>
            <li><a href="/console/users"><span class="stat" data-testid="stat-connected">{num(data.connected_users)}</span> connected (have synced)</a></li>
            <li><a href="/console/users"><span class="stat" data-testid="stat-active">{num(data.active_24h)}</span> active in the last 24 h</a></li>
            <li><a href="#stuck"><span class="stat" data-testid="stat-stuck">{num(data.stuck_clients.length)}</span> stuck clients</a></li>
            <li><a href="/console/webhooks"><span class="stat" data-testid="stat-webhooks">{num(data.failing_webhooks.length)}</span> failing webhook endpoints</a></li>
          </ul>
          {data.sampled_users < data.users_total && (
            <p class="muted">Activity figures cover the {num(data.sampled_users)} most recently created users.</p>
          )}

          <h2 id="stuck">Stuck clients</h2>
          {data.stuck_clients.length === 0 ? <p>No client keeps re-sending the same data.</p> : (
            <>
              <p>These phones keep uploading the same batch and nothing new is stored. Open the user to see their sync runs.</p>
              <ul>{data.stuck_clients.map((s) => (
                <li key={s.user_id}><a href={`/console/users/${s.user_id}`}>{s.label}</a>: same batch {s.repeat_count + 1} times, last sync {ago(s.last_sync_at)}</li>
              ))}</ul>
            </>
          )}

          <h2 id="webhooks">Failing webhook endpoints</h2>
          {data.failing_webhooks.length === 0 ? <p>Every webhook endpoint is delivering.</p> : (
            <ul>{data.failing_webhooks.map((w) => (
              <li key={w.id}>
                <code>{w.url}</code>: {w.enabled ? `${w.consecutive_failures} failures in a row since ${ago(w.failing_since)}` : `disabled (${w.disabled_reason ?? "failing"})`}.
                {" "}Fix the receiver, then <a href="/console/webhooks">re-enable it on the Webhooks page</a>.
              </li>
            ))}</ul>
          )}

          <h2 id="per-day">Uploads per day</h2>
          <table>
            <caption>Uploads and records stored per day (UTC), last {data.per_day.length} days</caption>
            <thead><tr><th scope="col">Day</th><th scope="col" class="num">Uploads</th><th scope="col" class="num">Records stored</th></tr></thead>
            <tbody>
              {[...data.per_day].reverse().map((d) => (
                <tr key={d.date}><th scope="row">{d.date}</th><td class="num">{num(d.uploads)}</td><td class="num">{num(d.records)}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
