import { strings } from "../strings";
import type { ConnectInfo } from "../lib/api";

/** What will be shared and why, in plain words, with the customer's name. */
export function Share({ info, onContinue }: { info: ConnectInfo; onContinue: () => void }) {
  const s = strings.share;
  const name = info.application.display_name;
  return (
    <section aria-labelledby="share-title">
      <h1 id="share-title" tabIndex={-1}>{name ? s.title(name) : s.titleGeneric}</h1>
      <p>{s.intro(name ?? strings.theApp)}</p>
      <h2>{s.listTitle}</h2>
      <ul class="types">
        {info.requested_data_types.map((t) => <li key={t}>{strings.dataTypes[t] ?? t}</li>)}
      </ul>
      <p class="hint">{s.notShared}</p>
      <p class="hint">{s.history}</p>
      <button type="button" class="button" onClick={onContinue}>{s.continue}</button>
    </section>
  );
}
