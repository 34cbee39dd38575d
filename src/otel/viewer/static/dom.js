// Shared helpers: element building (data always as text), formatting, colours, the JSON API.
//
// Everything that shows telemetry goes through h() / text(): span names, attribute values and
// log bodies come from other processes and are untrusted, so they only ever become text nodes
// or attribute values, never markup.

const SVG_NS = "http://www.w3.org/2000/svg";

function build(el, props, children) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.setAttribute("class", value);
    else if (key === "text") el.textContent = String(value);
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style" && typeof value === "object") {
      for (const [prop, v] of Object.entries(value)) {
        if (prop.startsWith("--")) el.style.setProperty(prop, v);
        else el.style[prop] = v;
      }
    }
    else if (key === "value" || key === "checked" || key === "selected") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of [].concat(children ?? [])) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** h("a", {href, class, onclick, text}, [children]) -> HTMLElement; strings become text nodes. */
export function h(tag, props, children) {
  return build(document.createElement(tag), props, children);
}

/** The same for SVG elements. */
export function s(tag, props, children) {
  return build(document.createElementNS(SVG_NS, tag), props, children);
}

/** Replaces the children of el. */
export function mount(el, ...children) {
  el.replaceChildren();
  build(el, {}, children);
  return el;
}

// ---- formatting ---------------------------------------------------------------------------

/** Duration in nanoseconds -> "850 µs", "12.3 ms", "2.41 s". */
export function fmtDuration(nanos) {
  if (nanos === null || nanos === undefined || Number.isNaN(nanos)) return "–";
  const abs = Math.abs(nanos);
  const scaled = (div, unit) => `${+(nanos / div).toPrecision(3)} ${unit}`;
  if (abs < 999.5) return `${Math.round(nanos)} ns`;
  if (abs < 999.5e3) return scaled(1e3, "µs");
  if (abs < 999.5e6) return scaled(1e6, "ms");
  if (abs < 59.95e9) return scaled(1e9, "s");
  return `${Math.floor(abs / 60e9)} min ${Math.round((abs % 60e9) / 1e9)} s`;
}

const pad = (n, w = 2) => String(n).padStart(w, "0");

/** Unix nanoseconds -> local "2026-11-27 15:04:05.123". */
export function fmtTime(nanos, withDate = true) {
  if (!nanos) return "–";
  const d = new Date(nanos / 1e6);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
  if (!withDate) return time;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/** Unix nanoseconds -> "3 s ago" / "5 min ago" for result lists. */
export function fmtAgo(nanos) {
  const seconds = (Date.now() - nanos / 1e6) / 1000;
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86400)} d ago`;
}

/** An attribute value (JSON native) as display text. */
export function fmtValue(value) {
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** Compact number for chart axes: 1234 -> "1.23k". */
export function fmtNumber(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return "–";
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${+(n / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${+(n / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${+(n / 1e3).toPrecision(3)}k`;
  if (abs === 0 || abs >= 1) return `${+n.toPrecision(4)}`;
  return `${+n.toPrecision(3)}`;
}

// ---- colours ------------------------------------------------------------------------------

// Hues chosen to stay distinguishable in light and dark mode (style.css sets lightness).
// No reds: red means "error" everywhere in the UI.
const HUES = [215, 28, 130, 280, 185, 48, 320, 95, 250, 160];
const serviceHue = new Map();

/** A stable colour per service name, as a CSS colour string. */
export function serviceColor(service) {
  let hue = serviceHue.get(service);
  if (hue === undefined) {
    let hash = 0x811c9dc5; // FNV-1a
    for (const ch of String(service)) hash = Math.imul(hash ^ ch.codePointAt(0), 0x01000193) >>> 0;
    hue = HUES[hash % HUES.length];
    serviceHue.set(service, hue);
  }
  return `hsl(${hue} var(--bar-sat) var(--bar-light))`;
}

// ---- the JSON API -------------------------------------------------------------------------

/** GET /api/... -> parsed JSON; throws Error(reason) on a non-2xx answer. */
export async function api(path, params) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(params || {})) {
    for (const v of [].concat(value)) {
      if (v !== undefined && v !== null && v !== "") url.searchParams.append(key, v);
    }
  }
  const response = await fetch(url);
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = new Error((body && body.error) || `${response.status} ${response.statusText}`);
    error.status = response.status;
    throw error;
  }
  return body;
}

/** A short message box for errors and empty results. */
export function notice(message, kind = "info") {
  return h("p", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" }, message);
}

/** A link handled by the client-side router (see app.js). */
export function link(href, children, props = {}) {
  return h("a", { ...props, href, "data-route": "" }, children);
}

/** Debounce: fn runs once, wait ms after the last call. */
export function debounce(fn, wait) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
}

/** Transient message at the bottom of the page (copy done, import counts, ...). */
export function toast(message, kind = "info") {
  const box = document.getElementById("toasts");
  const item = h("div", { class: `toast toast-${kind}`, role: "status" }, message);
  box.append(item);
  setTimeout(() => item.remove(), 5000);
}
