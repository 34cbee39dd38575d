"""In-memory store: the ``Store`` protocol over Python lists (``otel view --db :memory:``,
and the test double of everything above the store).

One lock guards the data; ``ingest`` holds it only to append, queries copy what they need
under it. Retention by age and by item count (``max_bytes`` is approximated as 1 KiB per
item). Nothing survives the process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

from otel.exporter.otlp._proto._model import LogRecord, Metric, MetricPoint, Span
from otel.viewer._store._common import STATUS_ERROR, TraceAccumulator, attr_text, summary
from otel.viewer._store._interface import (
    Edge,
    LogQuery,
    MetricInfo,
    Retention,
    Series,
    StoreError,
    TraceListener,
    TraceQuery,
    TraceSummary,
)
from otel.viewer._store._rows import PreparedSpans

_BYTES_PER_ITEM = 1024
_RETENTION_INTERVAL_S = 10.0


class MemoryStore:
    """Thread-safe; ``ingest`` never blocks on I/O."""

    def __init__(self, retention: Retention | None = None) -> None:
        self._retention = retention or Retention()
        self._lock = threading.Lock()
        self._spans: dict[bytes, list[Span]] = {}
        self._traces: dict[bytes, TraceAccumulator] = {}
        self._logs: list[LogRecord] = []
        self._metrics: dict[tuple[str, str], Metric] = {}  # metadata, points merged
        self._points: list[tuple[str, str, MetricPoint]] = []  # (name, service, point)
        self._listeners: list[TraceListener] = []
        self._closed = False
        self._items = 0
        self._last_retention = time.monotonic()
        self._max_items = max(1, self._retention.max_bytes // _BYTES_PER_ITEM)

    def ingest(
        self,
        spans: Sequence[Span] | PreparedSpans = (),
        metrics: Sequence[Metric] = (),
        logs: Sequence[LogRecord] = (),
        timeout_millis: float = 30_000,
    ) -> None:
        if self._closed:
            raise StoreError("the store is closed")
        if isinstance(spans, PreparedSpans):
            spans = list(spans.spans())
        changed: set[bytes] = set()
        with self._lock:
            for span in spans:
                self._spans.setdefault(span.trace_id, []).append(span)
                acc = self._traces.get(span.trace_id)
                if acc is None:
                    acc = self._traces[span.trace_id] = TraceAccumulator()
                acc.add(span.resource.service, span)
                changed.add(span.trace_id)
            self._logs.extend(logs)
            for metric in metrics:
                service = metric.resource.service
                self._metrics[(metric.name, service)] = metric
                self._points.extend((metric.name, service, p) for p in metric.points)
            self._items += len(spans) + len(logs) + sum(len(m.points) for m in metrics)
            now = time.monotonic()
            if now - self._last_retention >= _RETENTION_INTERVAL_S or self._items > self._max_items:
                self._last_retention = now
                self._retain_locked()
        if changed:
            for listener in list(self._listeners):
                listener(changed)

    def _retain_locked(self) -> None:
        cutoff = time.time_ns() - int(self._retention.max_age_seconds * 1e9)
        max_items = self._max_items
        too_old = [t for t, acc in self._traces.items() if acc.end < cutoff]
        if self._items > max_items:
            by_age = sorted(self._traces.items(), key=lambda item: item[1].start)
            excess = self._items - max_items * 9 // 10  # headroom: trim once, not per ingest
            for trace_id, acc in by_age:
                if excess <= 0:
                    break
                too_old.append(trace_id)
                excess -= acc.span_count
        for trace_id in too_old:
            if trace_id in self._traces:
                self._items -= self._traces.pop(trace_id).span_count
                self._spans.pop(trace_id, None)
        kept_logs = [r for r in self._logs if r.time_unix_nano >= cutoff]
        kept_points = [p for p in self._points if p[2].time_unix_nano >= cutoff]
        self._items -= len(self._logs) - len(kept_logs) + len(self._points) - len(kept_points)
        self._logs, self._points = kept_logs, kept_points

    def services(self) -> list[str]:
        with self._lock:
            names = {s.resource.service for spans in self._spans.values() for s in spans}
            names.update(r.resource.service for r in self._logs)
            names.update(service for _, service in self._metrics)
        return sorted(names)

    def find_traces(self, query: TraceQuery) -> list[TraceSummary]:
        with self._lock:
            candidates = [(t, list(spans)) for t, spans in self._spans.items()]
            traces = dict(self._traces)
        hits: list[tuple[int, bytes]] = []
        for trace_id, spans in candidates:
            if query.errors and traces[trace_id].error_count == 0:
                continue
            starts = [s.start_time_unix_nano for s in spans if _span_matches(s, query)]
            if starts:
                hits.append((max(starts), trace_id))
        hits.sort(reverse=True)
        return [summary(t, traces[t].row()) for _, t in hits[: query.limit]]

    def trace_summaries(self, trace_ids: Sequence[bytes]) -> list[TraceSummary]:
        with self._lock:
            return [summary(t, self._traces[t].row()) for t in trace_ids if t in self._traces]

    def get_trace(self, trace_id: bytes) -> list[Span]:
        with self._lock:
            spans = list(self._spans.get(trace_id, ()))
        spans.sort(key=lambda s: s.start_time_unix_nano)
        return spans

    def find_logs(self, query: LogQuery) -> list[LogRecord]:
        with self._lock:
            logs = list(self._logs)
        text = query.text.lower() if query.text else None
        out = []
        for rec in logs:
            t = rec.time_unix_nano or rec.observed_time_unix_nano
            if (
                (query.service is not None and rec.resource.service != query.service)
                or (query.trace_id is not None and rec.trace_id != query.trace_id)
                or (query.span_id is not None and rec.span_id != query.span_id)
                or (query.severity_min is not None and rec.severity_number < query.severity_min)
                or (query.since_unix_nano is not None and t < query.since_unix_nano)
                or (query.until_unix_nano is not None and t > query.until_unix_nano)
                or (text is not None and text not in f"{rec.body} {rec.attributes}".lower())
            ):
                continue
            out.append((t, rec))
        out.sort(key=lambda item: item[0], reverse=True)
        return [rec for _, rec in out[: query.limit]]

    def metrics(self) -> list[MetricInfo]:
        with self._lock:
            items = sorted(self._metrics.items())
        out: dict[str, MetricInfo] = {}
        for (name, service), m in items:
            info = out.get(name)
            if info is None:
                out[name] = MetricInfo(
                    name, m.type, m.unit, m.description, [service], m.is_monotonic, m.temporality
                )
            else:
                info.services.append(service)
        return list(out.values())

    def metric_series(
        self,
        name: str,
        service: str | None,
        since_unix_nano: int | None,
        until_unix_nano: int | None,
        attributes: Sequence[tuple[str, str]] = (),
    ) -> tuple[MetricInfo, list[Series]] | None:
        infos = [m for m in self.metrics() if m.name == name]
        if not infos:
            return None
        with self._lock:
            points = [p for p in self._points if p[0] == name]
        series: dict[tuple[str, str], Series] = {}
        for _, svc, p in sorted(points, key=lambda item: item[2].time_unix_nano):
            if service is not None and svc != service:
                continue
            if since_unix_nano is not None and p.time_unix_nano < since_unix_nano:
                continue
            if until_unix_nano is not None and p.time_unix_nano > until_unix_nano:
                continue
            if any(attr_text(p.attributes.get(k)) != v for k, v in attributes):
                continue
            key = (svc, repr(sorted(p.attributes.items())))
            s = series.get(key)
            if s is None:
                s = series[key] = Series(svc, p.attributes, [])
            s.points.append(p)
        return infos[0], list(series.values())

    def dependencies(self, since_unix_nano: int | None, until_unix_nano: int | None) -> list[Edge]:
        with self._lock:
            traces = [list(spans) for spans in self._spans.values()]
        edges: dict[tuple[str, str], list[int]] = {}
        for spans in traces:
            by_id = {s.span_id: s for s in spans}
            for child in spans:
                parent = by_id.get(child.parent_span_id) if child.parent_span_id else None
                if parent is None:
                    continue
                start = child.start_time_unix_nano
                if since_unix_nano is not None and start < since_unix_nano:
                    continue
                if until_unix_nano is not None and start > until_unix_nano:
                    continue
                a, b = parent.resource.service, child.resource.service
                if a == b:
                    continue
                counts = edges.setdefault((a, b), [0, 0])
                counts[0] += 1
                counts[1] += child.status_code == STATUS_ERROR
        return [Edge(a, b, n, e) for (a, b), (n, e) in sorted(edges.items())]

    def add_listener(self, listener: TraceListener) -> None:
        self._listeners.append(listener)

    def close(self, timeout_millis: float = 10_000) -> None:
        self._closed = True


def _span_matches(span: Span, q: TraceQuery) -> bool:
    duration = max(0, span.end_time_unix_nano - span.start_time_unix_nano)
    start = span.start_time_unix_nano
    checks: list[Any] = [
        q.service is None or span.resource.service == q.service,
        q.span_name is None or span.name == q.span_name,
        q.min_duration_nano is None or duration >= q.min_duration_nano,
        q.max_duration_nano is None or duration <= q.max_duration_nano,
        q.since_unix_nano is None or start >= q.since_unix_nano,
        q.until_unix_nano is None or start <= q.until_unix_nano,
    ]
    if not all(checks):
        return False
    return all(attr_text(span.attributes.get(k)) == v for k, v in q.attributes)
