// Service map from /api/dependencies: services laid out in columns by call depth (callers on
// the left), one arrow per edge labelled with its call count and error rate.

import { h, s, api, mount, notice, serviceColor, link } from "./dom.js";

const NODE_W = 170;
const NODE_H = 44;
const COL_GAP = 170;
const ROW_GAP = 30;

/** Column of each service: the longest caller chain leading to it (cycles are cut). */
function columns(nodes, edges) {
  const col = new Map(nodes.map((n) => [n, 0]));
  for (let pass = 0; pass < nodes.length; pass++) {
    let changed = false;
    for (const e of edges) {
      if (e.parent === e.child) continue;
      const want = col.get(e.parent) + 1;
      if (want > col.get(e.child) && want < nodes.length) {
        col.set(e.child, want);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return col;
}

export async function renderServiceMap(root, url) {
  const lookback = url.searchParams.get("lookback") || "";
  const params = {};
  const m = lookback.match(/^(\d+)h$/);
  if (m) params.since = String(Date.now() - Number(m[1]) * 3600e3);
  const [{ edges }, { services }] = await Promise.all([api("/api/dependencies", params), api("/api/services")]);
  const names = [...new Set([...(services || []), ...edges.flatMap((e) => [e.parent, e.child])])].sort();
  const page = h("div", { class: "map-page" }, [h("h1", {}, "Service map")]);
  mount(root, page);
  if (!names.length) {
    page.append(notice("No services yet: send some traces first."));
    return;
  }
  const col = columns(names, edges);
  const connected = new Set(edges.flatMap((e) => [e.parent, e.child]));
  const byCol = [];
  for (const name of names.filter((n) => connected.has(n))) (byCol[col.get(name)] ||= []).push(name);
  const alone = names.filter((n) => !connected.has(n));
  if (alone.length) (byCol[0] ||= []).push(...alone); // services without calls: first column, below
  const rows = Math.max(...byCol.map((l) => (l ? l.length : 0)));
  const pos = new Map();
  byCol.forEach((list, c) => {
    const offset = c > 0 ? ((rows - list.length) * (NODE_H + ROW_GAP)) / 2 : 0;
    list.forEach((name, r) => pos.set(name, { x: 20 + c * (NODE_W + COL_GAP), y: 20 + offset + r * (NODE_H + ROW_GAP) }));
  });
  const width = 40 + byCol.length * (NODE_W + COL_GAP) - COL_GAP;
  const height = 40 + rows * (NODE_H + ROW_GAP) - ROW_GAP;
  const svg = s("svg", { class: "service-map", viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": "Service dependency graph" });
  const marker = (id, cls) =>
    s("marker", { id, viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "8", markerHeight: "8", orient: "auto-start-reverse" }, s("path", { d: "M0,0 L10,5 L0,10 z", class: cls }));
  svg.append(s("defs", {}, [marker("arrow", "arrow-head"), marker("arrow-error", "arrow-head error")]));
  for (const e of edges) {
    const a = pos.get(e.parent);
    const b = pos.get(e.child);
    const rate = e.call_count ? e.error_count / e.call_count : 0;
    const cls = rate > 0 ? "edge has-errors" : "edge";
    let d;
    let lx;
    let ly;
    if (e.parent === e.child) {
      d = `M${a.x + NODE_W - 30},${a.y} C${a.x + NODE_W + 30},${a.y - 40} ${a.x + NODE_W + 40},${a.y + 10} ${a.x + NODE_W},${a.y + 14}`;
      lx = a.x + NODE_W + 20;
      ly = a.y - 18;
    } else {
      const x1 = a.x + NODE_W;
      const y1 = a.y + NODE_H / 2;
      const x2 = b.x;
      const y2 = b.y + NODE_H / 2;
      const back = x2 <= x1;
      d = back ? `M${a.x},${y1} C${a.x - 60},${y1 + 60} ${x2 + NODE_W + 60},${y2 + 60} ${x2 + NODE_W},${y2}` : `M${x1},${y1} C${x1 + 50},${y1} ${x2 - 50},${y2} ${x2},${y2}`;
      lx = back ? (a.x + x2 + NODE_W) / 2 : (x1 + x2) / 2;
      ly = (y1 + y2) / 2 - 6;
    }
    const g = s("g", { class: cls, "data-parent": e.parent, "data-child": e.child });
    g.append(s("path", { d, "marker-end": rate > 0 ? "url(#arrow-error)" : "url(#arrow)" }));
    const label = `${e.call_count} call${e.call_count === 1 ? "" : "s"}${e.error_count ? ` · ${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)} % errors` : ""}`;
    g.append(s("text", { x: lx, y: ly, "text-anchor": "middle", class: "edge-label" }, label));
    g.append(s("title", {}, `${e.parent} → ${e.child}: ${label}`));
    svg.append(g);
  }
  for (const name of names) {
    const p = pos.get(name);
    const a = s("a", { href: `/search?service=${encodeURIComponent(name)}`, "data-route": "", class: "map-node", "data-service": name });
    a.append(s("rect", { x: p.x, y: p.y, width: NODE_W, height: NODE_H, rx: 8, class: "node-box" }));
    a.append(s("rect", { x: p.x, y: p.y, width: 8, height: NODE_H, rx: 3, fill: serviceColor(name), class: "node-stripe" }));
    a.append(s("text", { x: p.x + 18, y: p.y + NODE_H / 2 + 5, class: "node-label" }, name.length > 22 ? `${name.slice(0, 21)}…` : name));
    a.append(s("title", {}, `${name} — click to search its traces`));
    svg.append(a);
  }
  const table = h("table", { class: "edge-table" }, [
    h("thead", {}, h("tr", {}, ["Caller", "Callee", "Calls", "Errors", "Error rate"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, edges.map((e) => h("tr", {}, [
      h("td", {}, link(`/search?service=${encodeURIComponent(e.parent)}`, e.parent)),
      h("td", {}, link(`/search?service=${encodeURIComponent(e.child)}`, e.child)),
      h("td", { class: "num" }, String(e.call_count)),
      h("td", { class: "num" }, String(e.error_count)),
      h("td", { class: "num" }, e.call_count ? `${((e.error_count / e.call_count) * 100).toFixed(1)} %` : "–"),
    ]))),
  ]);
  page.append(h("div", { class: "map-box" }, svg), edges.length ? table : notice("No cross-service calls seen yet."));
}
