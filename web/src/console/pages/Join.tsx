import { startRegistration } from "@simplewebauthn/browser";
import { useEffect, useState } from "preact/hooks";
import { post } from "../api";
import { navigate } from "../router";

/**
 * /console/join#t=<token>: a one-time sign-up or invitation link. The token is read from the fragment (never sent
 * in a URL to the server) and removed from the address bar at once, so it is not kept in history or bookmarks.
 */
const token = (() => {
  const t = new URLSearchParams(location.hash.slice(1)).get("t");
  if (location.pathname !== "/console/join") return null;
  if (location.hash) history.replaceState(null, "", location.pathname);
  return t;
})();

export function Join({ onSignedIn }: { onSignedIn: () => void }) {
  const [info, setInfo] = useState<{ kind: string; role: string; organization_name: string | null } | null>(null);
  const [error, setError] = useState<string | null>(token ? null : "This link is incomplete. Open the whole link you were sent.");
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = "Join · Console · Open Wearables";
    if (token) post<typeof info>("/auth/link", { token }).then(setInfo).catch((e) => setError(e.message));
  }, []);
  const join = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { ceremony_id, options } = await post<{ ceremony_id: string; options: any }>("/auth/register/options", { token, display_name: name });
      const response = await startRegistration({ optionsJSON: options });
      await post("/auth/register/verify", { ceremony_id, response });
      navigate("/console", true);
      onSignedIn();
    } catch (err) {
      setError((err as Error).name === "NotAllowedError" ? "Creating the passkey was cancelled or timed out." : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="narrow">
      <h1>Join {info?.organization_name ?? "the console"}</h1>
      {info && (
        <form onSubmit={join}>
          <p>You are joining as <strong>{info.role}</strong>. Your passkey (fingerprint, face, device PIN or security key) is all you will need to sign in; there is no password.</p>
          <label for="name">Your name</label>
          <input id="name" class="input" value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={80} autoComplete="name" />
          <button type="submit" class="btn" disabled={busy || !name.trim()}>Create passkey and join</button>
        </form>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </main>
  );
}
