// The trace model and the analyses on it: tree building, the critical path, repeated-span
// (N+1) detection, the visible-row list and trace comparison. Pure functions, no DOM, so
// they are easy to reason about (docs/viewer-ui.md states the rules).

/** Span JSON (GET /api/traces/{id}) -> {traceId, nodes, roots, byId, start, end, services}. */
export function buildTrace(json) {
  const byId = new Map();
  const nodes = json.spans.map((span) => {
    const node = {
      span,
      id: span.span_id,
      parentId: span.parent_span_id || null,
      name: span.name,
      service: span.service || "unknown",
      start: span.start_unix_nano,
      end: Math.max(span.end_unix_nano, span.start_unix_nano),
      error: span.status && span.status.code === "ERROR",
      children: [],
      parent: null,
      depth: 0,
      critical: false,
      orphan: false,
      repeats: [],
    };
    node.duration = node.end - node.start;
    byId.set(node.id, node);
    return node;
  });
  const roots = [];
  for (const node of nodes) {
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    if (parent && parent !== node) {
      node.parent = parent;
      parent.children.push(node);
    } else {
      node.orphan = Boolean(node.parentId);
      roots.push(node);
    }
  }
  const byStart = (a, b) => a.start - b.start || a.end - b.end;
  roots.sort((a, b) => Number(a.orphan) - Number(b.orphan) || byStart(a, b));
  let start = Infinity;
  let end = -Infinity;
  for (const node of nodes) {
    if (node.children.length > 1) node.children.sort(byStart);
    if (node.start < start) start = node.start;
    if (node.end > end) end = node.end;
  }
  // depths, iteratively (a 50,000-span chain must not overflow the stack)
  const stack = roots.map((root) => [root, 0]);
  while (stack.length) {
    const [node, depth] = stack.pop();
    node.depth = depth;
    for (const child of node.children) stack.push([child, depth + 1]);
  }
  const services = [...new Set(nodes.map((n) => n.service))].sort();
  if (!nodes.length) start = end = 0;
  return { traceId: json.trace_id, nodes, roots, byId, start, end, services };
}

/**
 * Marks the critical path (node.critical = true) and returns its nodes.
 *
 * Rule: the root is on the path. For a span on the path, walk backwards from its end (the
 * "cursor"): pick the child whose end, clamped to the parent's end, is the latest one at or
 * before the cursor; it is on the path; move the cursor to that child's start and repeat until
 * no child ends before the cursor. Each picked child is handled the same way with its own
 * (clamped) end. Children that ran in parallel with a later-finishing sibling are not on it.
 */
export function markCriticalPath(trace) {
  for (const node of trace.nodes) node.critical = false;
  const root = trace.roots[0];
  if (!root) return [];
  const path = [];
  const stack = [[root, root.end]];
  while (stack.length) {
    const [node, effectiveEnd] = stack.pop();
    node.critical = true;
    path.push(node);
    const kids = node.children
      .map((child) => [child, Math.min(child.end, effectiveEnd)])
      .sort((a, b) => b[1] - a[1] || b[0].start - a[0].start);
    let cursor = effectiveEnd;
    for (const [child, childEnd] of kids) {
      if (childEnd > cursor || child.start > cursor) continue;
      stack.push([child, childEnd]);
      cursor = child.start;
    }
  }
  return path;
}

/** Spans repeated this many times under one parent are flagged. */
export const REPEAT_THRESHOLD = 5;

function queryText(node) {
  const attrs = node.span.attributes || {};
  const text = attrs["db.query.text"] ?? attrs["db.statement"];
  return typeof text === "string" && text ? text : null;
}

/**
 * Repeated-span (N+1) detection. Children of one parent are grouped by their
 * `db.query.text` (or the older `db.statement`) when they have one, by service and span name
 * otherwise; a group of at least `threshold` spans is a finding
 * {parent, kind: "query"|"name", label, count, totalNanos, spans}. Findings are also attached
 * to their parent as parent.repeats.
 */
export function findRepeats(trace, threshold = REPEAT_THRESHOLD) {
  const findings = [];
  for (const node of trace.nodes) {
    node.repeats = [];
    if (node.children.length < threshold) continue;
    const groups = new Map();
    for (const child of node.children) {
      const query = queryText(child);
      const key = query !== null ? `q\u0000${query}` : `n\u0000${child.service}\u0000${child.name}`;
      let group = groups.get(key);
      if (!group) {
        group = { parent: node, kind: query !== null ? "query" : "name", label: query ?? child.name, spans: [] };
        groups.set(key, group);
      }
      group.spans.push(child);
    }
    for (const group of groups.values()) {
      if (group.spans.length < threshold) continue;
      group.count = group.spans.length;
      group.totalNanos = group.spans.reduce((sum, span) => sum + span.duration, 0);
      node.repeats.push(group);
      findings.push(group);
    }
  }
  findings.sort((a, b) => b.totalNanos - a.totalNanos);
  return findings;
}

/** Depth-first list of the nodes shown: children of collapsed nodes are left out. */
export function visibleRows(trace, collapsed) {
  const rows = [];
  const stack = [...trace.roots].reverse();
  while (stack.length) {
    const node = stack.pop();
    rows.push(node);
    if (collapsed.has(node.id)) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return rows;
}

/** Does the span match the in-trace filter text (name, service, id, attribute key/value)? */
export function spanMatches(node, query) {
  if (!query) return false;
  const q = query.toLowerCase();
  if (node.name.toLowerCase().includes(q) || node.service.toLowerCase().includes(q)) return true;
  if (node.id.includes(q)) return true;
  for (const [key, value] of Object.entries(node.span.attributes || {})) {
    const text = `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`;
    if (text.toLowerCase().includes(q)) return true;
  }
  return false;
}

/** The structural key of every span: service and name of it and its ancestors (memoised). */
function pathKeys(trace) {
  const keys = new Map();
  for (const node of trace.nodes) {
    const chain = [];
    let n = node;
    while (n && !keys.has(n)) {
      chain.push(n);
      n = n.parent;
    }
    let prefix = n ? keys.get(n) : "";
    for (let i = chain.length - 1; i >= 0; i--) {
      const part = `${chain[i].service}: ${chain[i].name}`;
      prefix = prefix ? `${prefix} › ${part}` : part;
      keys.set(chain[i], prefix);
    }
  }
  return keys;
}

function aggregate(trace) {
  const out = new Map();
  const keys = pathKeys(trace);
  for (const node of trace.nodes) {
    const key = keys.get(node);
    let entry = out.get(key);
    if (!entry) {
      entry = { key, depth: node.depth, name: node.name, service: node.service, count: 0, total: 0 };
      out.set(key, entry);
    }
    entry.count += 1;
    entry.total += node.duration;
  }
  return out;
}

/**
 * Compares two traces of the same operation, span paths matched by service and name from the
 * root down. Returns rows {key, depth, name, service, a: {count,total}|null, b: ..., status}
 * where status is "added" (only in b), "removed" (only in a), "slower"/"faster" (total time
 * changed by more than 10 % and 0.1 ms), "more"/"fewer" (count changed) or "same".
 */
export function compareTraces(a, b) {
  const left = aggregate(a);
  const right = aggregate(b);
  const keys = [...new Set([...right.keys(), ...left.keys()])].sort();
  return keys.map((key) => {
    const x = left.get(key) || null;
    const y = right.get(key) || null;
    const base = y || x;
    let status = "same";
    if (!x) status = "added";
    else if (!y) status = "removed";
    else {
      const delta = y.total - x.total;
      if (Math.abs(delta) > 1e5 && Math.abs(delta) > 0.1 * x.total) status = delta > 0 ? "slower" : "faster";
      else if (y.count !== x.count) status = y.count > x.count ? "more" : "fewer";
    }
    return {
      key,
      depth: base.depth,
      name: base.name,
      service: base.service,
      a: x && { count: x.count, total: x.total },
      b: y && { count: y.count, total: y.total },
      status,
    };
  });
}
