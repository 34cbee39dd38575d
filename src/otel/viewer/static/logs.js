// Logs: a filterable list (service, minimum severity, text, time range), newest first; a line
// that carries a trace id links to its trace with its span selected.

import { h, api, mount, notice, link, fmtTime } from "./dom.js";
import { navigate } from "./router.js";
import { logBody, severityBadge } from "./details.js";

const SEVERITIES = [
  ["", "Any severity"],
  ["5", "DEBUG and above"],
  ["9", "INFO and above"],
  ["13", "WARN and above"],
  ["17", "ERROR and above"],
  ["21", "FATAL"],
];
const LOOKBACKS = [
  ["", "All time"],
  ["15", "Last 15 minutes"],
  ["60", "Last hour"],
  ["1440", "Last 24 hours"],
];

export async function renderLogs(root, url) {
  const params = url.searchParams;
  const { services } = await api("/api/services").catch(() => ({ services: [] }));
  const service = h("select", { name: "service", "aria-label": "Service" }, [h("option", { value: "" }, "All services")]);
  for (const name of services) service.append(h("option", { value: name, selected: name === params.get("service") }, name));
  const severity = h("select", { name: "severity_min", "aria-label": "Minimum severity" }, SEVERITIES.map(([v, t]) => h("option", { value: v, selected: v === (params.get("severity_min") || "") }, t)));
  const lookback = h("select", { name: "minutes", "aria-label": "Time range" }, LOOKBACKS.map(([v, t]) => h("option", { value: v, selected: v === (params.get("minutes") || "") }, t)));
  const text = h("input", { type: "search", name: "q", value: params.get("q") || "", placeholder: "Text in the log body", "aria-label": "Text", "data-primary-filter": "" });
  const form = h("form", { class: "logs-form", role: "search", "aria-label": "Log search" }, [service, severity, lookback, text, h("button", { type: "submit", class: "button primary" }, "Filter")]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URL("/logs", location.origin);
    for (const [key, value] of new FormData(form)) if (value) next.searchParams.set(key, value);
    navigate(next.href);
  });
  const out = h("section", { class: "logs-result", "aria-live": "polite" });
  mount(root, h("div", { class: "logs-page" }, [h("h1", {}, "Logs"), form, out]));
  const minutes = Number(params.get("minutes") || 0);
  let logs;
  try {
    ({ logs } = await api("/api/logs", {
      service: params.get("service"),
      severity_min: params.get("severity_min"),
      q: params.get("q"),
      since: minutes ? String(Date.now() - minutes * 60e3) : null,
      limit: "500",
    }));
  } catch (error) {
    mount(out, notice(`Could not load logs: ${error.message}`, "error"));
    return;
  }
  if (!logs.length) {
    mount(out, notice("No log records match."));
    return;
  }
  const table = h("table", { class: "log-table" }, [
    h("thead", {}, h("tr", {}, ["Time", "Service", "Severity", "Message", "Trace"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, logs.map((log) => h("tr", { class: "log-row" }, [
      h("td", { class: "mono nowrap" }, fmtTime(log.time_unix_nano || log.observed_time_unix_nano)),
      h("td", {}, log.service || ""),
      h("td", {}, severityBadge(log)),
      h("td", { class: "log-body" }, logBody(log)),
      h("td", {}, log.trace_id
        ? link(`/trace/${encodeURIComponent(log.trace_id)}${log.span_id ? `?span=${encodeURIComponent(log.span_id)}` : ""}`, "trace →", { class: "trace-link", title: `${log.trace_id}${log.span_id ? " / " + log.span_id : ""}` })
        : h("span", { class: "muted" }, "—")),
    ]))),
  ]);
  mount(out, h("p", { class: "muted" }, `${logs.length} record${logs.length === 1 ? "" : "s"}, newest first`), table);
}
