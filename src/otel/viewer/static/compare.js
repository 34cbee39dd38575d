// Trace compare: /compare?a=<trace id>&b=<trace id>. Span paths (service and name from the
// root down) are matched between the two traces; added, removed and slower spans stand out.

import { h, api, mount, notice, link, fmtDuration, fmtAgo } from "./dom.js";
import { navigate } from "./router.js";
import { buildTrace, compareTraces } from "./tracemodel.js";

const STATUS_TEXT = {
  added: "added",
  removed: "removed",
  slower: "slower",
  faster: "faster",
  more: "more calls",
  fewer: "fewer calls",
  same: "",
};

function picker(name, value, recent) {
  const select = h("select", { name, "aria-label": `Trace ${name.toUpperCase()}` }, [h("option", { value: "" }, "Choose a trace…")]);
  let found = false;
  for (const t of recent) {
    const selected = t.trace_id === value;
    found ||= selected;
    select.append(h("option", { value: t.trace_id, selected }, `${t.root_service}: ${t.root_name} — ${fmtDuration(t.duration_nano)} (${fmtAgo(t.start_unix_nano)})`));
  }
  if (value && !found) select.append(h("option", { value, selected: true }, value));
  return h("label", { class: "field" }, [h("span", { class: "field-label" }, `Trace ${name.toUpperCase()}`), select]);
}

function cell(side) {
  return side ? `${side.count > 1 ? `${side.count}× ` : ""}${fmtDuration(side.total)}` : "—";
}

function delta(row) {
  if (!row.a || !row.b) return "";
  const d = row.b.total - row.a.total;
  const pct = row.a.total ? ` (${d >= 0 ? "+" : ""}${Math.round((d / row.a.total) * 100)} %)` : "";
  return `${d >= 0 ? "+" : "−"}${fmtDuration(Math.abs(d))}${pct}`;
}

export async function renderCompare(root, url) {
  const a = (url.searchParams.get("a") || "").toLowerCase();
  const b = (url.searchParams.get("b") || "").toLowerCase();
  const { traces: recent } = await api("/api/traces", { limit: "100" }).catch(() => ({ traces: [] }));
  const form = h("form", { class: "compare-form" }, [picker("a", a, recent), picker("b", b, recent), h("button", { type: "submit", class: "button primary" }, "Compare")]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    navigate(`/compare?a=${encodeURIComponent(data.get("a") || "")}&b=${encodeURIComponent(data.get("b") || "")}`);
  });
  const out = h("section", { class: "compare-result", "aria-live": "polite" });
  mount(root, h("div", { class: "compare-page" }, [h("h1", {}, "Compare two traces"), h("p", { class: "muted" }, "Pick two traces of the same operation; spans are matched by service and name along their path from the root."), form, out]));
  if (!a || !b) return;
  let ta;
  let tb;
  try {
    [ta, tb] = await Promise.all([a, b].map((id) => api(`/api/traces/${encodeURIComponent(id)}`).then(buildTrace)));
  } catch (error) {
    mount(out, notice(`Could not load both traces: ${error.message}`, "error"));
    return;
  }
  const rows = compareTraces(ta, tb);
  const counts = {};
  for (const row of rows) counts[row.status] = (counts[row.status] || 0) + 1;
  const durA = ta.end - ta.start;
  const durB = tb.end - tb.start;
  const summary = h("div", { class: "compare-summary" }, [
    h("p", {}, [
      "A: ",
      link(`/trace/${a}`, a, { class: "mono" }),
      ` — ${fmtDuration(durA)}, ${ta.nodes.length} spans`,
      h("br"),
      "B: ",
      link(`/trace/${b}`, b, { class: "mono" }),
      ` — ${fmtDuration(durB)}, ${tb.nodes.length} spans`,
    ]),
    h("ul", { class: "compare-counts" }, ["added", "removed", "slower", "faster", "more", "fewer"].map((k) =>
      h("li", { class: `status-${k}`, "data-status": k }, [h("strong", {}, String(counts[k] || 0)), ` ${STATUS_TEXT[k]}`]))),
  ]);
  const table = h("table", { class: "compare-table" }, [
    h("thead", {}, h("tr", {}, ["Span (service: name)", "A", "B", "Change", ""].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.map((row) => h("tr", { class: `status-${row.status}`, "data-status": row.status, "data-key": row.key }, [
      h("td", { class: "compare-name", style: { paddingLeft: `${Math.min(row.depth, 20) * 14 + 8}px` } }, [h("span", { class: "wf-service" }, row.service), " ", row.name]),
      h("td", { class: "num" }, cell(row.a)),
      h("td", { class: "num" }, cell(row.b)),
      h("td", { class: "num" }, delta(row)),
      h("td", {}, STATUS_TEXT[row.status] ? h("span", { class: `status-badge status-${row.status}` }, STATUS_TEXT[row.status]) : ""),
    ]))),
  ]);
  mount(out, summary, table);
}
