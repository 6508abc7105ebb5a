import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { post, type Me } from "./api";

const NAV = [
  ["/console", "Overview"],
  ["/console/users", "Users"],
  ["/console/apps", "Applications"],
  ["/console/keys", "API keys"],
  ["/console/webhooks", "Webhooks"],
  ["/console/assistants", "Assistants (MCP)"],
  ["/console/team", "Team"],
] as const;

/** Banner, navigation and main landmarks; focus moves to the new page's heading after each navigation. */
export function Shell({ me, path, onSignedOut, children }: { me: Me; path: string; onSignedOut: () => void; children: ComponentChildren }) {
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    main.current?.querySelector<HTMLElement>("h1")?.focus();
  }, [path]);
  const current = (href: string) => (href === "/console" ? path === "/console" || path === "/console/" : path.startsWith(href));
  const signOut = async () => {
    await post("/auth/logout").catch(() => {});
    onSignedOut();
  };
  return (
    <>
      <a class="skip" href="#main">Skip to content</a>
      <header class="bar">
        <span class="brand">Open Wearables <span class="muted">console</span></span>
        <span class="org" data-testid="org-name">{me.organization_name ?? me.organization_id}</span>
        <span class="who">{me.display_name} ({me.role})</span>
        <button type="button" class="btn secondary" onClick={signOut}>Sign out</button>
      </header>
      <nav aria-label="Console" class="nav">
        <ul>
          {NAV.map(([href, label]) => (
            <li key={href}><a href={href} aria-current={current(href) ? "page" : undefined}>{label}</a></li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main}>{children}</main>
    </>
  );
}

/** The page's one h1 (focusable so navigation can move focus to it) and the document title. */
export function PageTitle({ children, title }: { children: ComponentChildren; title: string }) {
  useEffect(() => {
    document.title = `${title} · Console · Open Wearables`;
  }, [title]);
  return <h1 tabIndex={-1}>{children}</h1>;
}
