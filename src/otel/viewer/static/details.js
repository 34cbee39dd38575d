// The span detail panel: timing, status, ids, attributes, events, links (navigable), resource,
// scope, and the span's logs fetched from /api/logs.

import { h, api, mount, link, notice, fmtDuration, fmtTime, fmtValue, serviceColor } from "./dom.js";

function kvTable(obj, caption) {
  const entries = Object.entries(obj || {}).sort(([a], [b]) => a.localeCompare(b));
  if (!entries.length) return h("p", { class: "muted" }, `No ${caption.toLowerCase()}.`);
  return h("table", { class: "kv" }, [
    h("caption", { class: "visually-hidden" }, caption),
    h("tbody", {}, entries.map(([key, value]) => h("tr", {}, [h("th", { scope: "row" }, key), h("td", { class: "mono" }, fmtValue(value))]))),
  ]);
}

function section(title, body, open = true) {
  return h("details", { class: "detail-section", open }, [h("summary", {}, title), body]);
}

const SEVERITY_CLASS = (n) => (n >= 17 ? "sev-error" : n >= 13 ? "sev-warn" : n >= 9 ? "sev-info" : "sev-debug");

/** One log line (used here and in the logs page). */
export function logBody(log) {
  return typeof log.body === "string" ? log.body : JSON.stringify(log.body);
}

export function severityBadge(log) {
  const n = log.severity_number || 0;
  return h("span", { class: `sev ${SEVERITY_CLASS(n)}` }, log.severity_text || (n ? `SEV${n}` : "—"));
}

async function loadLogs(box, trace, node) {
  try {
    const { logs } = await api("/api/logs", { trace_id: trace.traceId, span_id: node.id, limit: "200" });
    if (!logs.length) {
      mount(box, h("p", { class: "muted" }, "No logs recorded in this span."));
      return;
    }
    const list = h("ol", { class: "span-logs" });
    for (const log of [...logs].reverse()) {
      list.append(h("li", {}, [
        h("span", { class: "mono muted" }, `+${fmtDuration(log.time_unix_nano - trace.start)}`),
        " ",
        severityBadge(log),
        " ",
        h("span", { class: "log-body" }, logBody(log)),
      ]));
    }
    mount(box, list);
  } catch (error) {
    mount(box, notice(`Could not load logs: ${error.message}`, "error"));
  }
}

/** Fill `panel` with the details of `node` (a tracemodel node) of `trace`. */
export function renderDetails(panel, trace, node, { onSelect }) {
  if (!node) {
    mount(panel, h("p", { class: "muted" }, "Select a span to see its details."));
    return;
  }
  const span = node.span;
  const status = span.status || { code: "UNSET" };
  const parent = node.parent
    ? h("button", { type: "button", class: "linklike", onclick: () => onSelect(node.parent) }, node.parent.name)
    : h("span", { class: "muted" }, span.parent_span_id ? `${span.parent_span_id} (not received)` : "none (root)");
  const facts = h("dl", { class: "facts" }, [
    h("dt", {}, "Service"),
    h("dd", {}, [h("span", { class: "svc-dot", style: { background: serviceColor(node.service) } }), node.service]),
    h("dt", {}, "Duration"),
    h("dd", {}, fmtDuration(node.duration)),
    h("dt", {}, "Start"),
    h("dd", {}, [`+${fmtDuration(node.start - trace.start)} `, h("small", { class: "muted" }, fmtTime(node.start))]),
    h("dt", {}, "Kind"),
    h("dd", {}, span.kind || "INTERNAL"),
    h("dt", {}, "Status"),
    h("dd", { class: status.code === "ERROR" ? "error-text" : "" }, status.message ? `${status.code}: ${status.message}` : status.code),
    h("dt", {}, "Span id"),
    h("dd", { class: "mono" }, node.id),
    h("dt", {}, "Parent"),
    h("dd", {}, parent),
    node.critical ? h("dt", {}, "Critical path") : null,
    node.critical ? h("dd", {}, "yes — this span is on the critical path") : null,
  ]);
  const events = (span.events || []).length
    ? h("ol", { class: "events" }, span.events.map((event) => h("li", {}, [
        h("div", {}, [h("span", { class: "mono muted" }, `+${fmtDuration(event.time_unix_nano - trace.start)}`), " ", h("strong", {}, event.name)]),
        Object.keys(event.attributes || {}).length ? kvTable(event.attributes, "Event attributes") : null,
      ])))
    : h("p", { class: "muted" }, "No events.");
  const links = (span.links || []).length
    ? h("ul", { class: "links" }, span.links.map((l) => h("li", {}, [
        link(`/trace/${encodeURIComponent(l.trace_id)}?span=${encodeURIComponent(l.span_id)}`, `${l.trace_id} / ${l.span_id}`, { class: "mono" }),
        Object.keys(l.attributes || {}).length ? kvTable(l.attributes, "Link attributes") : null,
      ])))
    : h("p", { class: "muted" }, "No links.");
  const scope = span.scope || {};
  const dropped = ["attributes", "events", "links"]
    .map((what) => [what, span[`dropped_${what}_count`]])
    .filter(([, n]) => n)
    .map(([what, n]) => `${n} ${what}`);
  const logsBox = h("div", { class: "logs-box" }, h("p", { class: "muted" }, "Loading logs…"));
  mount(
    panel,
    h("h2", { class: "detail-title" }, node.name),
    facts,
    dropped.length ? notice(`Dropped by the sender: ${dropped.join(", ")}.`, "warn") : null,
    section(`Attributes (${Object.keys(span.attributes || {}).length})`, kvTable(span.attributes, "Attributes")),
    section(`Events (${(span.events || []).length})`, events),
    section(`Links (${(span.links || []).length})`, links),
    section("Logs", logsBox),
    section("Resource", kvTable(span.resource?.attributes, "Resource attributes"), false),
    section("Scope", h("p", { class: "mono" }, `${scope.name || "(unnamed)"}${scope.version ? " " + scope.version : ""}`), false),
  );
  loadLogs(logsBox, trace, node);
}
