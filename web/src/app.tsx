import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { strings } from "./strings";
import { fetchConnectInfo, readSaved, type ConnectInfo, type Failure } from "./lib/api";
import { checkCode } from "./lib/code";
import { detectPlatform, type Platform } from "./lib/platform";
import { applyAccent } from "./lib/theme";
import { Layout } from "./ui/Layout";
import { EnterCode } from "./steps/EnterCode";
import { Share } from "./steps/Share";
import { Device } from "./steps/Device";
import { Status } from "./steps/Status";
import { Problem } from "./steps/Problem";
import { UpdatePrompt } from "./ui/UpdatePrompt";

/**
 * The onboarding flow: code → what is shared → open the app (per platform) → status. The step lives in the URL
 * (`/connect?step=…#CODE`) so reloads, the back button and offline reloads land where the person was. The code
 * is in the fragment, which browsers never send to a server, so it stays out of request logs; links from before
 * (`/connect?code=…`) still work and are rewritten at once.
 */

export type Step = "share" | "device" | "status";
const STEPS: Step[] = ["share", "device", "status"];

interface Location { code: string | null; step: Step | null }

/** The code as the URL carries it: `#CODE` (or `#code=CODE`), else the old `?code=`. */
function rawCode(): string | null {
  const hash = decodeURIComponent(location.hash.replace(/^#/, ""));
  if (hash) return new URLSearchParams(hash).get("code") ?? hash;
  return new URLSearchParams(location.search).get("code");
}

function readLocation(): Location {
  const check = checkCode(rawCode() ?? "");
  const step = new URLSearchParams(location.search).get("step") as Step | null;
  return {
    code: check.kind === "complete" ? check.code : null,
    step: step && STEPS.includes(step) ? step : null,
  };
}

function writeLocation(next: Location, replace = false) {
  const step = next.code && next.step && next.step !== "share" ? `?step=${next.step}` : "";
  history[replace ? "replaceState" : "pushState"](null, "", `/connect${step}${next.code ? `#${next.code}` : ""}`);
}

const linkHadCode = rawCode() !== null;
// An old link's code leaves the query string (the part of the address that servers log) before anything is
// requested with it.
if (new URLSearchParams(location.search).has("code")) writeLocation(readLocation(), true);

type Load = { kind: "idle" } | { kind: "loading" } | { kind: "ready"; info: ConnectInfo; stale: boolean } | Failure;

export function App() {
  const [loc, setLoc] = useState<Location>(readLocation);
  const [load, setLoad] = useState<Load>(() => {
    const saved = loc.code ? readSaved(loc.code) : null;
    return saved ? { kind: "ready", info: saved, stale: true } : { kind: "idle" };
  });
  const [platform, setPlatform] = useState<Platform>(() => detectPlatform());
  const navigated = useRef(false);
  const [invalidTyped, setInvalidTyped] = useState(() => linkHadCode && !loc.code);

  useEffect(() => {
    const onPop = () => {
      navigated.current = true;
      setLoc(readLocation());
    };
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);

  const loadCode = useCallback(async (code: string) => {
    setLoad((prev) => (prev.kind === "ready" ? prev : { kind: "loading" }));
    const result = await fetchConnectInfo(code);
    if (result.kind === "ok") {
      setLoad({ kind: "ready", info: result.value, stale: !!result.stale });
      // A code the app already redeemed opens straight on the status page.
      if (result.value.code_state === "used" && !readLocation().step) go({ code, step: "status" }, true);
    } else {
      setLoad(result);
    }
  }, []);

  useEffect(() => {
    if (loc.code) void loadCode(loc.code);
  }, [loc.code, loadCode]);

  const info = load.kind === "ready" ? load.info : load.kind === "expired" ? load.info : null;
  useEffect(() => applyAccent(info?.application.accent_color ?? null), [info?.application.accent_color]);

  function go(next: Location, replace = false) {
    navigated.current = true;
    writeLocation(next, replace);
    setLoc(next);
    scrollTo(0, 0);
  }

  const name = info?.application.display_name ?? null;
  let body;
  let stepNumber: number | null = null;
  if (!loc.code) {
    body = (
      <EnterCode
        invalidFromLink={invalidTyped}
        onSubmit={(code) => {
          setInvalidTyped(false);
          setLoad({ kind: "loading" });
          go({ code, step: null });
        }}
      />
    );
  } else if (load.kind === "idle" || load.kind === "loading") {
    body = <p role="status" class="loading">{strings.loading}</p>;
  } else if (load.kind !== "ready") {
    body = <Problem failure={load} code={loc.code} name={name} onRetry={() => loc.code && loadCode(loc.code)} onEnterAnother={() => go({ code: null, step: null })}
      onEnterCode={(code) => {
        setLoad({ kind: "loading" });
        if (code === loc.code) void loadCode(code);
        else go({ code, step: null });
      }} />;
  } else {
    const step = loc.step ?? "share";
    stepNumber = STEPS.indexOf(step) + 1;
    const code = loc.code;
    const online = !load.stale;
    if (step === "share") body = <Share info={load.info} onContinue={() => go({ code, step: "device" })} />;
    else if (step === "device") {
      body = (
        <Device info={load.info} code={code} platform={platform} onPlatform={setPlatform} offline={!online}
          onContinue={() => go({ code, step: "status" })} />
      );
    } else body = <Status info={load.info} code={code} platform={platform} onBack={() => go({ code, step: "device" })} />;
  }

  return (
    <Layout branding={info?.application ?? null} name={name} stepNumber={stepNumber} stepCount={STEPS.length}
      stepKey={`${loc.code ?? ""}:${loc.step ?? ""}:${load.kind}`} moveFocus={navigated.current}>
      {body}
      <UpdatePrompt />
    </Layout>
  );
}
