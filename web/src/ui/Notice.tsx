import type { ComponentChildren } from "preact";

/** A boxed message. `alert` is announced at once by screen readers; `status` politely. */
export function Notice({ tone, role, children }: { tone: "info" | "warn" | "error" | "ok"; role?: "alert" | "status"; children: ComponentChildren }) {
  return <div class={`notice ${tone}`} role={role}>{children}</div>;
}
