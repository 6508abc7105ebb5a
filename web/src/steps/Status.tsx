import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { strings } from "../strings";
import { fetchStatus, type ConnectInfo, type ConnectStatus, type FirstSync } from "../lib/api";
import type { Platform } from "../lib/platform";
import { getProvider } from "../lib/prefs";
import { Notice } from "../ui/Notice";

/** Poll quickly while something is about to happen, slowly once data flows; never while the page is hidden. */
const WAIT_MS = 3000;
const FLOWING_MS = 10_000;
/** After this long connected without a record, show what to try. */
const NOTHING_AFTER_MS = 2 * 60_000;

type Problem = null | "offline" | "failed" | { retryAfter: number };

export function Status({ info, code, platform, onBack }: { info: ConnectInfo; code: string; platform: Platform; onBack: () => void }) {
  const s = strings.status;
  const name = info.application.display_name ?? strings.theApp;
  const [status, setStatus] = useState<ConnectStatus | null>(null);
  const [problem, setProblem] = useState<Problem>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      clearTimeout(timer.current);
      if (stopped || document.visibilityState === "hidden") return;
      const result = await fetchStatus(code);
      if (stopped) return;
      let delay = WAIT_MS;
      if (result.kind === "ok") {
        setStatus(result.value);
        setProblem(null);
        // Slow down once data flows, unless the first sync is still moving: then its progress is worth watching.
        if (result.value.stage === "receiving_data" && result.value.first_sync?.state !== "in_progress") delay = FLOWING_MS;
      } else if (result.kind === "rate-limited") {
        setProblem({ retryAfter: result.retryAfter });
        delay = result.retryAfter * 1000;
      } else {
        setProblem(result.kind === "offline" ? "offline" : "failed");
        delay = FLOWING_MS;
      }
      timer.current = setTimeout(poll, delay);
    };
    const wake = () => void poll();
    document.addEventListener("visibilitychange", wake);
    addEventListener("online", wake);
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer.current);
      document.removeEventListener("visibilitychange", wake);
      removeEventListener("online", wake);
    };
  }, [code]);

  const stage = status?.stage ?? "waiting_for_app";
  const connected = stage !== "waiting_for_app";
  const receiving = stage === "receiving_data";
  const elapsed = status?.connected_at ? Date.parse(status.server_time) - Date.parse(status.connected_at) : 0;
  const types = new Set(info.requested_data_types);

  return (
    <section aria-labelledby="status-title">
      <h1 id="status-title" tabIndex={-1}>{s.title}</h1>
      <ol class="progress" aria-live="polite" data-testid="progress">
        <Item done={connected} label={s.connected} help={connected ? s.connectedHelp : s.waitingHelp(name)} current={!connected} pendingLabel={s.waiting} />
        <Item done={receiving} label={s.receiving} current={connected && !receiving}
          help={receiving && status ? <Counts status={status} /> : undefined} />
        {status?.first_sync && (
          <Item done={status.first_sync.state === "done"} current={status.first_sync.state !== "done"}
            label={s.historyDone} pendingLabel={s.history} help={<History sync={status.first_sync} />} />
        )}
      </ol>
      {status?.first_sync?.stalled && <Notice tone="warn" role="status">{s.historyStalled}</Notice>}
      {!status && !problem && <p class="hint" role="status">{s.checking}</p>}
      {problem === "offline" && <Notice tone="info" role="status">{s.offline}</Notice>}
      {problem === "failed" && <Notice tone="warn" role="status">{s.failed}</Notice>}
      {problem && typeof problem === "object" && <Notice tone="warn" role="status">{s.rateLimited(problem.retryAfter)}</Notice>}

      {receiving && (status?.first_sync?.state === "in_progress"
        ? <Notice tone="info" role="status">{s.historyKeepOpen(name)}</Notice>
        : <Notice tone="ok">{s.allSet}</Notice>)}
      {receiving && info.application.redirect_url && (
        <a class="button" href={info.application.redirect_url}>{s.finish(name)}</a>
      )}

      {connected && !receiving && (
        <details class="help" open={elapsed > NOTHING_AFTER_MS}>
          <summary>{s.nothingTitle}</summary>
          <ol>{s.nothingSteps.map((step) => <li key={step}>{step}</li>)}</ol>
        </details>
      )}
      {connected && (
        <details class="help">
          <summary>{s.partialTitle}</summary>
          {receiving && status && types.has("sleep") && status.total_sleep_sessions === 0 && <p>{s.noSleep}</p>}
          {receiving && status && types.has("workout") && status.total_workouts === 0 && <p>{s.noWorkouts}</p>}
          <p>{s.partialIntro}</p>
          <PermissionHelp platform={platform} name={name} />
        </details>
      )}
      {!connected && <button type="button" class="button secondary" onClick={onBack}>{s.back}</button>}
    </section>
  );
}

function Item({ done, current, label, pendingLabel, help }: {
  done: boolean; current: boolean; label: string; pendingLabel?: string; help?: ComponentChildren;
}) {
  const s = strings.status;
  return (
    <li class={done ? "done" : current ? "current" : "todo"}>
      <span class="dot" aria-hidden="true">{done ? "✓" : ""}</span>
      <span>
        <strong>{done || !pendingLabel ? label : pendingLabel}</strong>
        <span class="visually-hidden">{`: ${done ? s.done : s.pending}`}</span>
        {help && <span class="hint block">{help}</span>}
      </span>
    </li>
  );
}

function Counts({ status }: { status: ConnectStatus }) {
  const s = strings.status;
  const last = status.last_sync_at ? new Date(status.last_sync_at).toLocaleString() : null;
  return (
    <>
      <span class="count" data-testid="record-count">{s.records(status.total_records)}</span>
      {(status.total_workouts > 0 || status.total_sleep_sessions > 0) && (
        <span class="block">{[s.workouts(status.total_workouts), s.sleeps(status.total_sleep_sessions)].join(" · ")}</span>
      )}
      {last && <span class="block">{s.lastSync(last)}</span>}
    </>
  );
}

/** A long list of type names, cut to the first few. */
const short = (names: string[], max = 4) => (names.length <= max + 1 ? names.join(", ") : strings.status.andMore(names.slice(0, max), names.length - max));

/** The first sync, from the SDK's own reports: a bar, what is done and what is still coming. */
function History({ sync }: { sync: FirstSync }) {
  const s = strings.status;
  if (sync.state === "done") return <span data-testid="first-sync">{s.historyFinished(sync.types_total)}</span>;
  return (
    <span class="block" data-testid="first-sync">
      <progress class="history" max={100} value={sync.percent} aria-label={s.history}>{s.historyPercent(sync.percent)}</progress>
      <span class="count">{s.historyPercent(sync.percent)}</span>
      <span class="block">{s.historyTypes(sync.types_done, sync.types_total)}</span>
      {sync.done_types.length > 0 && <span class="block">{s.historyDoneList(short(sync.done_types))}</span>}
      {sync.in_progress_types.length > 0 && <span class="block">{s.historyPendingList(short(sync.in_progress_types))}</span>}
      <span class="block">{s.historyNewestFirst}</span>
    </span>
  );
}

function PermissionHelp({ platform, name }: { platform: Platform; name: string }) {
  const s = strings.status;
  const provider = getProvider();
  const lines = platform === "ios" ? [s.partialIos(name), s.iosNote]
    : platform === "android" ? [provider === "samsung" ? s.partialSamsung(name) : s.partialHealthConnect(name)]
    : [s.partialIos(name), s.partialHealthConnect(name), s.partialSamsung(name)];
  return <ul>{lines.map((l) => <li key={l}>{l}</li>)}</ul>;
}
