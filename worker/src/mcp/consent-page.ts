import type { ConsentDescription } from "@cloudflare/workers-oauth-provider";

/**
 * The consent page's HTML. Everything that came from the client (name, redirect host, scopes) was chosen by whoever
 * registered it, so it is escaped. Shows what the MCP security guidance asks for: the client's name (marked
 * unverified: dynamic registration is self-asserted), where the tokens go, a warning for a local app, the scope.
 */

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#111}
h1{font-size:1.4rem}.box{border:1px solid #ccc;border-radius:8px;padding:1rem 1.25rem;margin:1rem 0}
.warn{background:#fff6e0;border-color:#e0b040}label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input[type=password]{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{font:inherit;padding:.5rem 1.25rem;margin-right:.5rem;border-radius:6px;border:1px solid #888;cursor:pointer}
button[value=approve]{background:#1a56db;color:#fff;border-color:#1a56db}.err{color:#b00020}`;

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style><body>${body}</body></html>`;

export function consentPage(details: ConsentDescription, handle: string, credentialField: string | null, signedInAs: string | null): string {
  const name = escapeHtml(details.clientName);
  const credential = credentialField
    ? `<label for="credential">Organization API key</label>
  <input id="credential" type="password" name="${escapeHtml(credentialField)}" autocomplete="off" required placeholder="sk-…">
  <p>The connection will read the data of that key's organization only. Or <a href="/console">sign in to the console</a>
  in this browser and reload this page.</p>`
    : `<p>Signed in to the console as <strong>${escapeHtml(signedInAs ?? "")}</strong>; the connection will read your organization's data only.</p>`;
  return page(`Allow ${details.clientName}?`, `
<h1>Allow <strong>${name}</strong> to read your organization's health data?</h1>
<div class="box">
  <p>This app registered itself; its name is not verified.</p>
  <p>Access will be sent to <strong>${escapeHtml(details.redirectHost)}</strong>.</p>
  <p>It will be able to: <strong>${details.scope.map(escapeHtml).join(", ") || "health:read"}</strong> — read users, activity, sleep,
  workouts, time series, body measurements and sync status of your organization's users. It cannot change anything.</p>
</div>
${details.redirectIsLoopback ? `<div class="box warn"><strong>This sends access to an app on your computer.</strong>
Continue only if you just started connecting from it.</div>` : ""}
<form method="post">
  <input type="hidden" name="handle" value="${escapeHtml(handle)}">
  ${credential}
  <p><button type="submit" name="decision" value="approve">Allow</button><button type="submit" name="decision" value="deny" formnovalidate>Deny</button></p>
</form>
<p>You can revoke this access at any time (console → <a href="/console/assistants">Assistants (MCP)</a>, or <code>DELETE /api/v1/mcp/grants/{id}</code>).</p>`);
}

export const errorPage = (message: string) =>
  page("Cannot connect", `<h1>Cannot connect</h1><p class="err">${escapeHtml(message)}</p>`);
