import { useState } from "preact/hooks";
import { del, get, post, type Me } from "../api";
import { PageTitle } from "../Shell";
import { ago, dateTime } from "../format";
import { useLoad } from "../useLoad";

interface TeamData {
  members: { id: string; display_name: string; role: string; created_at: string; passkeys: number; last_seen_at: string | null }[];
  invitations: { id: string; kind: string; role: string; created_at: string; expires_at: string }[];
}

/** Members and open invitations. Owners invite (one-time links, shown once), revoke invitations and remove members. */
export function Team({ me }: { me: Me }) {
  const team = useLoad(() => get<TeamData>("/team"));
  const [role, setRole] = useState<"member" | "owner">("member");
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const owner = me.role === "owner";
  const act = async (f: () => Promise<unknown>) => {
    setError(null);
    try { await f(); team.reload(); } catch (e) { setError((e as Error).message); }
  };
  const invite = () => act(async () => setLink((await post<{ url: string }>("/team/invitations", { role })).url));
  const remove = (m: TeamData["members"][number]) => {
    if (confirm(`Remove ${m.display_name} from the team? Their sessions end at once.`)) act(() => del(`/team/members/${m.id}`));
  };
  return (
    <>
      <PageTitle title="Team">Team</PageTitle>
      {error && <p class="error" role="alert">{error}</p>}
      {!team.data ? <p class="loading" role="status">Loading…</p> : (
        <>
          <table data-testid="members">
            <caption>{team.data.members.length} members of {me.organization_name ?? "this organization"}</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Joined</th><th scope="col">Last active</th>{owner && <th scope="col">Action</th>}</tr></thead>
            <tbody>{team.data.members.map((m) => (
              <tr key={m.id}>
                <th scope="row">{m.display_name}{m.id === me.member_id ? " (you)" : ""}</th><td>{m.role}</td><td>{dateTime(m.created_at)}</td><td>{ago(m.last_seen_at)}</td>
                {owner && <td>{m.id !== me.member_id && <button type="button" class="btn secondary small" onClick={() => remove(m)} aria-label={`Remove ${m.display_name}`}>Remove</button>}</td>}
              </tr>
            ))}</tbody>
          </table>
          <h2>Invitations</h2>
          <table>
            <caption>{team.data.invitations.length} open invitation links (each works once, for 7 days)</caption>
            <thead><tr><th scope="col">Role</th><th scope="col">Created</th><th scope="col">Expires</th>{owner && <th scope="col">Action</th>}</tr></thead>
            <tbody>{team.data.invitations.map((l) => (
              <tr key={l.id}>
                <th scope="row">{l.role}</th><td>{dateTime(l.created_at)}</td><td>{dateTime(l.expires_at)}</td>
                {owner && <td><button type="button" class="btn secondary small" onClick={() => act(() => del(`/team/invitations/${l.id}`))}>Revoke</button></td>}
              </tr>
            ))}</tbody>
          </table>
          {owner ? (
            <>
              <h2>Invite someone</h2>
              <fieldset class="inline">
                <legend>Role</legend>
                <label><input type="radio" name="role" checked={role === "member"} onChange={() => setRole("member")} /> Member</label>
                <label><input type="radio" name="role" checked={role === "owner"} onChange={() => setRole("owner")} /> Owner (can invite and remove)</label>
              </fieldset>
              <button type="button" class="btn" onClick={invite}>Create invitation link</button>
              {link && <p class="secret" role="status">Send this link to the person (shown once): <code data-testid="invite-url">{link}</code></p>}
            </>
          ) : <p>Only owners can invite or remove members.</p>}
        </>
      )}
    </>
  );
}
