// A line chart in plain SVG (no chart library: the console's chunks stay small). Points are time and value; the
// chart scales to its data, labels its axes with the first, middle and last times and the maximum, and states its
// series' totals or averages as text, so the numbers are readable without the picture (and by screen readers).

export interface Point {
  t: Date;
  v: number;
}

export interface Series {
  label: string;
  points: Point[];
  /** How the series is summed up in the legend: its sum (counts) or its average (latencies). */
  summary: 'sum' | 'average' | 'max';
}

const W = 560;
const H = 180;
const PAD = { left: 44, right: 12, top: 10, bottom: 24 };
// Series colours are classes (views.css): the page's CSP allows no inline style.
const COLORS = 4;

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 2 : 1);
}

export function summarize(s: Series): number {
  const vs = s.points.map((p) => p.v);
  if (!vs.length) return 0;
  if (s.summary === 'sum') return vs.reduce((a, b) => a + b, 0);
  if (s.summary === 'max') return Math.max(...vs);
  return vs.reduce((a, b) => a + b, 0) / vs.length;
}

const time = (d: Date) => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function LineChart(props: { title: string; unit: string; series: Series[]; from: Date; to: Date; timeLabel?: (d: Date) => string }) {
  const label = props.timeLabel ?? time;
  const t0 = props.from.getTime();
  const span = Math.max(1, props.to.getTime() - t0);
  const max = Math.max(1, ...props.series.flatMap((s) => s.points.map((p) => p.v)));
  const x = (d: Date) => PAD.left + ((d.getTime() - t0) / span) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  const empty = props.series.every((s) => s.points.length === 0);
  return (
    <figure class="chart">
      <figcaption>
        <strong>{props.title}</strong>
        {props.series.map((s, i) => (
          <span key={s.label} class="legend" data-series={s.label}>
            <i class={`swatch s${i % COLORS}`} aria-hidden="true" />
            {s.label}: <b>{fmt(summarize(s))}</b>{props.unit && ` ${props.unit}`}{s.summary === 'sum' ? '' : ` (${s.summary})`}
          </span>
        ))}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.title} chart`}>
        <line class="axis" x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} />
        <line class="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} />
        <text class="tick" x={PAD.left - 4} y={PAD.top + 8} text-anchor="end">{fmt(max)}</text>
        <text class="tick" x={PAD.left - 4} y={H - PAD.bottom} text-anchor="end">0</text>
        <text class="tick" x={PAD.left} y={H - 6}>{label(props.from)}</text>
        <text class="tick" x={(PAD.left + W - PAD.right) / 2} y={H - 6} text-anchor="middle">{label(new Date(t0 + span / 2))}</text>
        <text class="tick" x={W - PAD.right} y={H - 6} text-anchor="end">{label(props.to)}</text>
        {empty && <text class="tick" x={W / 2} y={H / 2} text-anchor="middle">No data points in this period</text>}
        {props.series.map((s, i) => {
          const pts = [...s.points].sort((a, b) => a.t.getTime() - b.t.getTime());
          const cls = `s${i % COLORS}`;
          return (
            <g key={s.label}>
              {pts.length > 1 && <polyline class={`line ${cls}`} points={pts.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ')} />}
              {pts.map((p) => <circle key={p.t.getTime()} cx={x(p.t)} cy={y(p.v)} r="3" class={`dot ${cls}`}><title>{`${label(p.t)}: ${fmt(p.v)} ${props.unit}`}</title></circle>)}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
