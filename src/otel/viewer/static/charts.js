// SVG charts: a time/value line chart and the search page's duration scatter plot.
// Labels are SVG text nodes (textContent), never markup.

import { s, fmtNumber, fmtDuration, fmtTime } from "./dom.js";

const W = 800;
const PAD = { left: 64, right: 16, top: 12, bottom: 28 };

/** About `count` round tick values within [lo, hi]; cover=true adds the first one above hi. */
export function niceTicks(lo, hi, count = 5, cover = false) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => st >= raw) || raw;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toPrecision(12));
  if (cover && ticks[ticks.length - 1] < hi) ticks.push(+(ticks[ticks.length - 1] + step).toPrecision(12));
  return ticks;
}

function frame(height, label) {
  return s("svg", { class: "chart", viewBox: `0 0 ${W} ${height}`, role: "img", "aria-label": label });
}

function axes(svg, height, x, y, xTicks, yTicks, fmtX, fmtY) {
  const grid = s("g", { class: "grid" });
  for (const t of yTicks) {
    const py = y(t);
    grid.append(s("line", { x1: PAD.left, x2: W - PAD.right, y1: py, y2: py }));
    grid.append(s("text", { x: PAD.left - 6, y: py + 4, "text-anchor": "end", class: "tick" }, fmtY(t)));
  }
  for (const t of xTicks) {
    const px = x(t);
    grid.append(s("line", { x1: px, x2: px, y1: PAD.top, y2: height - PAD.bottom, class: "vgrid" }));
    grid.append(s("text", { x: px, y: height - 8, "text-anchor": "middle", class: "tick" }, fmtX(t)));
  }
  svg.append(grid);
}

function timeTickFormat(lo, hi) {
  const spanMs = hi - lo;
  const two = (n) => String(n).padStart(2, "0");
  return (t) => {
    const d = new Date(t);
    if (spanMs < 10e3) return `${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, "0").slice(0, 1)}`;
    const hm = `${two(d.getHours())}:${two(d.getMinutes())}`;
    return spanMs < 5 * 60e3 ? `${hm}:${two(d.getSeconds())}` : hm;
  };
}

function extent(values, fallback) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v === null || v === undefined || Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return fallback;
  if (lo === hi) return [lo - (Math.abs(lo) || 1) * 0.5, hi + (Math.abs(hi) || 1) * 0.5];
  return [lo, hi];
}

/**
 * Line chart. series: [{label, color, points: [[timeMs, value|null], ...]}]; nulls break the
 * line. Returns an <svg> with a legend drawn beside it by the caller (see legend()).
 */
export function lineChart(series, { height = 220, label = "chart", unit = "" } = {}) {
  const svg = frame(height, label);
  const xs = series.flatMap((sr) => sr.points.map((p) => p[0]));
  const ys = series.flatMap((sr) => sr.points.map((p) => p[1]));
  const [x0, x1] = extent(xs, [Date.now() - 60e3, Date.now()]);
  let [y0, y1] = extent(ys, [0, 1]);
  if (y0 > 0) y0 = 0;
  const yTicks = niceTicks(y0, y1, 5, true);
  y1 = Math.max(y1, yTicks[yTicks.length - 1] ?? y1);
  const x = (t) => PAD.left + ((t - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const y = (v) => height - PAD.bottom - ((v - y0) / (y1 - y0 || 1)) * (height - PAD.top - PAD.bottom);
  axes(svg, height, x, y, niceTicks(x0, x1, 6), yTicks, timeTickFormat(x0, x1), (v) => fmtNumber(v));
  for (const sr of series) {
    let d = "";
    let pen = "M";
    for (const [t, v] of sr.points) {
      if (v === null || v === undefined || Number.isNaN(v)) {
        pen = "M";
        continue;
      }
      d += `${pen}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
      pen = "L";
    }
    const g = s("g", { class: "series", "data-series": sr.label });
    g.append(s("path", { d, fill: "none", stroke: sr.color, "stroke-width": 2 }));
    for (const [t, v] of sr.points) {
      if (v === null || v === undefined || Number.isNaN(v)) continue;
      const dot = s("circle", { cx: x(t).toFixed(1), cy: y(v).toFixed(1), r: 3, fill: sr.color });
      dot.append(s("title", {}, `${sr.label}\n${fmtTime(t * 1e6)}\n${fmtNumber(v)}${unit ? " " + unit : ""}`));
      g.append(dot);
    }
    svg.append(g);
  }
  return svg;
}

/**
 * Duration-over-time scatter plot for trace search results. points: [{trace, href}].
 * Each dot is a focusable link to its trace; errors are drawn as red diamonds.
 */
export function scatterPlot(traces, { height = 180, onOpen } = {}) {
  const svg = frame(height, "Trace duration over time");
  svg.classList.add("scatter");
  const xs = traces.map((t) => t.start_unix_nano / 1e6);
  const ys = traces.map((t) => t.duration_nano);
  const [x0, x1] = extent(xs, [Date.now() - 60e3, Date.now()]);
  let [, y1] = extent(ys, [0, 1e6]);
  const yTicks = niceTicks(0, y1, 4, true);
  y1 = Math.max(y1, yTicks[yTicks.length - 1] ?? y1);
  const x = (t) => PAD.left + ((t - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const y = (v) => height - PAD.bottom - (v / (y1 || 1)) * (height - PAD.top - PAD.bottom);
  axes(svg, height, x, y, niceTicks(x0, x1, 6), yTicks, timeTickFormat(x0, x1), fmtDuration);
  const dots = s("g", { class: "dots" });
  traces.forEach((trace, i) => {
    const cx = x(xs[i]);
    const cy = y(ys[i]);
    const dot = trace.error_count
      ? s("rect", { x: cx - 4, y: cy - 4, width: 8, height: 8, transform: `rotate(45 ${cx} ${cy})`, class: "dot error" })
      : s("circle", { cx, cy, r: 4.5, class: "dot" });
    dot.setAttribute("tabindex", "0");
    dot.setAttribute("role", "link");
    dot.dataset.traceId = trace.trace_id;
    const label = `${trace.root_service}: ${trace.root_name} — ${fmtDuration(trace.duration_nano)}, ${trace.span_count} spans`;
    dot.setAttribute("aria-label", label);
    dot.append(s("title", {}, `${label}\n${fmtTime(trace.start_unix_nano)}`));
    dot.addEventListener("click", () => onOpen(trace));
    dot.addEventListener("keydown", (event) => {
      if (event.key === "Enter") onOpen(trace);
    });
    dots.append(dot);
  });
  svg.append(dots);
  return svg;
}
