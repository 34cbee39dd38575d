"""Our ExportMetricsServiceRequest bytes, decoded by opentelemetry-proto."""

from __future__ import annotations

from typing import Any

import otlp_testkit as k
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
)
from opentelemetry.proto.metrics.v1 import metrics_pb2

from otel.exporter.otlp._proto._encode_metrics import encode_metrics


def decoded() -> ExportMetricsServiceRequest:
    return ExportMetricsServiceRequest.FromString(encode_metrics(k.metrics_data()))


def metric(name: str) -> Any:
    (rm,) = decoded().resource_metrics
    (sm,) = rm.scope_metrics
    return next(m for m in sm.metrics if m.name == name)


def test_resource_scope_and_schema_urls() -> None:
    (rm,) = decoded().resource_metrics
    assert rm.resource.attributes[0].key == "service.name"
    assert rm.schema_url == "https://schema/res"
    (sm,) = rm.scope_metrics
    assert (sm.scope.name, sm.scope.version) == ("lib", "1.2")
    assert sm.schema_url == "https://schema/scope"
    assert [m.name for m in sm.metrics] == [
        "requests",
        "queue.depth",
        "temperature",
        "latency",
        "size",
    ]


def test_monotonic_delta_int_sum() -> None:
    m = metric("requests")
    assert (m.description, m.unit) == ("Requests served", "{request}")
    assert m.WhichOneof("data") == "sum"
    assert m.sum.is_monotonic
    assert m.sum.aggregation_temporality == metrics_pb2.AGGREGATION_TEMPORALITY_DELTA
    (p,) = m.sum.data_points
    assert p.WhichOneof("value") == "as_int"
    assert p.as_int == 42
    assert p.start_time_unix_nano == 1_700_000_000_000_000_000
    assert p.time_unix_nano == 1_700_000_060_000_000_000
    assert p.attributes[0].key == "route"


def test_cumulative_non_monotonic_double_sum() -> None:
    m = metric("queue.depth")
    assert not m.sum.is_monotonic
    assert m.sum.aggregation_temporality == metrics_pb2.AGGREGATION_TEMPORALITY_CUMULATIVE
    (p,) = m.sum.data_points
    assert p.WhichOneof("value") == "as_double"
    assert p.as_double == -3.5


def test_gauge() -> None:
    m = metric("temperature")
    assert m.WhichOneof("data") == "gauge"
    (p,) = m.gauge.data_points
    assert p.as_double == 21.5
    assert p.start_time_unix_nano == 0


def test_int_exemplar_with_trace_and_filtered_attributes() -> None:
    (p,) = metric("requests").sum.data_points
    (ex,) = p.exemplars
    assert ex.as_int == 7
    assert ex.time_unix_nano == 1_700_000_060_000_000_000 - 5
    assert ex.span_id == k.SPAN_ID.to_bytes(8, "big")
    assert ex.trace_id == k.TRACE_ID.to_bytes(16, "big")
    assert ex.filtered_attributes[0].value.string_value == "u1"


def test_histogram_point() -> None:
    m = metric("latency")
    assert m.histogram.aggregation_temporality == metrics_pb2.AGGREGATION_TEMPORALITY_CUMULATIVE
    (p,) = m.histogram.data_points
    assert p.count == 6
    assert p.sum == 123.5
    assert list(p.bucket_counts) == [1, 2, 0, 3]
    assert list(p.explicit_bounds) == [10.0, 50.0, 100.0]
    assert (p.min, p.max) == (0.5, 250.0)
    (ex,) = p.exemplars
    assert ex.as_double == 0.125
    assert ex.span_id == b""


def test_exponential_histogram_point() -> None:
    m = metric("size")
    eh = m.exponential_histogram
    assert eh.aggregation_temporality == metrics_pb2.AGGREGATION_TEMPORALITY_DELTA
    (p,) = eh.data_points
    assert (p.count, p.sum, p.scale, p.zero_count) == (9, -12.0, -2, 1)
    assert p.positive.offset == -3
    assert list(p.positive.bucket_counts) == [1, 0, 2]
    assert p.negative.offset == 4
    assert list(p.negative.bucket_counts) == [5]
    assert (p.min, p.max) == (-40.0, 9.0)
    assert p.zero_threshold == 0.001
    assert p.exemplars[0].as_int == 7
    assert p.attributes[0].value.string_value == "upload"


def test_empty_histogram_omits_infinite_min_and_max() -> None:
    from otel.sdk.metrics.export import (
        AggregationTemporality,
        Histogram,
        HistogramDataPoint,
        Metric,
        MetricsData,
        ResourceMetrics,
        ScopeMetrics,
    )

    point = HistogramDataPoint({}, 1, 2, 0, 0, [0, 0], [1.0], float("inf"), float("-inf"))
    data = MetricsData(
        [
            ResourceMetrics(
                k.RESOURCE,
                [
                    ScopeMetrics(
                        k.SCOPE,
                        [
                            Metric(
                                "h",
                                None,
                                None,
                                Histogram([point], AggregationTemporality.DELTA),
                            )
                        ],
                    )
                ],
            )
        ]
    )
    request = ExportMetricsServiceRequest.FromString(encode_metrics(data))
    p = request.resource_metrics[0].scope_metrics[0].metrics[0].histogram.data_points[0]
    assert not p.HasField("min")
    assert not p.HasField("max")
    assert p.HasField("sum")
