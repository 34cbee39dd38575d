// Entry point: routes, global keyboard shortcuts, opening/dropping OTLP/JSON files.

import { route, renderCurrent, installLinkHandler, navigate } from "./router.js";
import { toast } from "./dom.js";
import { renderSearch } from "./search.js";
import { renderTrace } from "./trace.js";
import { renderCompare } from "./compare.js";
import { renderServiceMap } from "./servicemap.js";
import { renderMetrics } from "./metrics.js";
import { renderLogs } from "./logs.js";

route(/^\/(search)?$/, renderSearch);
route(/^\/trace\/([0-9a-fA-F]+)\/?$/, renderTrace);
route(/^\/compare\/?$/, renderCompare);
route(/^\/map\/?$/, renderServiceMap);
route(/^\/metrics\/?$/, renderMetrics);
route(/^\/logs\/?$/, renderLogs);

function typing(event) {
  const t = event.target;
  return t instanceof HTMLElement && (t.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(t.tagName));
}

let pendingG = false;
const GO = { t: "/search", m: "/map", x: "/metrics", l: "/logs", c: "/compare" };

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const help = document.getElementById("help");
  if (typing(event) || help.open) return;
  if (pendingG) {
    pendingG = false;
    if (GO[event.key]) {
      event.preventDefault();
      navigate(GO[event.key]);
    }
    return;
  }
  if (event.key === "g") pendingG = true;
  else if (event.key === "?") {
    event.preventDefault();
    help.showModal();
  } else if (event.key === "/") {
    const box = document.querySelector("[data-primary-filter]");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select?.();
    }
  }
}

async function importFile(file) {
  try {
    const body = await file.text();
    const response = await fetch("/api/import", { method: "POST", headers: { "Content-Type": "application/json" }, body });
    const result = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(result.error || `${response.status} ${response.statusText}`);
    toast(`Imported ${file.name}: ${result.spans ?? 0} spans, ${result.metric_points ?? 0} metric points, ${result.logs ?? 0} logs`);
    renderCurrent();
  } catch (error) {
    toast(`Could not import ${file.name}: ${error.message}`, "error");
  }
}

function installFileDrop() {
  const overlay = document.getElementById("drop-overlay");
  let depth = 0;
  const hasFiles = (event) => event.dataTransfer && [...event.dataTransfer.types].includes("Files");
  document.addEventListener("dragenter", (event) => {
    if (!hasFiles(event)) return;
    depth += 1;
    overlay.hidden = false;
  });
  document.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) overlay.hidden = true;
  });
  document.addEventListener("dragover", (event) => {
    if (hasFiles(event)) event.preventDefault();
  });
  document.addEventListener("drop", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth = 0;
    overlay.hidden = true;
    for (const file of event.dataTransfer.files) importFile(file);
  });
  const input = document.getElementById("open-file");
  input.addEventListener("change", () => {
    for (const file of input.files) importFile(file);
    input.value = "";
  });
}

installLinkHandler();
installFileDrop();
document.addEventListener("keydown", onKey);
document.getElementById("help-button").addEventListener("click", () => document.getElementById("help").showModal());
renderCurrent();
