// Flame graph of one trace on a canvas: x is time, y is depth (root on top), one box per span.
// Click selects a span, double-click zooms to it; keyboard: ↑ parent, ↓ first child,
// ← → previous/next sibling, Enter zooms, Esc resets the zoom. Text is drawn with fillText.

import { h, fmtDuration, serviceColor } from "./dom.js";

const ROW = 20;

export class FlameGraph {
  constructor(trace, { onSelect }) {
    this.trace = trace;
    this.onSelect = onSelect;
    this.selected = null;
    this.view = [trace.start, Math.max(trace.end, trace.start + 1)];
    this.levels = [];
    for (const node of trace.nodes) (this.levels[node.depth] ||= []).push(node);
    this.canvas = h("canvas", {
      class: "flame-canvas",
      tabindex: "0",
      role: "img",
      "aria-label": "Flame graph of the trace: arrows move between spans, Enter zooms, Escape resets",
    });
    this.info = h("p", { class: "flame-info muted" }, "Click a box to select its span, double-click to zoom.");
    this.resetButton = h("button", { type: "button", class: "button small", onclick: () => this.zoom(null) }, "Reset zoom");
    this.element = h("div", { class: "flame" }, [h("div", { class: "flame-tools" }, [this.resetButton, this.info]), h("div", { class: "flame-box" }, this.canvas)]);
    this.colors = new Map();
    this.canvas.addEventListener("click", (event) => this.pick(event, false));
    this.canvas.addEventListener("dblclick", (event) => this.pick(event, true));
    this.canvas.addEventListener("mousemove", (event) => this.hover(event));
    this.canvas.addEventListener("keydown", (event) => this.onKey(event));
    this.observer = new ResizeObserver(() => this.draw());
    this.observer.observe(this.element);
  }

  /** {fill, text} for a service: its CSS colour resolved, and black or white text on it. */
  color(service) {
    let c = this.colors.get(service);
    if (!c) {
      const probe = h("span", { style: { color: serviceColor(service), display: "none" } });
      this.element.append(probe);
      const fill = getComputedStyle(probe).color;
      probe.remove();
      const [r, g, b] = (fill.match(/[\d.]+/g) || [0, 0, 0]).map(Number);
      const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      c = { fill, text: luminance > 0.5 ? "#0b0f14" : "#ffffff" };
      this.colors.set(service, c);
    }
    return c;
  }

  draw() {
    const width = this.element.clientWidth || 800;
    const height = Math.max(1, this.levels.length) * ROW + 2;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.floor(width * ratio);
    this.canvas.height = Math.floor(height * ratio);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const style = getComputedStyle(this.element);
    const accent = style.getPropertyValue("--accent").trim() || "#06c";
    const [v0, v1] = this.view;
    const scale = width / (v1 - v0);
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    this.levels.forEach((nodes, depth) => {
      const y = depth * ROW;
      for (const node of nodes) {
        if (node.end < v0 || node.start > v1) continue;
        const x = Math.max(0, (node.start - v0) * scale);
        const w = Math.min(width, (node.end - v0) * scale) - x;
        if (w < 0.5) continue;
        const colors = this.color(node.service);
        ctx.fillStyle = colors.fill;
        ctx.globalAlpha = node.critical ? 1 : 0.75;
        ctx.fillRect(x, y + 1, Math.max(w - 1, 0.5), ROW - 2);
        ctx.globalAlpha = 1;
        if (node.error) {
          ctx.fillStyle = "#d11";
          ctx.fillRect(x, y + ROW - 4, Math.max(w - 1, 0.5), 3);
        }
        if (node === this.selected) {
          ctx.strokeStyle = accent;
          ctx.lineWidth = 2;
          ctx.strokeRect(x + 1, y + 2, Math.max(w - 3, 1), ROW - 4);
        }
        if (w > 36) {
          const label = `${node.name} (${fmtDuration(node.duration)})`;
          const chars = Math.floor((w - 8) / 6.5);
          ctx.fillStyle = colors.text;
          ctx.fillText(label.length > chars ? `${label.slice(0, Math.max(chars - 1, 1))}…` : label, x + 4, y + ROW / 2);
        }
      }
    });
    this.resetButton.disabled = v0 === this.trace.start && v1 === Math.max(this.trace.end, this.trace.start + 1);
  }

  at(event) {
    const rect = this.canvas.getBoundingClientRect();
    const depth = Math.floor((event.clientY - rect.top) / ROW);
    const [v0, v1] = this.view;
    const t = v0 + ((event.clientX - rect.left) / rect.width) * (v1 - v0);
    return (this.levels[depth] || []).find((node) => node.start <= t && t <= node.end) || null;
  }

  hover(event) {
    const node = this.at(event);
    this.canvas.title = node ? `${node.service}: ${node.name}\n${fmtDuration(node.duration)}` : "";
  }

  pick(event, zoom) {
    const node = this.at(event);
    if (!node) return;
    this.select(node);
    if (zoom) this.zoom(node);
  }

  select(node, notify = true) {
    this.selected = node;
    this.info.textContent = `${node.service}: ${node.name} — ${fmtDuration(node.duration)}`;
    this.draw();
    if (notify) this.onSelect(node);
  }

  zoom(node) {
    this.view = node ? [node.start, Math.max(node.end, node.start + 1)] : [this.trace.start, Math.max(this.trace.end, this.trace.start + 1)];
    this.draw();
  }

  onKey(event) {
    const node = this.selected || this.trace.roots[0];
    if (!node) return;
    const siblings = node.parent ? node.parent.children : this.trace.roots;
    const i = siblings.indexOf(node);
    const moves = {
      ArrowUp: () => node.parent,
      ArrowDown: () => node.children[0],
      ArrowLeft: () => siblings[i - 1],
      ArrowRight: () => siblings[i + 1],
    };
    if (moves[event.key]) {
      event.preventDefault();
      const target = this.selected ? moves[event.key]() : node;
      if (target) this.select(target);
    } else if (event.key === "Enter") {
      event.preventDefault();
      this.zoom(node);
    } else if (event.key === "Escape") {
      this.zoom(null);
    }
  }

  destroy() {
    this.observer.disconnect();
  }
}
