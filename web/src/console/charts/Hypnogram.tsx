import { minutes } from "../format";

/** One night's sleep stages as a step chart (SVG): awake on top, deep at the bottom. */
const STAGES = ["awake", "rem", "light", "deep"] as const;
const LABEL: Record<string, string> = { awake: "Awake", rem: "REM", light: "Light", deep: "Deep", sleeping: "Asleep", in_bed: "In bed" };
const LEVEL: Record<string, number> = { awake: 0, in_bed: 0, rem: 1, light: 2, sleeping: 2, deep: 3 };

export interface Night {
  id: string;
  start_time: string;
  end_time: string;
  stages: { deep_minutes: number; light_minutes: number; rem_minutes: number; awake_minutes: number };
  sleep_duration_seconds: number | null;
  sleep_stage_intervals: { stage: string; start_time: string; end_time: string }[] | null;
}

export function Hypnogram({ night }: { night: Night }) {
  const start = Date.parse(night.start_time);
  const span = Math.max(1, Date.parse(night.end_time) - start);
  const x = (iso: string) => ((Date.parse(iso) - start) / span) * 1000;
  const asleep = night.sleep_duration_seconds === null ? null : Math.round(night.sleep_duration_seconds / 60);
  const s = night.stages;
  const label = `Sleep hypnogram, night ending ${night.end_time.slice(0, 10)}: ${night.sleep_stage_intervals?.length ?? 0} stage intervals, ` +
    `${asleep === null ? "" : `asleep ${minutes(asleep)}, `}deep ${minutes(s.deep_minutes)}, light ${minutes(s.light_minutes)}, REM ${minutes(s.rem_minutes)}, awake ${minutes(s.awake_minutes)}`;
  return (
    <figure class="hypno">
      <svg role="img" aria-label={label} viewBox="0 0 1000 100" preserveAspectRatio="none" data-testid="hypnogram">
        {STAGES.map((st, i) => <line key={st} x1="0" x2="1000" y1={i * 25 + 12.5} y2={i * 25 + 12.5} class="grid" />)}
        {(night.sleep_stage_intervals ?? []).map((h) => (
          <rect key={h.start_time} x={x(h.start_time)} width={Math.max(1, x(h.end_time) - x(h.start_time))} y={(LEVEL[h.stage] ?? 2) * 25 + 4} height="17" class={`st-${h.stage}`} />
        ))}
      </svg>
      <figcaption>
        {night.start_time.slice(11, 16)}–{night.end_time.slice(11, 16)} UTC, night ending {night.end_time.slice(0, 10)}.{" "}
        {STAGES.map((st) => <span key={st} class={`key st-${st}`}>{LABEL[st]} {minutes((s as Record<string, number>)[`${st}_minutes`] ?? 0)}</span>)}
      </figcaption>
    </figure>
  );
}
