import type { FunctionComponent } from "preact";
import { useEffect, useState } from "preact/hooks";
import { strings } from "../strings";
import type { ConnectInfo } from "../lib/api";
import { formatCode } from "../lib/code";
import { androidIntent, deepLink, universalLink } from "../lib/links";
import type { Platform } from "../lib/platform";
import { getProvider, setProvider, type Provider } from "../lib/prefs";
import { Notice } from "../ui/Notice";

type QrProps = { text: string; label: string };

/** The QR code is only drawn on computers, so its code stays out of the first screen's bundle. */
function LazyQr(props: QrProps) {
  const [Qr, setQr] = useState<FunctionComponent<QrProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    import("./Qr").then((m) => setQr(() => m.Qr), () => setFailed(true));
  }, []);
  if (Qr) return <Qr {...props} />;
  return <p class="qr-box">{failed ? strings.problem.offline : strings.device.qrLoading}</p>;
}

interface Props {
  info: ConnectInfo;
  code: string;
  platform: Platform;
  onPlatform: (p: Platform) => void;
  offline: boolean;
  onContinue: () => void;
}

/** Getting from this page into the customer's app, the right way for the device in hand. */
export function Device({ info, code, platform, onPlatform, offline, onContinue }: Props) {
  const d = strings.device;
  const desktop = platform === "desktop";
  return (
    <section aria-labelledby="device-title">
      <h1 id="device-title" tabIndex={-1}>{desktop ? d.titleDesktop : d.title}</h1>
      <PlatformSwitch platform={platform} onPlatform={onPlatform} />
      {desktop ? <Desktop code={code} /> : <OpenApp info={info} code={code} platform={platform} offline={offline} />}
      <button type="button" class="button secondary" onClick={onContinue}>{desktop ? d.nextDesktop : d.next}</button>
    </section>
  );
}

function PlatformSwitch({ platform, onPlatform }: { platform: Platform; onPlatform: (p: Platform) => void }) {
  const d = strings.device;
  return (
    <div class="platform">
      <p>{d.detected[platform]}</p>
      <p class="hint" id="platform-other">{d.other}</p>
      <div role="group" aria-labelledby="platform-other" class="segmented">
        {(["ios", "android", "desktop"] as const).map((p) => (
          <button key={p} type="button" class="chip" aria-pressed={p === platform} onClick={() => onPlatform(p)}>{d.pick[p]}</button>
        ))}
      </div>
    </div>
  );
}

function OpenApp({ info, code, platform, offline }: { info: ConnectInfo; code: string; platform: "ios" | "android"; offline: boolean }) {
  const d = strings.device;
  const app = info.application;
  const name = app.display_name ?? strings.theApp;
  const host = location.origin;
  const [provider, choose] = useState<Provider>(getProvider);
  const [maybeMissing, setMaybeMissing] = useState(false);

  const scheme = deepLink(app, host, code);
  const universal = universalLink(app, host, code);
  const intent = platform === "android" ? androidIntent(app, host, code) : null;
  // iOS: a universal link falls back to a web page when the app is missing; a bare scheme fails silently.
  const primary = platform === "ios" ? universal ?? scheme : intent ?? scheme;
  const store = platform === "ios" ? app.app_store_url : app.play_store_url;

  // If the page is still in front a moment after tapping, the app probably is not installed.
  useEffect(() => {
    const onHide = () => setMaybeMissing(false);
    document.addEventListener("visibilitychange", onHide);
    return () => document.removeEventListener("visibilitychange", onHide);
  }, []);
  const onOpen = () => {
    setTimeout(() => {
      if (document.visibilityState === "visible") setMaybeMissing(true);
    }, 2500);
  };

  return (
    <>
      <p>{platform === "ios" ? d.iosHow(name) : d.androidHow(name)}</p>
      {platform === "android" && (
        <fieldset class="providers">
          <legend>{d.providerLegend}</legend>
          <p class="hint">{d.providerHelp}</p>
          {(["google", "samsung"] as const).map((p) => (
            <label key={p} class="provider">
              <input type="radio" name="provider" value={p} checked={provider === p}
                onChange={() => { choose(p); setProvider(p); }} />
              <span>
                <strong>{p === "google" ? d.healthConnect : d.samsungHealth}</strong>
                <span class="hint">{p === "google" ? d.healthConnectHelp : d.samsungHealthHelp}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {offline && <Notice tone="info">{d.offline}</Notice>}
      <a class="button" href={primary} onClick={onOpen} data-testid="open-app">{app.display_name ? d.open(app.display_name) : d.openGeneric}</a>
      <p class="hint">{d.typeCode(formatCode(code))}</p>
      {maybeMissing && (
        <Notice tone="warn" role="status">
          <strong>{d.notOpening}</strong> {d.notInstalled(name)}
        </Notice>
      )}
      <ul class="links">
        {store && (
          <li><a href={store} rel="noopener noreferrer" target="_blank">{platform === "ios" ? d.appStore : d.playStore}</a></li>
        )}
        {universal && primary !== universal && <li><a href={universal} data-testid="universal-link">{d.universal}</a></li>}
        {primary !== scheme && <li><a href={scheme} data-testid="scheme-link">{d.direct}</a></li>}
      </ul>
    </>
  );
}

function Desktop({ code }: { code: string }) {
  const d = strings.device;
  const link = `${location.origin}/connect#${code}`;
  const [copied, setCopied] = useState(false);
  return (
    <>
      <h2>{d.qrTitle}</h2>
      <LazyQr text={link} label={d.qrAlt} />
      <p>{d.qrHelp}</p>
      <p class="link-row">
        <code class="link">{link}</code>
        {"clipboard" in navigator && (
          <button type="button" class="button small secondary" onClick={() => {
            void navigator.clipboard.writeText(link).then(() => setCopied(true), () => setCopied(false));
          }}>{copied ? d.copied : d.copyLink}</button>
        )}
      </p>
      <p class="hint">{d.typeCode(formatCode(code))}</p>
    </>
  );
}
