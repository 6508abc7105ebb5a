import { useEffect, useState } from "preact/hooks";
import { strings } from "../strings";

/**
 * Registers the service worker after the page has rendered (it is not needed for the first screen) and offers
 * an update when a new version is waiting, rather than swapping code under someone mid-flow.
 */
export function UpdatePrompt() {
  const [update, setUpdate] = useState<null | ((reload?: boolean) => Promise<void>)>(null);

  useEffect(() => {
    if (!("serviceWorker" in navigator) || import.meta.env.DEV) return;
    let cancelled = false;
    const start = () =>
      import("virtual:pwa-register").then(({ registerSW }) => {
        if (cancelled) return;
        const updateSW = registerSW({
          immediate: true,
          onNeedRefresh: () => setUpdate(() => updateSW),
        });
      });
    if (document.readyState === "complete") void start();
    else addEventListener("load", () => void start(), { once: true });
    return () => {
      cancelled = true;
    };
  }, []);

  if (update) {
    return (
      <div class="toast" role="status">
        <p>{strings.update.available}</p>
        <div class="row">
          <button type="button" class="button small" onClick={() => void update(true)}>{strings.update.reload}</button>
          <button type="button" class="button small secondary" onClick={() => setUpdate(null)}>{strings.update.dismiss}</button>
        </div>
      </div>
    );
  }
  return null;
}
