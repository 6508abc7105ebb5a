import { useState } from "preact/hooks";
import { get, type UserRow } from "../api";
import { PageTitle } from "../Shell";
import { navigate } from "../router";
import { ago, num, userLabel } from "../format";
import { useLoad } from "../useLoad";

/** Search and page through the organization's users; state lives in the query string so it can be shared. */
export function Users() {
  const params = new URLSearchParams(location.search);
  const search = params.get("search") ?? "";
  const page = Math.max(1, Number(params.get("page")) || 1);
  const [draft, setDraft] = useState(search);
  const { data, error } = useLoad(
    () => get<{ items: UserRow[]; total: number; page: number; pages: number }>(`/users?${new URLSearchParams({ ...(search ? { search } : {}), page: String(page) })}`),
    [search, page],
  );
  const go = (s: string, p: number) => navigate(`/console/users?${new URLSearchParams({ ...(s ? { search: s } : {}), ...(p > 1 ? { page: String(p) } : {}) })}`);
  return (
    <>
      <PageTitle title="Users">Users</PageTitle>
      <form role="search" class="row" onSubmit={(e) => { e.preventDefault(); go(draft.trim(), 1); }}>
        <label for="user-search">Search by email, name, external id or user id</label>
        <input id="user-search" class="input" type="search" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
        <button type="submit" class="btn">Search</button>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {!data ? <p class="loading" role="status">Loading…</p> : (
        <>
          <table>
            <caption>{num(data.total)} {data.total === 1 ? "user" : "users"}{search ? ` matching “${search}”` : ""}, page {data.page} of {data.pages}</caption>
            <thead>
              <tr>
                <th scope="col">User</th><th scope="col">Providers</th><th scope="col">Last sync</th>
                <th scope="col" class="num">Records</th><th scope="col" class="num">Workouts</th><th scope="col" class="num">Nights</th><th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((u) => (
                <tr key={u.id}>
                  <th scope="row"><a href={`/console/users/${u.id}`}>{userLabel(u)}</a></th>
                  <td>{u.providers.join(", ") || "none yet"}</td>
                  <td>{ago(u.last_sync_at)}</td>
                  <td class="num">{num(u.total_records)}</td>
                  <td class="num">{num(u.total_workouts)}</td>
                  <td class="num">{num(u.total_sleep_sessions)}</td>
                  <td>{u.stuck ? <span class="badge warn">Stuck: re-sending the same data</span> : u.last_sync_at ? <span class="badge ok">Syncing</span> : <span class="badge">Not connected</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav aria-label="Pages" class="row">
            <button type="button" class="btn secondary" disabled={page <= 1} onClick={() => go(search, page - 1)}>Previous page</button>
            <button type="button" class="btn secondary" disabled={page >= data.pages} onClick={() => go(search, page + 1)}>Next page</button>
          </nav>
        </>
      )}
    </>
  );
}
