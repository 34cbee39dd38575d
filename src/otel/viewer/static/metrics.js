// Metrics: the list of metrics and, for the chosen one (/metrics?name=&service=&attr=k=v),
// a line chart per series: monotonic sums as a rate per second, gauges and other sums as
// values, histograms as p50/p90/p99 over time.

import { h, api, mount, notice, link, fmtValue, debounce } from "./dom.js";
import { navigate } from "./router.js";
import { lineChart } from "./charts.js";
import { splitAttrs } from "./search.js";

const MAX_SERIES = 24;
const PERCENTILES = [
  ["p50", "var(--series-1)"],
  ["p90", "var(--series-2)"],
  ["p99", "var(--series-3)"],
];

function seriesLines(metric, series) {
  const t = (p) => p.time_unix_nano / 1e6;
  const isHistogram = ["histogram", "exponential_histogram"].includes(metric.type) || (metric.type === "summary" && series.points.some((p) => "p50" in p));
  if (isHistogram) {
    return { lines: PERCENTILES.map(([key, color]) => ({ label: key, color, points: series.points.map((p) => [t(p), p[key] ?? null]) })), what: "percentiles" };
  }
  if (metric.type === "sum" && metric.is_monotonic) {
    return { lines: [{ label: "rate", color: "var(--series-1)", points: series.points.map((p) => [t(p), p.rate ?? null]) }], what: "rate per second" };
  }
  return { lines: [{ label: "value", color: "var(--series-1)", points: series.points.map((p) => [t(p), p.value ?? null]) }], what: "value" };
}

function seriesTitle(series) {
  const attrs = Object.entries(series.attributes || {}).map(([k, v]) => `${k}=${fmtValue(v)}`);
  return [series.service, ...attrs].filter(Boolean).join(" · ") || "(no attributes)";
}

function legend(lines) {
  return h("ul", { class: "legend" }, lines.map((l) => h("li", {}, [h("span", { class: "svc-dot", style: { background: l.color } }), l.label])));
}

async function renderChart(box, name, params, metricInfo) {
  mount(box, h("p", { class: "muted" }, "Loading…"));
  let data;
  try {
    data = await api(`/api/metrics/${encodeURIComponent(name)}`, { service: params.get("service"), attr: params.getAll("attr") });
  } catch (error) {
    mount(box, notice(`Could not load ${name}: ${error.message}`, "error"));
    return;
  }
  const metric = { ...metricInfo, ...data };
  const unit = metric.unit || "";
  const services = [...new Set((data.series || []).map((sr) => sr.service))].sort();
  const serviceSelect = h("select", { "aria-label": "Service" }, [h("option", { value: "" }, "All services")]);
  for (const svc of services.concat(params.get("service") && !services.includes(params.get("service")) ? [params.get("service")] : [])) {
    serviceSelect.append(h("option", { value: svc, selected: svc === params.get("service") }, svc));
  }
  const attrInput = h("input", { type: "search", placeholder: "key=value", value: params.getAll("attr").join(" "), "aria-label": "Attribute filter", "data-primary-filter": "" });
  const go = () => {
    const next = new URL("/metrics", location.origin);
    next.searchParams.set("name", name);
    if (serviceSelect.value) next.searchParams.set("service", serviceSelect.value);
    for (const a of splitAttrs(attrInput.value)) next.searchParams.append("attr", a);
    navigate(next.href, { replace: true });
  };
  serviceSelect.addEventListener("change", go);
  attrInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") go();
  });
  const head = h("div", { class: "metric-head" }, [
    h("h2", {}, name),
    h("p", { class: "muted" }, [`${metric.type}${metric.type === "sum" ? (metric.is_monotonic ? ", monotonic" : ", up-down") : ""}`, unit ? ` · unit ${unit}` : "", metric.description ? ` · ${metric.description}` : ""]),
    h("div", { class: "metric-filters" }, [serviceSelect, attrInput, h("button", { type: "button", class: "button small", onclick: go }, "Apply")]),
  ]);
  const charts = h("div", { class: "metric-charts" });
  const series = data.series || [];
  if (!series.length) charts.append(notice("No points for this metric with these filters."));
  for (const sr of series.slice(0, MAX_SERIES)) {
    const { lines, what } = seriesLines(metric, sr);
    const yUnit = what === "rate per second" ? `${unit || ""}/s` : unit;
    charts.append(h("figure", { class: "metric-chart", "data-series": seriesTitle(sr) }, [
      h("figcaption", {}, [h("span", { class: "series-title" }, seriesTitle(sr)), h("small", { class: "muted" }, ` — ${what}${yUnit ? ` (${yUnit})` : ""}`)]),
      lineChart(lines, { label: `${name} ${seriesTitle(sr)}`, unit: yUnit }),
      lines.length > 1 ? legend(lines) : null,
    ]));
  }
  if (series.length > MAX_SERIES) charts.append(notice(`Showing ${MAX_SERIES} of ${series.length} series; filter by service or attribute to see the others.`));
  mount(box, head, charts);
}

export async function renderMetrics(root, url) {
  const params = url.searchParams;
  const { metrics } = await api("/api/metrics");
  const chosen = params.get("name");
  const filter = h("input", { type: "search", placeholder: "Filter metrics", "aria-label": "Filter metrics", "data-primary-filter": chosen ? undefined : "" });
  const list = h("ul", { class: "metric-list" });
  const fill = () => {
    const q = filter.value.trim().toLowerCase();
    list.replaceChildren(...metrics.filter((m) => !q || m.name.toLowerCase().includes(q)).map((m) => h("li", {}, link(`/metrics?name=${encodeURIComponent(m.name)}`, [
      h("span", { class: "metric-name" }, m.name),
      h("small", { class: "muted" }, ` ${m.type}${m.unit ? ` · ${m.unit}` : ""} · ${(m.services || []).join(", ")}`),
    ], { "aria-current": m.name === chosen ? "page" : undefined }))));
  };
  filter.addEventListener("input", debounce(fill, 100));
  fill();
  const chartBox = h("section", { class: "metric-box", "aria-live": "polite" });
  mount(root, h("div", { class: "metrics-page" }, [
    h("aside", { class: "sidebar" }, [h("h1", {}, "Metrics"), filter, metrics.length ? list : notice("No metrics received yet.")]),
    h("div", { class: "main-col" }, chartBox),
  ]));
  if (chosen) await renderChart(chartBox, chosen, params, metrics.find((m) => m.name === chosen) || {});
  else mount(chartBox, h("p", { class: "muted" }, "Choose a metric on the left."));
}
