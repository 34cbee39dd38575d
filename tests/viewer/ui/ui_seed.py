"""Telemetry for the browser tests, sent to a running viewer through otel's own SDK and
OTLP/HTTP exporters (the path real applications take).

Every trace is built with explicit start/end times so the tests can compare what the UI
draws with what was sent. ``seed(endpoint)`` returns the ids and times the tests check.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from otel import trace
from otel.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
from otel.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from otel.sdk.logs import LoggerProvider, SeverityNumber
from otel.sdk.logs.export import BatchLogRecordProcessor
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import PeriodicExportingMetricReader
from otel.sdk.resources import Resource
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import BatchSpanProcessor

MS = 1_000_000
XSS = "<img src=x onerror=alert(1)>"
XSS_VALUE = "<script>alert(2)</script>"
BIG_SPANS = 10_000


@dataclass
class SentSpan:
    trace_id: str
    span_id: str
    name: str
    service: str
    start: int
    end: int


@dataclass
class Seeded:
    """What was sent: trace ids by role and the spans of the traces the tests measure."""

    checkout_ids: list[str] = field(default_factory=list)
    error_trace_id: str = ""
    nplus1_trace_id: str = ""
    critical_trace_id: str = ""
    critical_expected: set[str] = field(default_factory=set)  # span names on the path
    compare_a: str = ""
    compare_b: str = ""
    xss_trace_id: str = ""
    big_trace_id: str = ""
    log_trace_id: str = ""
    log_span_id: str = ""
    spans: dict[str, list[SentSpan]] = field(default_factory=dict)  # trace id -> spans


class Sender:
    """One tracer/logger provider per service, all exporting to one viewer."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.tracers: dict[str, tuple[TracerProvider, trace.Tracer]] = {}
        self.loggers: dict[str, LoggerProvider] = {}
        self.sent: dict[str, list[SentSpan]] = {}

    def tracer(self, service: str) -> trace.Tracer:
        if service not in self.tracers:
            provider = TracerProvider(resource=Resource.create({"service.name": service}))
            exporter = OTLPSpanExporter(endpoint=f"{self.endpoint}/v1/traces")
            provider.add_span_processor(
                BatchSpanProcessor(exporter, max_queue_size=40_000, max_export_batch_size=512)
            )
            self.tracers[service] = (provider, provider.get_tracer("ui-tests", "1.0"))
        return self.tracers[service][1]

    def logger(self, service: str) -> Any:
        if service not in self.loggers:
            provider = LoggerProvider(resource=Resource.create({"service.name": service}))
            exporter = OTLPLogExporter(endpoint=f"{self.endpoint}/v1/logs")
            provider.add_log_record_processor(BatchLogRecordProcessor(exporter))
            self.loggers[service] = provider
        return self.loggers[service].get_logger("ui-tests")

    def span(
        self,
        service: str,
        name: str,
        start: int,
        end: int,
        parent: trace.Span | None = None,
        attributes: Mapping[str, Any] | None = None,
        error: str | None = None,
        kind: trace.SpanKind = trace.SpanKind.INTERNAL,
    ) -> trace.Span:
        context = trace.set_span_in_context(parent) if parent is not None else None
        span = self.tracer(service).start_span(
            name, context=context, kind=kind, attributes=attributes, start_time=start
        )
        if error:
            span.set_status(trace.Status(trace.StatusCode.ERROR, error))
        return self.end(span, service, end)

    def end(self, span: trace.Span, service: str, end: int) -> trace.Span:
        """End ``span`` at ``end`` and remember its times for the tests."""
        span.end(end_time=end)
        trace_id, span_id = _ids(span)
        start = span.start_time  # type: ignore[attr-defined]
        self.sent.setdefault(trace_id, []).append(
            SentSpan(trace_id, span_id, span.name, service, start, end)  # type: ignore[attr-defined]
        )
        return span

    def flush(self) -> None:
        for provider, _ in self.tracers.values():
            provider.force_flush(30_000)
        for logs in self.loggers.values():
            logs.force_flush(30_000)

    def shutdown(self) -> None:
        for provider, _ in self.tracers.values():
            provider.shutdown()
        for logs in self.loggers.values():
            logs.shutdown()


@contextmanager
def sender(endpoint: str) -> Iterator[Sender]:
    s = Sender(endpoint)
    try:
        yield s
    finally:
        s.shutdown()


def _ids(span: trace.Span) -> tuple[str, str]:
    ctx = span.get_span_context()
    return trace.format_trace_id(ctx.trace_id), trace.format_span_id(ctx.span_id)


def _checkout(s: Sender, base: int, user: int, pay_ms: int, error: bool = False) -> str:
    root = s.tracer("shop").start_span(
        "GET /checkout",
        kind=trace.SpanKind.SERVER,
        attributes={"http.route": "/checkout", "user.id": user, "http.request.method": "GET"},
        start_time=base,
    )
    s.span("shop", "load cart", base + 1 * MS, base + 4 * MS, root, {"cart.items": 3})
    pay = s.span(
        "payments",
        "POST /pay",
        base + 5 * MS,
        base + (5 + pay_ms) * MS,
        root,
        {"http.route": "/pay", "payment.amount": 42.5},
        error="card declined" if error else None,
        kind=trace.SpanKind.SERVER,
    )
    s.span("payments", "charge card", base + 6 * MS, base + (4 + pay_ms) * MS, pay)
    if error:
        root.set_status(trace.Status(trace.StatusCode.ERROR, "payment failed"))
    s.end(root, "shop", base + (pay_ms + 8) * MS)
    trace_id, _ = _ids(root)
    return trace_id


def _critical(s: Sender, base: int, out: Seeded) -> None:
    """root [0,100]: a [0,40], b [5,30], c [45,90] (e [50,85], f [46,50]), d [50,60].

    Walking back from root's end: c (ends 90) -> inside c: e (85), then f (50); back in root,
    cursor 45: a (ends 40). So the path is root, c, e, f, a; b and d are not on it.
    """
    t = lambda ms: base + ms * MS  # noqa: E731
    root = s.tracer("cp").start_span("cp-root", start_time=t(0))
    s.span("cp", "cp-a", t(0), t(40), root)
    s.span("cp", "cp-b", t(5), t(30), root)
    c = s.tracer("cp").start_span("cp-c", context=trace.set_span_in_context(root), start_time=t(45))
    s.span("cp", "cp-e", t(50), t(85), c)
    s.span("cp", "cp-f", t(46), t(50), c)
    s.end(c, "cp", t(90))
    s.span("cp", "cp-d", t(50), t(60), root)
    s.end(root, "cp", t(100))
    out.critical_trace_id, _ = _ids(root)
    out.critical_expected = {"cp-root", "cp-c", "cp-e", "cp-f", "cp-a"}


def _nplus1(s: Sender, base: int) -> str:
    root = s.tracer("shop").start_span(
        "GET /orders",
        kind=trace.SpanKind.SERVER,
        start_time=base,
        attributes={"http.route": "/orders"},
    )
    s.span(
        "shop",
        "SELECT orders",
        base + MS,
        base + 2 * MS,
        root,
        {"db.query.text": "SELECT id FROM orders"},
    )
    for i in range(12):
        start = base + (3 + 2 * i) * MS
        s.span(
            "shop",
            "SELECT items",
            start,
            start + MS,
            root,
            {"db.system.name": "sqlite", "db.query.text": "SELECT * FROM items WHERE order_id = ?"},
        )
    root.end(end_time=base + 30 * MS)
    return _ids(root)[0]


def _compare_pair(s: Sender, base: int) -> tuple[str, str]:
    ids = []
    links: list[trace.Link] = []
    for k, (db_ms, extra) in enumerate([(20, "render"), (60, "cache lookup")]):
        b0 = base + k * 200 * MS
        root = s.tracer("shop").start_span(
            "GET /report", start_time=b0, links=links, attributes={"report.run": k}
        )
        links = [trace.Link(root.get_span_context(), {"link.reason": "retry of"})]
        s.span("shop", "auth", b0 + MS, b0 + 10 * MS, root)
        s.span("shop", "query report", b0 + 11 * MS, b0 + (11 + db_ms) * MS, root)
        s.span("shop", extra, b0 + (12 + db_ms) * MS, b0 + (15 + db_ms) * MS, root)
        root.end(end_time=b0 + (16 + db_ms) * MS)
        ids.append(_ids(root)[0])
    return ids[0], ids[1]


def _xss(s: Sender, base: int) -> str:
    root = s.tracer("xss-svc").start_span(
        XSS, start_time=base, attributes={XSS: XSS_VALUE, "note": XSS}
    )
    s.span("xss-svc", XSS_VALUE, base + MS, base + 2 * MS, root, {"html": XSS})
    root.add_event(XSS, {"evil": XSS_VALUE}, timestamp=base + MS)
    s.logger("xss-svc").emit(
        timestamp=base + MS,
        context=trace.set_span_in_context(root),
        severity_number=SeverityNumber.WARN,
        severity_text="WARN",
        body=XSS,
    )
    root.end(end_time=base + 3 * MS)
    return _ids(root)[0]


def _big(s: Sender, base: int) -> str:
    """1 root + 99 children with 100 children each = 10,000 spans."""
    tracer = s.tracer("big-svc")
    root = tracer.start_span("big-root", start_time=base)
    for i in range(99):
        c0 = base + i * 10 * MS
        child = tracer.start_span(
            f"batch {i}", context=trace.set_span_in_context(root), start_time=c0
        )
        ctx = trace.set_span_in_context(child)
        for j in range(100):
            g = c0 + j * 90_000
            tracer.start_span(f"item {j}", context=ctx, start_time=g).end(end_time=g + 80_000)
        child.end(end_time=c0 + 9 * MS)
    root.end(end_time=base + 1000 * MS)
    return _ids(root)[0]


def _metrics(endpoint: str) -> None:
    resource = Resource.create({"service.name": "shop"})
    reader = PeriodicExportingMetricReader(
        OTLPMetricExporter(endpoint=f"{endpoint}/v1/metrics"), export_interval_millis=3_600_000
    )
    provider = MeterProvider(resource=resource, metric_readers=[reader])
    meter = provider.get_meter("ui-tests")
    orders = meter.create_counter("shop.orders", unit="{order}", description="orders placed")
    latency = meter.create_histogram("shop.checkout.duration", unit="ms")
    for step in range(4):
        for i in range(10 + step * 5):
            orders.add(1, {"payment.method": "card" if i % 3 else "cash"})
            latency.record(5 + (i * 7) % 50, {"http.route": "/checkout"})
        provider.force_flush(10_000)
        time.sleep(0.3)
    provider.shutdown()


def seed(endpoint: str) -> Seeded:
    """Send every test trace, log and metric to the viewer at ``endpoint`` (OTLP/HTTP base)."""
    out = Seeded()
    now = time.time_ns()
    with sender(endpoint) as s:
        for i in range(4):
            out.checkout_ids.append(
                _checkout(s, now - (60 - i * 5) * 1000 * MS, 100 + i, 20 + 10 * i)
            )
        out.error_trace_id = _checkout(s, now - 30 * 1000 * MS, 999, 15, error=True)
        # a log line inside the checkout's "load cart" span
        root = s.tracer("shop").start_span("GET /account", start_time=now - 25 * 1000 * MS)
        child = s.span(
            "shop", "read profile", now - 25 * 1000 * MS + MS, now - 25 * 1000 * MS + 3 * MS, root
        )
        s.logger("shop").emit(
            timestamp=now - 25 * 1000 * MS + 2 * MS,
            context=trace.set_span_in_context(child),
            severity_number=SeverityNumber.INFO,
            severity_text="INFO",
            body="profile loaded for user 7",
            attributes={"user.id": 7},
        )
        root.end(end_time=now - 25 * 1000 * MS + 5 * MS)
        out.log_trace_id, out.log_span_id = _ids(child)
        out.nplus1_trace_id = _nplus1(s, now - 20 * 1000 * MS)
        _critical(s, now - 18 * 1000 * MS, out)
        out.compare_a, out.compare_b = _compare_pair(s, now - 15 * 1000 * MS)
        out.xss_trace_id = _xss(s, now - 10 * 1000 * MS)
        out.big_trace_id = _big(s, now - 8 * 1000 * MS)
        s.flush()
        out.spans = s.sent
    _metrics(endpoint)
    return out
