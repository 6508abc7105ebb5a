import { useEffect, useRef, useState } from "preact/hooks";
import type { Columns } from "../api";
import "uplot/dist/uPlot.min.css";

/**
 * A uPlot time-series chart (loaded on first use, its own chunk). The chart is one image to assistive technology:
 * `role="img"` with a summary (series, period, count, min, max) as its name; the canvas itself is hidden from it.
 * A day of 1 Hz heart rate (86,400 points) draws in well under 200 ms (bench/console.mjs).
 */
export interface TimeChartProps {
  data: Columns;
  label: string;
  series: string;
  kind?: "line" | "bars" | "points";
  height?: number;
  testId?: string;
  /** The period shown, in Unix seconds (else the data's own extent). */
  xRange?: [number, number];
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** Canvas colours are read once per draw: redraw when the system switches between light and dark. */
function useColorScheme() {
  const query = matchMedia("(prefers-color-scheme: dark)");
  const [dark, setDark] = useState(query.matches);
  useEffect(() => {
    const update = () => setDark(query.matches);
    query.addEventListener("change", update);
    return () => query.removeEventListener("change", update);
  }, []);
  return dark;
}

export function TimeChart({ data, label, series, kind = "line", height = 220, testId, xRange }: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const dark = useColorScheme();
  useEffect(() => {
    let plot: { destroy(): void; setSize(s: { width: number; height: number }): void } | null = null;
    let observer: ResizeObserver | null = null;
    let live = true;
    import("uplot").then(({ default: uPlot }) => {
      if (!live || !box.current) return;
      const started = performance.now();
      delete box.current.dataset.renderMs;
      const line = css("--chart-line") || "#0b5cad";
      const band = data.min && data.max;
      const axis = { stroke: css("--text"), grid: { stroke: css("--grid") }, ticks: { stroke: css("--grid") } };
      const main = {
        label: series, stroke: line, width: 1.5,
        ...(kind === "bars" ? { fill: line, paths: uPlot.paths.bars!({ size: [0.7, 40] }), points: { show: false } } : {}),
        ...(kind === "points" ? { points: { show: true, size: 6, fill: line }, width: 1 } : {}),
        ...(kind === "line" ? { points: { show: false } } : {}),
      };
      plot = new uPlot({
        width: box.current.clientWidth || 600, height,
        legend: { show: false }, cursor: { show: true, drag: { x: true, y: false } },
        scales: {
          x: { time: true, ...(xRange ? { range: () => xRange } : {}) },
          // Bars start at zero; lines and points get a little room, and a single value is not a flat band at 0–100.
          y: { range: (_u: unknown, lo: number, hi: number) => (kind === "bars" ? [0, Math.max(1, hi) * 1.1] : lo === hi ? [lo - 1, hi + 1] : [lo - (hi - lo) * 0.1, hi + (hi - lo) * 0.1]) as [number, number] },
        },
        series: [{}, main, ...(band ? [{ label: "min", stroke: css("--band-line"), width: 1, points: { show: false } }, { label: "max", stroke: css("--band-line"), width: 1, points: { show: false } }] : [])],
        bands: band ? [{ series: [3, 2], fill: css("--band") }] : undefined,
        axes: [axis, axis],
        // uPlot draws in a microtask after construction: the first draw is when the chart is on screen.
        hooks: {
          draw: [() => {
            if (box.current && !box.current.dataset.renderMs) box.current.dataset.renderMs = String(Math.round((performance.now() - started) * 10) / 10);
          }],
        },
      }, (band ? [data.t, data.v, data.min!, data.max!] : [data.t, data.v]) as never, box.current);
      box.current.dataset.points = String(data.t.length);
      observer = new ResizeObserver(() => box.current && plot?.setSize({ width: box.current.clientWidth, height }));
      observer.observe(box.current);
    });
    return () => {
      live = false;
      observer?.disconnect();
      plot?.destroy();
    };
  }, [data, dark]);
  return <div class="chart" role="img" aria-label={label} ref={box} data-testid={testId} style={{ minHeight: `${height}px` }} />;
}

/** "Heart rate, 2026-11-24, 1-minute: 1,440 points, min 48 bpm, max 151 bpm". */
export function summarise(series: string, period: string, data: Columns, unit: string, digits = 0) {
  if (data.t.length === 0) return `${series}, ${period}: no data`;
  const lo = Math.min(...(data.min ?? data.v));
  const hi = Math.max(...(data.max ?? data.v));
  const f = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: digits });
  return `${series}, ${period}: ${data.t.length.toLocaleString("en-US")} points, min ${f(lo)} ${unit}, max ${f(hi)} ${unit}`;
}
