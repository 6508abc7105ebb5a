import type { ProgressEvent, SyncPhase } from "../core/progress";

/**
 * The device CLI's view of a running first sync. On a terminal: one progress bar redrawn in place (log lines
 * print above it). Otherwise (pipes, CI, tests): plain lines — one per phase change, per finished type, and per
 * 10 % of progress — so the newest-first order reads top to bottom.
 */
export interface Output { write(text: string): void; isTTY: boolean; columns?: number }

const PHASE: Record<SyncPhase, string> = {
  recent: "last 24 h of every type",
  history: "older data, newest first",
  catchup: "catching up",
  incremental: "new data",
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const thousands = (n: number) => n.toLocaleString("en-US");

export class ProgressView {
  private barShown = false;
  private lastPhase: SyncPhase | null = null;
  private lastDecile = -1;
  private last: ProgressEvent | null = null;

  constructor(private readonly out: Output, private readonly name: (key: string) => string = (k) => k) {}

  /** A log line: on a terminal the bar is cleared, the line printed, the bar redrawn. */
  line(text: string): void {
    if (this.out.isTTY && this.barShown) this.out.write("\r\x1b[2K");
    this.out.write(`${text}\n`);
    if (this.out.isTTY && this.last && this.barShown) this.draw(this.last);
  }

  update(e: ProgressEvent): void {
    if (!e.fullExport) return;
    this.last = e;
    if (this.out.isTTY) {
      if (e.kind === "typeDone") this.line(`  ✓ ${this.name(e.key!)} (${thousands(e.keyCount ?? 0)} items)`);
      if (e.kind === "end") { this.draw(e); this.out.write("\n"); this.barShown = false; return; }
      this.draw(e);
      return;
    }
    if (e.phase !== this.lastPhase && e.kind !== "end") {
      this.lastPhase = e.phase;
      this.out.write(`first sync: ${PHASE[e.phase]}${e.phase === "history" && e.reachedBack !== null ? ` (from ${day(e.reachedBack)} back)` : ""}\n`);
    }
    if (e.kind === "typeDone") this.out.write(`first sync: ${this.name(e.key!)} done (${e.keyCount ?? 0} items)\n`);
    const decile = Math.floor(e.fraction * 10);
    if (e.kind === "chunk" && decile > this.lastDecile) {
      this.lastDecile = decile;
      this.out.write(`first sync: ${Math.floor(e.fraction * 100)} % · ${this.summary(e)}\n`);
    }
    if (e.kind === "end") this.out.write(`first sync: ${e.status === "done" ? "100 % · done" : `stopped (${e.status})`} · ${this.summary(e)}\n`);
  }

  private summary(e: ProgressEvent): string {
    const back = e.reachedBack !== null && e.phase !== "recent" ? ` · reached ${day(e.reachedBack)}` : "";
    return `${e.typesDone}/${e.typesTotal} types · ${thousands(e.sentCount)} items${back}`;
  }

  private draw(e: ProgressEvent): void {
    const pct = Math.floor(e.fraction * 100);
    const width = Math.max(10, Math.min(30, (this.out.columns ?? 80) - 70));
    const filled = Math.round((pct / 100) * width);
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    const text = `First sync [${bar}] ${String(pct).padStart(3)} % · ${PHASE[e.phase]} · ${this.summary(e)}`;
    this.out.write(`\r\x1b[2K${text.slice(0, Math.max(20, (this.out.columns ?? 120) - 1))}`);
    this.barShown = true;
  }
}
