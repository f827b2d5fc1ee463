/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import type { Chart } from "../charts-data.js";

const W = 480;
const H = 240;
const M = { top: 12, right: 24, bottom: 32, left: 48 };

/** Round steps for an axis: 1, 2 or 5 times a power of ten, about `count` of them. */
function ticks(min: number, max: number, count = 5): number[] {
  const raw = (max - min) / count || 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step)
    out.push(Number(v.toFixed(6)));
  return out;
}

/** `M x y L x y …` through the points that have a value; a gap starts a new segment. */
function path(points: ([number, number] | null)[]): string {
  let d = "";
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${p[0].toFixed(1)} ${p[1].toFixed(1)} `;
    pen = true;
  }
  return d.trim();
}

/**
 * A line chart as inline SVG, with axes, units, a legend, and the same numbers as a table for
 * screen readers and for reading exact values. Colours come from the stylesheet (light and dark).
 */
export const LineChart: FC<{ chart: Chart; weeks: string[] }> = ({ chart, weeks }) => {
  const all = chart.series
    .flatMap((s) => s.values)
    .concat(chart.band?.lower ?? [], chart.band?.upper ?? []);
  const known = all.filter((v): v is number => v !== null);
  const [lo, hi] = chart.range ?? [Math.min(0, ...known), Math.max(1, ...known)];
  const yTicks = ticks(lo, hi);
  const yMin = Math.min(lo, yTicks[0] ?? lo);
  const yMax = Math.max(hi, yTicks.at(-1) ?? hi);
  const x = (i: number) => M.left + (i * (W - M.left - M.right)) / Math.max(1, weeks.length - 1);
  const y = (v: number) =>
    H - M.bottom - ((v - yMin) / (yMax - yMin || 1)) * (H - M.top - M.bottom);
  const at = (values: (number | null)[]) =>
    values.map((v, i) => (v === null ? null : ([x(i), y(v)] as [number, number])));
  const band = chart.band;
  let bandPath = "";
  if (band) {
    const idx = weeks
      .map((_, i) => i)
      .filter((i) => band.lower[i] != null && band.upper[i] != null);
    if (idx.length > 1) {
      const top = idx.map((i) => `${x(i).toFixed(1)} ${y(band.upper[i] as number).toFixed(1)}`);
      const bottom = idx
        .reverse()
        .map((i) => `${x(i).toFixed(1)} ${y(band.lower[i] as number).toFixed(1)}`);
      bandPath = `M${top.join(" L")} L${bottom.join(" L")} Z`;
    }
  }
  const label = (iso: string) => iso.slice(5, 10);
  const titleId = `${chart.id}-title`;
  return (
    <figure>
      <figcaption id={titleId}>
        {chart.title} <span class="role">({chart.unit})</span>
      </figcaption>
      <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId}>
        <title>{`${chart.title} by week`}</title>
        {yTicks.map((t) => (
          <>
            <line class="axis" x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} />
            <text x={M.left - 6} y={y(t) + 4} text-anchor="end">
              {String(t)}
            </text>
          </>
        ))}
        {weeks.map((w, i) =>
          i % 2 === weeks.length % 2 ? null : (
            <text x={x(i)} y={H - 10} text-anchor="middle">
              {label(w)}
            </text>
          ),
        )}
        {bandPath && <path class="band" d={bandPath} />}
        {chart.series.map((s, k) => (
          <g class={`s${k % 4}`}>
            <path class="line" d={path(at(s.values))} />
            {at(s.values).map((p) => (p ? <circle cx={p[0]} cy={p[1]} r={3} /> : null))}
          </g>
        ))}
      </svg>
      <ul class="legend">
        {chart.series.map((s, k) => (
          <li class={`k${k % 4}`}>● {s.name}</li>
        ))}
        {band && <li>shaded: 95% interval</li>}
      </ul>
      <details>
        <summary>{chart.title} as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              {chart.series.map((s) => (
                <th scope="col" class="num">
                  {s.name}
                </th>
              ))}
              {band && <th scope="col">95% interval</th>}
            </tr>
          </thead>
          <tbody>
            {weeks.map((w, i) => (
              <tr>
                <th scope="row">{w.slice(0, 10)}</th>
                {chart.series.map((s) => (
                  <td class="num">{s.values[i] === null ? "–" : String(s.values[i])}</td>
                ))}
                {band && (
                  <td>{band.lower[i] == null ? "–" : `${band.lower[i]} to ${band.upper[i]}`}</td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
};
