// Trace search: the form (state in the query string), a duration-over-time scatter plot and
// the result list, refreshed when the server pushes new traces over SSE (/api/live).

import { h, api, mount, notice, link, fmtDuration, fmtTime, fmtAgo, serviceColor } from "./dom.js";
import { navigate } from "./router.js";
import { scatterPlot } from "./charts.js";

const LOOKBACKS = [
  ["", "All time"],
  ["5m", "Last 5 minutes"],
  ["15m", "Last 15 minutes"],
  ["1h", "Last hour"],
  ["6h", "Last 6 hours"],
  ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"],
  ["custom", "Custom range…"],
];
const UNIT_MS = { m: 60e3, h: 3600e3, d: 86400e3 };

/** "key=value other=\"with space\"" -> ["key=value", "other=with space"]. */
export function splitAttrs(text) {
  const out = [];
  for (const m of String(text || "").matchAll(/([^\s=]+)=("([^"]*)"|\S*)/g)) out.push(`${m[1]}=${m[3] ?? m[2]}`);
  return out;
}

function joinAttrs(list) {
  return list.map((a) => (/\s/.test(a) ? a.replace(/=(.*)$/, '="$1"') : a)).join(" ");
}

const toLocalInput = (ms) => {
  if (!ms) return "";
  const d = new Date(Number(ms) - new Date(Number(ms)).getTimezoneOffset() * 60e3);
  return d.toISOString().slice(0, 19);
};
const fromLocalInput = (value) => (value ? String(new Date(value).getTime()) : "");

/** The API parameters for the state in the URL. */
function queryParams(params) {
  const out = {
    service: params.get("service"),
    span_name: params.get("span_name"),
    attr: params.getAll("attr"),
    min_duration_ms: params.get("min_duration_ms"),
    max_duration_ms: params.get("max_duration_ms"),
    errors: params.get("errors") === "true" ? "true" : null,
    limit: params.get("limit") || "100",
  };
  const lookback = params.get("lookback") || "";
  const m = lookback.match(/^(\d+)([mhd])$/);
  if (m) out.since = String(Date.now() - Number(m[1]) * UNIT_MS[m[2]]);
  else if (lookback === "custom") {
    out.since = params.get("since");
    out.until = params.get("until");
  }
  return out;
}

function field(label, input, hint) {
  return h("label", { class: "field" }, [h("span", { class: "field-label" }, label), input, hint ? h("small", {}, hint) : null]);
}

function buildForm(params, services) {
  const service = h("select", { name: "service" }, [h("option", { value: "" }, "All services")]);
  for (const name of services) service.append(h("option", { value: name, selected: name === params.get("service") }, name));
  const lookback = h("select", { name: "lookback" });
  for (const [value, text] of LOOKBACKS) lookback.append(h("option", { value, selected: value === (params.get("lookback") || "") }, text));
  const custom = h("div", { class: "custom-range", hidden: params.get("lookback") !== "custom" }, [
    field("From", h("input", { type: "datetime-local", step: "1", name: "since", value: toLocalInput(params.get("since")) })),
    field("To", h("input", { type: "datetime-local", step: "1", name: "until", value: toLocalInput(params.get("until")) })),
  ]);
  lookback.addEventListener("change", () => {
    custom.hidden = lookback.value !== "custom";
  });
  const limit = h("select", { name: "limit" });
  for (const n of ["20", "50", "100", "500"]) limit.append(h("option", { value: n, selected: n === (params.get("limit") || "100") }, n));
  const form = h("form", { class: "search-form", role: "search", "aria-label": "Trace search" }, [
    field("Service", service),
    field("Span name", h("input", { name: "span_name", type: "search", value: params.get("span_name") || "", placeholder: "any", "data-primary-filter": "" })),
    field("Attributes", h("input", { name: "attr", type: "search", value: joinAttrs(params.getAll("attr")), placeholder: "http.route=/cart user.id=7" }), "key=value, space separated"),
    h("div", { class: "field-pair" }, [
      field("Min duration (ms)", h("input", { name: "min_duration_ms", type: "number", min: "0", step: "any", value: params.get("min_duration_ms") || "" })),
      field("Max duration (ms)", h("input", { name: "max_duration_ms", type: "number", min: "0", step: "any", value: params.get("max_duration_ms") || "" })),
    ]),
    field("Time range", lookback),
    custom,
    h("div", { class: "field-pair" }, [
      h("label", { class: "check" }, [h("input", { type: "checkbox", name: "errors", checked: params.get("errors") === "true" }), " Errors only"]),
      field("Limit", limit),
    ]),
    h("button", { type: "submit", class: "button primary" }, "Find traces"),
  ]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const url = new URL("/search", location.origin);
    for (const key of ["service", "span_name", "min_duration_ms", "max_duration_ms", "lookback"]) {
      const value = String(data.get(key) || "").trim();
      if (value) url.searchParams.set(key, value);
    }
    for (const attr of splitAttrs(data.get("attr"))) url.searchParams.append("attr", attr);
    if (data.get("lookback") === "custom") {
      for (const key of ["since", "until"]) {
        const value = fromLocalInput(data.get(key));
        if (value) url.searchParams.set(key, value);
      }
    }
    if (data.get("errors")) url.searchParams.set("errors", "true");
    if (data.get("limit") && data.get("limit") !== "100") url.searchParams.set("limit", data.get("limit"));
    navigate(url.href);
  });
  return form;
}

function resultRow(trace, selected, onToggle, maxDuration) {
  const checkbox = h("input", {
    type: "checkbox",
    checked: selected.has(trace.trace_id),
    "aria-label": `Select ${trace.root_name} for comparison`,
    onchange: (event) => onToggle(trace.trace_id, event.target.checked),
  });
  const width = maxDuration ? Math.max(0.5, (trace.duration_nano / maxDuration) * 100) : 0;
  return h("tr", { class: trace.error_count ? "has-error" : "", "data-trace-id": trace.trace_id }, [
    h("td", { class: "select" }, checkbox),
    h("td", { class: "root" }, [
      link(`/trace/${encodeURIComponent(trace.trace_id)}`, [
        h("span", { class: "svc-dot", style: { background: serviceColor(trace.root_service) } }),
        h("span", { class: "root-service" }, trace.root_service),
        ": ",
        h("span", { class: "root-name" }, trace.root_name),
      ]),
      h("div", { class: "trace-id mono" }, trace.trace_id),
    ]),
    h(
      "td",
      { class: "services" },
      (trace.services || []).map((name) => h("span", { class: "chip", style: { "--chip": serviceColor(name) } }, name)),
    ),
    h("td", { class: "num" }, String(trace.span_count)),
    h("td", { class: "num" }, trace.error_count ? h("span", { class: "error-badge", title: "spans with error status" }, `⚠ ${trace.error_count}`) : "0"),
    h("td", { class: "duration" }, [
      h("span", { class: "num" }, fmtDuration(trace.duration_nano)),
      h("span", { class: "minibar", "aria-hidden": "true" }, h("span", { style: { width: `${width}%` } })),
    ]),
    h("td", { class: "start" }, [h("span", {}, fmtTime(trace.start_unix_nano)), h("small", {}, fmtAgo(trace.start_unix_nano))]),
  ]);
}

export async function renderSearch(root, url) {
  const params = url.searchParams;
  const { services } = await api("/api/services").catch(() => ({ services: [] }));
  const selected = new Set();
  const results = h("section", { class: "results", "aria-live": "polite", "aria-label": "Search results" });
  const compareButton = h("button", { type: "button", class: "button", disabled: true }, "Compare selected");
  const liveBox = h("input", { type: "checkbox", checked: params.get("live") !== "false" });
  const liveState = h("span", { class: "live-state" }, "connecting…");
  compareButton.addEventListener("click", () => {
    const [a, b] = [...selected];
    navigate(`/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
  });
  const onToggle = (id, on) => {
    if (on) selected.add(id);
    else selected.delete(id);
    compareButton.disabled = selected.size !== 2;
    compareButton.textContent = selected.size === 2 ? "Compare the 2 selected" : `Compare selected (${selected.size}/2)`;
  };

  let latest = 0;
  async function load() {
    const token = ++latest;
    let data;
    try {
      data = await api("/api/traces", queryParams(params));
    } catch (error) {
      mount(results, notice(`Search failed: ${error.message}`, "error"));
      return;
    }
    if (token !== latest) return;
    const traces = data.traces || [];
    if (!traces.length) {
      mount(results, notice("No traces match. Send telemetry to this viewer (OTLP/HTTP, port 4318 by default), run `otel demo`, or drop an OTLP/JSON file on this page."));
      return;
    }
    const maxDuration = Math.max(...traces.map((t) => t.duration_nano));
    const table = h("table", { class: "trace-table" }, [
      h("thead", {}, h("tr", {}, ["", "Trace", "Services", "Spans", "Errors", "Duration", "Start"].map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, traces.map((trace) => resultRow(trace, selected, onToggle, maxDuration))),
    ]);
    mount(
      results,
      h("div", { class: "results-head" }, [h("h2", {}, `${traces.length} trace${traces.length === 1 ? "" : "s"}`), compareButton]),
      h("figure", { class: "scatter-box" }, [
        scatterPlot(traces, { onOpen: (trace) => navigate(`/trace/${encodeURIComponent(trace.trace_id)}`) }),
        h("figcaption", {}, "Duration over time — click a dot to open its trace; ◆ = has errors"),
      ]),
      table,
    );
  }

  // at most one refresh a second while traces keep arriving (a debounce would starve)
  let pending = 0;
  const refresh = () => {
    if (!pending) pending = setTimeout(() => ((pending = 0), load()), 1000);
  };
  let source = null;
  function connect() {
    if (source) source.close();
    source = null;
    if (!liveBox.checked) {
      liveState.textContent = "paused";
      return;
    }
    source = new EventSource("/api/live");
    source.addEventListener("open", () => {
      liveState.textContent = "live";
    });
    source.addEventListener("error", () => {
      liveState.textContent = "reconnecting…";
    });
    source.addEventListener("trace", () => refresh());
  }
  liveBox.addEventListener("change", connect);

  mount(
    root,
    h("div", { class: "search-page" }, [
      h("aside", { class: "sidebar" }, [h("h1", {}, "Find traces"), buildForm(params, services || [])]),
      h("div", { class: "main-col" }, [
        h("div", { class: "toolbar" }, [h("label", { class: "check live" }, [liveBox, " Live updates "]), liveState]),
        results,
      ]),
    ]),
  );
  await load();
  connect();
  return () => {
    latest += 1;
    clearTimeout(pending);
    if (source) source.close();
  };
}
