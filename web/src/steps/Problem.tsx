import { strings } from "../strings";
import type { Failure } from "../lib/api";
import { Notice } from "../ui/Notice";
import { EnterCode } from "./EnterCode";

/** Why a code cannot be used, and the way forward from there. */
export function Problem({ failure, code, name, onRetry, onEnterAnother, onEnterCode }: {
  failure: Failure;
  code: string;
  name: string | null;
  onRetry: () => void;
  onEnterAnother: () => void;
  onEnterCode: (code: string) => void;
}) {
  const p = strings.problem;
  if (failure.kind === "unknown" || failure.kind === "malformed") {
    // Keep what was tried in the field, so a single wrong character is easy to fix.
    return <EnterCode key={code} initial={code} error={failure.kind === "unknown" ? `${p.unknownTitle}. ${p.unknown}` : p.malformed} onSubmit={onEnterCode} />;
  }
  if (failure.kind === "expired") {
    return (
      <section aria-labelledby="problem-title">
        <h1 id="problem-title" tabIndex={-1}>{p.expiredTitle}</h1>
        <Notice tone="warn">{p.expired(name ?? strings.theApp)}</Notice>
        <button type="button" class="button secondary" onClick={onEnterAnother}>{p.enterAnother}</button>
      </section>
    );
  }
  const message = failure.kind === "rate-limited" ? p.rateLimited(failure.retryAfter) : failure.kind === "offline" ? p.offline : p.network;
  return (
    <section aria-labelledby="problem-title">
      <h1 id="problem-title" tabIndex={-1}>{strings.appTitle}</h1>
      <Notice tone="error" role="alert">{message}</Notice>
      <button type="button" class="button" onClick={onRetry}>{p.retry}</button>
    </section>
  );
}
