import { useEffect, useState } from "preact/hooks";

/** Loads once per key; `reload` fetches again (after an action changed the data). */
export function useLoad<T>(load: () => Promise<T>, key: unknown[] = []) {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then((data) => live && setState({ data, loading: false })).catch((e) => live && setState({ error: (e as Error).message, loading: false }));
    return () => { live = false; };
  }, [...key, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}
