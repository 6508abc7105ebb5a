import { startAuthentication } from "@simplewebauthn/browser";
import { useEffect, useState } from "preact/hooks";
import { post } from "../api";

/** One button: the browser offers this site's passkeys; no name, no password. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { document.title = "Sign in · Console · Open Wearables"; }, []);
  const signIn = async () => {
    setBusy(true);
    setError(null);
    try {
      const { ceremony_id, options } = await post<{ ceremony_id: string; options: any }>("/auth/login/options");
      const response = await startAuthentication({ optionsJSON: options });
      await post("/auth/login/verify", { ceremony_id, response });
      onSignedIn();
    } catch (e) {
      setError(e instanceof Error && e.name === "NotAllowedError" ? "Sign-in was cancelled or timed out." : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="narrow">
      <h1>Sign in to the console</h1>
      <p>Use the passkey you created when you joined your organization's console.</p>
      <button type="button" class="btn" onClick={signIn} disabled={busy}>Sign in with a passkey</button>
      {error && <p class="error" role="alert">{error}</p>}
      <p class="muted">No account? Ask an owner of your organization for an invitation link.</p>
    </main>
  );
}
