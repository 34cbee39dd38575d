// The virtualised waterfall: only the rows in view (plus a margin) exist in the DOM, so a
// 50,000-span trace opens as fast as a small one. Keyboard: arrows, Home/End (see docs).

import { h, fmtDuration, serviceColor } from "./dom.js";
import { visibleRows } from "./tracemodel.js";

export const ROW_HEIGHT = 26;
const OVERSCAN = 12;
const MAX_INDENT_LEVELS = 24;

/**
 * Waterfall(trace, {onSelect}) owns its DOM (.element). State: collapsed span ids, the
 * selected node, the filter's matches and whether the critical path is shown.
 */
export class Waterfall {
  constructor(trace, { onSelect }) {
    this.trace = trace;
    this.onSelect = onSelect;
    this.collapsed = new Set();
    this.selected = null;
    this.matches = new Set();
    this.filtering = false;
    this.showCritical = true;
    this.rows = visibleRows(trace, this.collapsed);
    this.total = Math.max(1, trace.end - trace.start);

    this.spacer = h("div", { class: "wf-spacer" });
    this.scroller = h("div", {
      class: "wf-scroll",
      tabindex: "0",
      role: "tree",
      "aria-label": "Spans of this trace (arrow keys to move, left/right to collapse/expand)",
    }, this.spacer);
    this.scroller.classList.add("show-critical");
    this.element = h("div", { class: "waterfall" }, [this.header(), this.scroller]);
    this.scroller.addEventListener("scroll", () => this.schedule());
    this.scroller.addEventListener("keydown", (event) => this.onKey(event));
    this.spacer.addEventListener("click", (event) => this.onClick(event));
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
    this.layout();
  }

  header() {
    const ticks = h("div", { class: "wf-ticks" });
    for (let i = 0; i <= 4; i++) {
      ticks.append(h("span", { class: "wf-tick", style: { left: `${i * 25}%` } }, fmtDuration((this.total * i) / 4)));
    }
    return h("div", { class: "wf-header", "aria-hidden": "true" }, [h("div", { class: "wf-name" }, "Service: span"), h("div", { class: "wf-timeline" }, ticks)]);
  }

  /** Recompute the row list after collapse/expand and redraw. */
  layout() {
    this.rows = visibleRows(this.trace, this.collapsed);
    this.index = new Map(this.rows.map((node, i) => [node, i]));
    this.spacer.style.height = `${this.rows.length * ROW_HEIGHT}px`;
    this.draw();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw() {
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const fragment = document.createDocumentFragment();
    for (let i = first; i < last; i++) fragment.append(this.row(this.rows[i], i));
    this.spacer.replaceChildren(fragment);
  }

  row(node, i) {
    const hasKids = node.children.length > 0;
    const open = hasKids && !this.collapsed.has(node.id);
    const classes = ["wf-row"];
    if (node === this.selected) classes.push("selected");
    if (node.error) classes.push("error");
    if (this.filtering) classes.push(this.matches.has(node) ? "match" : "dim");
    const critical = this.showCritical && node.critical;
    const el = h("div", {
      class: classes.join(" "),
      role: "treeitem",
      id: `span-${node.id}`,
      "aria-level": String(node.depth + 1),
      "aria-selected": String(node === this.selected),
      "aria-expanded": hasKids ? String(open) : undefined,
      "data-span-id": node.id,
      "data-depth": String(node.depth),
      "data-critical": critical ? "true" : undefined,
      style: { top: `${i * ROW_HEIGHT}px` },
    });
    const indent = Math.min(node.depth, MAX_INDENT_LEVELS) * 14;
    const name = h("div", { class: "wf-name", style: { paddingLeft: `${indent + 4}px` } });
    if (hasKids) {
      name.append(h("button", {
        type: "button",
        class: "wf-toggle",
        tabindex: "-1",
        "aria-label": open ? "Collapse" : "Expand",
        "data-toggle": node.id,
      }, open ? "▾" : "▸"));
    } else name.append(h("span", { class: "wf-toggle-space" }));
    name.append(h("span", { class: "svc-stripe", style: { background: serviceColor(node.service) } }));
    if (node.depth > MAX_INDENT_LEVELS) name.append(h("span", { class: "depth-badge" }, `L${node.depth}`));
    name.append(h("span", { class: "wf-service" }, node.service));
    name.append(h("span", { class: "wf-span-name" }, node.name));
    if (node.error) name.append(h("span", { class: "error-badge", title: node.span.status?.message || "error status" }, "⚠"));
    if (node.orphan) name.append(h("span", { class: "badge", title: "its parent span was not received" }, "orphan"));
    if (!open && hasKids) name.append(h("span", { class: "badge" }, `+${countDescendants(node)}`));
    for (const finding of node.repeats) {
      name.append(h("span", {
        class: "nplus1-badge",
        title: `${finding.count}× ${finding.label} — ${fmtDuration(finding.totalNanos)} in total`,
      }, `N+1 ×${finding.count}`));
    }
    const left = ((node.start - this.trace.start) / this.total) * 100;
    const width = (node.duration / this.total) * 100;
    const bar = h("div", {
      class: critical ? "wf-bar critical" : "wf-bar",
      style: { left: `${left}%`, width: `${width}%`, background: serviceColor(node.service) },
    });
    const label = h("span", { class: "wf-dur", style: left + width > 75 ? { right: `${100 - left + 0.5}%` } : { left: `calc(${left + width}% + 4px)` } }, fmtDuration(node.duration));
    const timeline = h("div", { class: "wf-timeline" }, [bar, label]);
    el.append(name, timeline);
    return el;
  }

  onClick(event) {
    const toggle = event.target.closest("[data-toggle]");
    const rowEl = event.target.closest(".wf-row");
    if (!rowEl) return;
    const node = this.trace.byId.get(rowEl.dataset.spanId);
    if (toggle) this.toggle(node);
    else this.select(node);
    this.scroller.focus({ preventScroll: true });
  }

  toggle(node, open) {
    const isOpen = !this.collapsed.has(node.id);
    const want = open === undefined ? !isOpen : open;
    if (want === isOpen) return;
    if (want) this.collapsed.delete(node.id);
    else this.collapsed.add(node.id);
    this.layout();
  }

  setAll(open) {
    this.collapsed.clear();
    if (!open) for (const node of this.trace.nodes) if (node.children.length && node.parent) this.collapsed.add(node.id);
    this.layout();
  }

  /** Select a node: expands its ancestors, scrolls it into view, tells onSelect. */
  select(node, { scroll = true, notify = true } = {}) {
    if (!node) return;
    let changed = false;
    for (let p = node.parent; p; p = p.parent) if (this.collapsed.delete(p.id)) changed = true;
    this.selected = node;
    if (changed) this.layout();
    if (scroll) this.reveal(node);
    this.draw();
    this.scroller.setAttribute("aria-activedescendant", `span-${node.id}`);
    if (notify) this.onSelect(node);
  }

  reveal(node) {
    const i = this.index.get(node);
    if (i === undefined) return;
    const top = i * ROW_HEIGHT;
    const view = this.scroller.clientHeight || 600;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > this.scroller.scrollTop + view) this.scroller.scrollTop = top - view + ROW_HEIGHT * 2;
  }

  setFilter(matches, active) {
    this.matches = matches;
    this.filtering = active;
    this.draw();
  }

  setCritical(on) {
    this.showCritical = on;
    this.scroller.classList.toggle("show-critical", on);
    this.draw();
  }

  onKey(event) {
    const i = this.selected ? this.index.get(this.selected) ?? -1 : -1;
    const node = this.selected;
    let target = null;
    switch (event.key) {
      case "ArrowDown":
        target = this.rows[Math.min(this.rows.length - 1, i + 1)];
        break;
      case "ArrowUp":
        target = this.rows[Math.max(0, i - 1)];
        break;
      case "Home":
        target = this.rows[0];
        break;
      case "End":
        target = this.rows[this.rows.length - 1];
        break;
      case "PageDown":
        target = this.rows[Math.min(this.rows.length - 1, i + 20)];
        break;
      case "PageUp":
        target = this.rows[Math.max(0, i - 20)];
        break;
      case "ArrowRight":
        if (!node) return;
        if (node.children.length && this.collapsed.has(node.id)) this.toggle(node, true);
        else target = node.children[0] || null;
        break;
      case "ArrowLeft":
        if (!node) return;
        if (node.children.length && !this.collapsed.has(node.id)) this.toggle(node, false);
        else target = node.parent;
        break;
      case "Enter":
      case " ":
        if (node && node.children.length) this.toggle(node);
        break;
      default:
        return;
    }
    event.preventDefault();
    if (target) this.select(target);
  }
}

function countDescendants(node) {
  let count = 0;
  const stack = [...node.children];
  while (stack.length) {
    const n = stack.pop();
    count += 1;
    for (const c of n.children) stack.push(c);
  }
  return count;
}
