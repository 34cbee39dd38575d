// The trace page: header, N+1 findings, the in-trace filter, waterfall or flame graph, and the
// detail panel of the selected span. State in the URL: /trace/<id>?span=&view=flame&q=.

import { h, api, mount, notice, link, toast, debounce, fmtDuration, fmtTime, serviceColor } from "./dom.js";
import { setQuery } from "./router.js";
import { buildTrace, markCriticalPath, findRepeats, spanMatches, REPEAT_THRESHOLD } from "./tracemodel.js";
import { Waterfall } from "./waterfall.js";
import { FlameGraph } from "./flame.js";
import { renderDetails } from "./details.js";

function header(trace, traceId) {
  const root = trace.roots[0];
  const errors = trace.nodes.filter((n) => n.error).length;
  const exportUrl = `/api/traces/${encodeURIComponent(traceId)}/export`;
  const copy = h("button", { type: "button", class: "button", title: "Copy this trace as OTLP/JSON" }, "Copy OTLP/JSON");
  copy.addEventListener("click", async () => {
    try {
      const response = await fetch(exportUrl);
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      await navigator.clipboard.writeText(await response.text());
      toast("Trace copied as OTLP/JSON");
    } catch (error) {
      toast(`Copy failed: ${error.message}`, "error");
    }
  });
  return h("header", { class: "trace-head" }, [
    h("div", { class: "trace-title" }, [
      h("h1", {}, [
        root ? h("span", { class: "svc-dot", style: { background: serviceColor(root.service) } }) : null,
        root ? `${root.service}: ` : "",
        h("span", { class: "root-name" }, root ? root.name : "(empty trace)"),
      ]),
      h("dl", { class: "trace-meta" }, [
        h("dt", {}, "Trace"),
        h("dd", { class: "mono" }, traceId),
        h("dt", {}, "Start"),
        h("dd", {}, fmtTime(trace.start)),
        h("dt", {}, "Duration"),
        h("dd", { class: "trace-duration" }, fmtDuration(trace.end - trace.start)),
        h("dt", {}, "Spans"),
        h("dd", { class: "trace-span-count" }, String(trace.nodes.length)),
        h("dt", {}, "Errors"),
        h("dd", { class: errors ? "error-text" : "" }, String(errors)),
      ]),
      h("ul", { class: "legend", "aria-label": "Services" }, trace.services.map((svc) => h("li", {}, [h("span", { class: "svc-dot", style: { background: serviceColor(svc) } }), svc]))),
    ]),
    h("div", { class: "trace-actions" }, [
      copy,
      h("a", { class: "button", href: exportUrl, download: `trace-${traceId}.json` }, "Download"),
      link(`/compare?a=${encodeURIComponent(traceId)}`, "Compare…", { class: "button" }),
    ]),
  ]);
}

function findingsBox(findings, onSelect) {
  if (!findings.length) return null;
  return h("section", { class: "findings", "aria-label": "Repeated spans" }, [
    h("h2", {}, `⚠ Repeated spans (N+1): ${findings.length} pattern${findings.length === 1 ? "" : "s"}`),
    h("ul", {}, findings.map((f) => h("li", { class: "finding", "data-count": String(f.count) }, [
      h("strong", {}, `${f.count}×`),
      " ",
      h("code", { class: "finding-label" }, f.label),
      ` under `,
      h("button", { type: "button", class: "linklike", onclick: () => onSelect(f.parent) }, f.parent.name),
      ` — ${fmtDuration(f.totalNanos)} in total (same ${f.kind === "query" ? "db.query.text" : "span name"})`,
    ]))),
  ]);
}

export async function renderTrace(root, url, match) {
  const traceId = match[1].toLowerCase();
  mount(root, h("p", { class: "muted loading" }, "Loading trace…"));
  let json;
  try {
    json = await api(`/api/traces/${encodeURIComponent(traceId)}`);
  } catch (error) {
    mount(root, notice(error.status === 404 ? `Trace ${traceId} was not found.` : `Could not load the trace: ${error.message}`, "error"));
    return;
  }
  const trace = buildTrace(json);
  markCriticalPath(trace);
  const findings = findRepeats(trace, REPEAT_THRESHOLD);
  document.title = `${trace.roots[0]?.name || traceId} — otel view`;

  const panel = h("aside", { class: "details", "aria-label": "Span details", tabindex: "-1" });
  let current = null;
  const select = (node, from) => {
    current = node;
    if (from !== waterfall) waterfall.select(node, { notify: false });
    if (flame && from !== flame) flame.select(node, false);
    renderDetails(panel, trace, node, { onSelect: (n) => select(n) });
    setQuery({ span: node.id });
  };
  const waterfall = new Waterfall(trace, { onSelect: (node) => select(node, waterfall) });
  let flame = null;
  const body = h("div", { class: "trace-view-box" });

  // in-trace filter
  const filter = h("input", {
    type: "search",
    class: "trace-filter",
    placeholder: "Filter spans: name, service, key=value…",
    "aria-label": "Filter spans in this trace",
    "data-primary-filter": "",
    value: url.searchParams.get("q") || "",
  });
  const count = h("span", { class: "match-count", "aria-live": "polite" });
  let matches = [];
  let cursor = -1;
  let applied = null;
  const applyFilter = () => {
    const q = filter.value.trim();
    if (q === applied) return;
    applied = q;
    matches = q ? trace.nodes.filter((n) => spanMatches(n, q)) : [];
    matches.sort((a, b) => a.start - b.start);
    cursor = -1;
    waterfall.setFilter(new Set(matches), Boolean(q));
    count.textContent = q ? `${matches.length} match${matches.length === 1 ? "" : "es"}` : "";
    setQuery({ q });
  };
  const step = (dir) => {
    if (!matches.length) return;
    cursor = (cursor + dir + matches.length) % matches.length;
    count.textContent = `${cursor + 1} of ${matches.length}`;
    select(matches[cursor]);
  };
  filter.addEventListener("input", debounce(applyFilter, 150));
  filter.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      applyFilter();
      step(event.shiftKey ? -1 : 1);
    } else if (event.key === "Escape") {
      filter.value = "";
      applyFilter();
    }
  });

  const critical = h("input", { type: "checkbox", checked: true });
  critical.addEventListener("change", () => waterfall.setCritical(critical.checked));
  const viewButtons = {};
  const waterfallOnly = [
    h("button", { type: "button", class: "button small", onclick: () => waterfall.setAll(true) }, "Expand all"),
    h("button", { type: "button", class: "button small", onclick: () => waterfall.setAll(false) }, "Collapse all"),
    h("label", { class: "check critical-toggle" }, [critical, " ", h("span", { class: "crit-swatch" }), " Critical path"]),
  ];
  const showView = (view) => {
    for (const [name, button] of Object.entries(viewButtons)) button.setAttribute("aria-pressed", String(name === view));
    for (const el of waterfallOnly) el.hidden = view === "flame";
    if (view === "flame") {
      if (!flame) {
        flame = new FlameGraph(trace, { onSelect: (node) => select(node, flame) });
        if (current) flame.select(current, false);
      }
      mount(body, flame.element);
      flame.draw();
    } else {
      mount(body, waterfall.element);
      waterfall.draw();
    }
    setQuery({ view: view === "flame" ? "flame" : "" });
  };
  for (const [name, label] of [["waterfall", "Waterfall"], ["flame", "Flame graph"]]) {
    viewButtons[name] = h("button", { type: "button", class: "button seg", "aria-pressed": "false", onclick: () => showView(name) }, label);
  }
  const tools = h("div", { class: "trace-tools" }, [
    h("div", { class: "segmented", role: "group", "aria-label": "View" }, Object.values(viewButtons)),
    filter,
    count,
    ...waterfallOnly,
  ]);

  mount(root, h("div", { class: "trace-page" }, [
    header(trace, traceId),
    findingsBox(findings, (node) => select(node)),
    trace.nodes.length > 1 && trace.roots.length > 1
      ? notice(`${trace.roots.length - 1} span${trace.roots.length > 2 ? "s have" : " has"} a parent that was not received; shown as extra roots.`, "warn")
      : null,
    tools,
    h("div", { class: "trace-body" }, [body, panel]),
  ]));
  showView(url.searchParams.get("view") === "flame" ? "flame" : "waterfall");
  if (filter.value) applyFilter();
  const wanted = trace.byId.get(url.searchParams.get("span") || "") || trace.roots[0];
  if (wanted) select(wanted);
  else renderDetails(panel, trace, null, {});
  performance.mark("otel-trace-shown", { detail: { spans: trace.nodes.length } });

  const onKey = (event) => {
    const t = event.target;
    if (event.key !== "f" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (t instanceof HTMLElement && ["INPUT", "SELECT", "TEXTAREA"].includes(t.tagName)) return;
    showView(viewButtons.flame.getAttribute("aria-pressed") === "true" ? "waterfall" : "flame");
  };
  document.addEventListener("keydown", onKey);
  waterfall.scroller.focus({ preventScroll: true });
  return () => {
    document.removeEventListener("keydown", onKey);
    if (flame) flame.destroy();
    document.title = "otel view";
  };
}
