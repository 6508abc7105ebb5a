import { OWLogLevel } from "./types";

/** A minimal broadcast stream with Dart-like `listen(...)` (every listener gets every event). */
export class EventStream<T> {
  private listeners = new Set<(event: T) => void>();
  listen(onEvent: (event: T) => void): { cancel(): void } {
    this.listeners.add(onEvent);
    return { cancel: () => { this.listeners.delete(onEvent); } };
  }
  emit(event: T): void {
    for (const l of [...this.listeners]) {
      try { l(event); } catch { /* a listener's bug must not break sync */ }
    }
  }
}

/**
 * SDK log lines. Callers pass only counts, type names, statuses and durations — never tokens, codes, user
 * health values or response bodies — so nothing here needs redaction.
 */
export class Logger {
  level: OWLogLevel = OWLogLevel.debug;
  readonly stream = new EventStream<string>();
  constructor(private readonly print: (line: string) => void, private readonly isDebugBuild: boolean) {}

  private get enabled(): boolean {
    return this.level === OWLogLevel.always || (this.level === OWLogLevel.debug && this.isDebugBuild);
  }
  log(message: string): void {
    if (!this.enabled) return;
    const line = `[OpenWearablesHealthSDK] ${message}`;
    this.print(line);
    this.stream.emit(message);
  }
}
