"""Stand-ins with the data-model contract's attribute names, for encoder tests.

They let the encoders be tested without the SDK; the end-to-end tests use the real SDK.
"""

from __future__ import annotations

import enum
from types import SimpleNamespace
from typing import Any

TRACE_ID = 0x0AF7651916CD43DD8448EB211C80319C
SPAN_ID = 0xB7AD6B7169203331
PARENT_ID = 0x00F067AA0BA902B7

# ExportCores a transport test opened; the ``fast_backoff`` fixture shuts them down after it.
OPEN_CORES: list[Any] = []


class SpanKind(enum.Enum):
    INTERNAL = 0
    SERVER = 1
    CLIENT = 2
    PRODUCER = 3
    CONSUMER = 4


class StatusCode(enum.Enum):
    UNSET = 0
    OK = 1
    ERROR = 2


class TraceState(dict[str, str]):
    def to_header(self) -> str:
        return ",".join(f"{k}={v}" for k, v in self.items())


def scope(name: str = "lib", version: str | None = "1.2", **kw: Any) -> SimpleNamespace:
    return SimpleNamespace(
        name=name,
        version=version,
        schema_url=kw.get("schema_url"),
        attributes=kw.get("attributes", {}),
    )


def resource(attributes: dict[str, Any] | None = None, schema_url: str = "") -> SimpleNamespace:
    return SimpleNamespace(
        attributes=attributes if attributes is not None else {"service.name": "svc"},
        schema_url=schema_url,
    )


def context(
    trace_id: int = TRACE_ID,
    span_id: int = SPAN_ID,
    is_remote: bool = False,
    trace_flags: int = 1,
    trace_state: TraceState | None = None,
) -> SimpleNamespace:
    return SimpleNamespace(
        trace_id=trace_id,
        span_id=span_id,
        is_remote=is_remote,
        trace_flags=trace_flags,
        trace_state=trace_state if trace_state is not None else TraceState(),
        is_valid=True,
    )


def event(name: str = "ev", timestamp: int = 1_700_000_000_500_000_000, **kw: Any) -> Any:
    return SimpleNamespace(
        name=name,
        timestamp=timestamp,
        attributes=kw.get("attributes", {}),
        dropped_attributes=kw.get("dropped_attributes", 0),
    )


def link(ctx: Any = None, **kw: Any) -> Any:
    return SimpleNamespace(
        context=ctx if ctx is not None else context(span_id=0x1111, is_remote=True),
        attributes=kw.get("attributes", {}),
        dropped_attributes=kw.get("dropped_attributes", 0),
    )


def status(code: StatusCode = StatusCode.UNSET, description: str | None = None) -> Any:
    return SimpleNamespace(status_code=code, description=description)


def span(**kw: Any) -> Any:
    values: dict[str, Any] = {
        "name": "op",
        "context": context(),
        "parent": None,
        "kind": SpanKind.INTERNAL,
        "start_time": 1_700_000_000_000_000_000,
        "end_time": 1_700_000_001_000_000_000,
        "attributes": {},
        "events": (),
        "links": (),
        "status": status(),
        "resource": RESOURCE,
        "instrumentation_scope": SCOPE,
        "dropped_attributes": 0,
        "dropped_events": 0,
        "dropped_links": 0,
    }
    values.update(kw)
    return SimpleNamespace(**values)


def full_span() -> Any:
    return span(
        name="GET /users/{id}",
        context=context(trace_state=TraceState(vendor="abc", other="1")),
        parent=context(span_id=PARENT_ID, is_remote=True),
        kind=SpanKind.SERVER,
        attributes={"http.method": "GET", "http.status_code": 200, "ok": True, "r": 0.25},
        events=[event("exception", attributes={"exception.type": "ValueError"})],
        links=[link(attributes={"linkind": "batch"}, dropped_attributes=2)],
        status=status(StatusCode.ERROR, "boom"),
        dropped_attributes=1,
        dropped_events=2,
        dropped_links=3,
    )


RESOURCE = resource()
SCOPE = scope()


def metrics_data() -> Any:
    """A MetricsData (the SDK's real classes) with every point kind and exemplars."""
    from otel.sdk.metrics.export import (
        AggregationTemporality,
        Buckets,
        Exemplar,
        ExponentialHistogram,
        ExponentialHistogramDataPoint,
        Gauge,
        Histogram,
        HistogramDataPoint,
        Metric,
        MetricsData,
        NumberDataPoint,
        ResourceMetrics,
        ScopeMetrics,
        Sum,
    )

    t0, t1 = 1_700_000_000_000_000_000, 1_700_000_060_000_000_000
    ex_int = Exemplar({"user": "u1"}, 7, t1 - 5, SPAN_ID, TRACE_ID)
    ex_float = Exemplar(None, 0.125, t1 - 3)
    counter = Metric(
        "requests",
        "Requests served",
        "{request}",
        Sum(
            [NumberDataPoint({"route": "/a"}, t0, t1, 42, [ex_int])],
            AggregationTemporality.DELTA,
            True,
        ),
    )
    updown = Metric(
        "queue.depth",
        "",
        "",
        Sum([NumberDataPoint({}, t0, t1, -3.5)], AggregationTemporality.CUMULATIVE, False),
    )
    gauge = Metric(
        "temperature",
        "Room temperature",
        "Cel",
        Gauge([NumberDataPoint({"room": "k"}, 0, t1, 21.5)]),
    )
    histogram = Metric(
        "latency",
        "Request latency",
        "ms",
        Histogram(
            [
                HistogramDataPoint(
                    {"route": "/a"},
                    t0,
                    t1,
                    6,
                    123.5,
                    [1, 2, 0, 3],
                    [10.0, 50.0, 100.0],
                    0.5,
                    250.0,
                    [ex_float],
                )
            ],
            AggregationTemporality.CUMULATIVE,
        ),
    )
    exponential = Metric(
        "size",
        "Payload size",
        "By",
        ExponentialHistogram(
            [
                ExponentialHistogramDataPoint(
                    {"kind": "upload"},
                    t0,
                    t1,
                    count=9,
                    sum=-12.0,
                    scale=-2,
                    zero_count=1,
                    positive=Buckets(offset=-3, bucket_counts=[1, 0, 2]),
                    negative=Buckets(offset=4, bucket_counts=[5]),
                    flags=0,
                    min=-40.0,
                    max=9.0,
                    exemplars=[ex_int],
                    zero_threshold=0.001,
                )
            ],
            AggregationTemporality.DELTA,
        ),
    )
    scope_metrics = ScopeMetrics(
        SCOPE, [counter, updown, gauge, histogram, exponential], "https://schema/scope"
    )
    return MetricsData([ResourceMetrics(RESOURCE, [scope_metrics], "https://schema/res")])


def log_record(**kw: Any) -> Any:
    values: dict[str, Any] = {
        "timestamp": 1_700_000_000_000_000_001,
        "observed_timestamp": 1_700_000_000_000_000_002,
        "trace_id": TRACE_ID,
        "span_id": SPAN_ID,
        "trace_flags": 1,
        "severity_text": "WARN",
        "severity_number": 13,
        "body": "disk almost full",
        "resource": RESOURCE,
        "attributes": {"disk": "/dev/sda", "free.pct": 3.5},
        "dropped_attributes": 2,
        "event_name": "disk.warning",
    }
    values.update(kw)
    return SimpleNamespace(**values)


def log_data(record: Any = None, instrumentation_scope: Any = None) -> Any:
    return SimpleNamespace(
        log_record=record if record is not None else log_record(),
        instrumentation_scope=instrumentation_scope if instrumentation_scope else SCOPE,
    )
