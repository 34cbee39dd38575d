"""ExportMetricsServiceRequest encoder (opentelemetry/proto/metrics/v1/metrics.proto).

Reads the SDK's ``MetricsData`` (resource_metrics -> scope_metrics -> metrics -> data) and
writes every point kind: Sum, Gauge, Histogram, ExponentialHistogram (and Summary when a
producer supplies one), with exemplars.
"""

from __future__ import annotations

import math
import struct
from typing import Any

from otel.exporter.otlp._proto._encode_common import (
    encode_attributes,
    encode_scope,
    encode_string,
    field,
    schema_url_of,
)
from otel.exporter.otlp._proto._encode_trace import resource_bytes
from otel.exporter.otlp._proto._wire import (
    int64_in_range,
    pack_double,
    pack_fixed64,
    pack_sfixed64,
    packed_double,
    packed_fixed64,
    packed_varint,
    varint,
    zigzag,
)

_pack_tag_fixed64 = struct.Struct("<BQ").pack


def _enum_int(value: Any) -> int:
    return int(getattr(value, "value", value) or 0)


def _fixed64(tag: int, value: int | None) -> bytes:
    return _pack_tag_fixed64(tag, value or 0) if value else b""


def _number(tag_double: bytes, tag_int: bytes, value: Any) -> bytes:
    if type(value) is int or type(value) is bool:
        if int64_in_range(value):
            return tag_int + pack_sfixed64(value)
        return tag_double + pack_double(float(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return _number(tag_double, tag_int, int(value))
    return tag_double + pack_double(float(value))


def _id(tag: bytes, value: Any, size: int) -> bytes:
    if value is None or value == 0:
        return b""
    if isinstance(value, int):
        return tag + bytes([size]) + value.to_bytes(size, "big")
    data = bytes(value)
    return tag + bytes([len(data)]) + data


def encode_exemplar(exemplar: Any) -> bytes:
    parts = [
        encode_attributes(b"\x3a", getattr(exemplar, "filtered_attributes", None)),
        _fixed64(0x11, exemplar.time_unix_nano),
        _number(b"\x19", b"\x31", exemplar.value),
        _id(b"\x22", getattr(exemplar, "span_id", None), 8),
        _id(b"\x2a", getattr(exemplar, "trace_id", None), 16),
    ]
    return b"".join(parts)


def _exemplars(tag: bytes, exemplars: Any) -> bytes:
    if not exemplars:
        return b""
    return b"".join([field(tag, encode_exemplar(e)) for e in exemplars])


def _flags(tag: bytes, point: Any) -> bytes:
    flags = getattr(point, "flags", 0) or 0
    return tag + varint(int(flags)) if flags else b""


def encode_number_point(point: Any) -> bytes:
    return b"".join(
        [
            encode_attributes(b"\x3a", point.attributes),
            _fixed64(0x11, point.start_time_unix_nano),
            _fixed64(0x19, point.time_unix_nano),
            _number(b"\x21", b"\x31", point.value),
            _exemplars(b"\x2a", getattr(point, "exemplars", None)),
            _flags(b"\x40", point),
        ]
    )


def _optional_double(tag: int, value: Any) -> bytes:
    if value is None:
        return b""
    return _pack_tag_double(tag, float(value))


_pack_tag_double = struct.Struct("<Bd").pack


def encode_histogram_point(point: Any) -> bytes:
    return b"".join(
        [
            encode_attributes(b"\x4a", point.attributes),
            _fixed64(0x11, point.start_time_unix_nano),
            _fixed64(0x19, point.time_unix_nano),
            _fixed64(0x21, point.count),
            _optional_double(0x29, point.sum),
            packed_fixed64(b"\x32", point.bucket_counts or ()),
            packed_double(b"\x3a", point.explicit_bounds or ()),
            _exemplars(b"\x42", getattr(point, "exemplars", None)),
            _flags(b"\x50", point),
            _finite_or_none(0x59, getattr(point, "min", None), point.count),
            _finite_or_none(0x61, getattr(point, "max", None), point.count),
        ]
    )


def _finite_or_none(tag: int, value: Any, count: int) -> bytes:
    # An empty histogram has no min/max; the SDK may hold +-inf placeholders then.
    if value is None or (not count and isinstance(value, float) and math.isinf(value)):
        return b""
    return _pack_tag_double(tag, float(value))


def _buckets(tag: bytes, buckets: Any) -> bytes:
    if buckets is None:
        return b""
    offset = int(getattr(buckets, "offset", 0) or 0)
    body = (b"\x08" + varint(zigzag(offset)) if offset else b"") + packed_varint(
        b"\x12", getattr(buckets, "bucket_counts", ()) or ()
    )
    return field(tag, body)


def encode_exponential_point(point: Any) -> bytes:
    scale = int(point.scale or 0)
    zero_threshold = getattr(point, "zero_threshold", 0.0) or 0.0
    return b"".join(
        [
            encode_attributes(b"\x0a", point.attributes),
            _fixed64(0x11, point.start_time_unix_nano),
            _fixed64(0x19, point.time_unix_nano),
            _fixed64(0x21, point.count),
            _optional_double(0x29, point.sum),
            b"\x30" + varint(zigzag(scale)) if scale else b"",
            _fixed64(0x39, point.zero_count),
            _buckets(b"\x42", point.positive),
            _buckets(b"\x4a", point.negative),
            _flags(b"\x50", point),
            _exemplars(b"\x5a", getattr(point, "exemplars", None)),
            _finite_or_none(0x61, getattr(point, "min", None), point.count),
            _finite_or_none(0x69, getattr(point, "max", None), point.count),
            b"\x71" + pack_double(float(zero_threshold)) if zero_threshold else b"",
        ]
    )


def encode_summary_point(point: Any) -> bytes:
    quantiles = []
    for q in getattr(point, "quantile_values", ()) or ():
        body = b"\x09" + pack_double(float(q.quantile)) + b"\x11" + pack_double(float(q.value))
        quantiles.append(field(b"\x32", body))
    return b"".join(
        [
            encode_attributes(b"\x3a", point.attributes),
            _fixed64(0x11, point.start_time_unix_nano),
            _fixed64(0x19, point.time_unix_nano),
            b"\x21" + pack_fixed64(int(point.count or 0)),
            b"\x29" + pack_double(float(point.sum or 0.0)),
            *quantiles,
            _flags(b"\x40", point),
        ]
    )


def _temporality(tag: bytes, data: Any) -> bytes:
    value = _enum_int(getattr(data, "aggregation_temporality", 0))
    return tag + varint(value) if value else b""


def encode_metric(metric: Any) -> bytes:
    """The body of one ``Metric`` message."""
    parts = [encode_string(b"\x0a", metric.name)]
    if metric.description:
        parts.append(encode_string(b"\x12", metric.description))
    if metric.unit:
        parts.append(encode_string(b"\x1a", metric.unit))
    data = metric.data
    kind = type(data).__name__
    points = data.data_points
    if kind == "Sum":
        body = b"".join([field(b"\x0a", encode_number_point(p)) for p in points])
        body += _temporality(b"\x10", data)
        if getattr(data, "is_monotonic", False):
            body += b"\x18\x01"
        parts.append(field(b"\x3a", body))
    elif kind == "Gauge":
        body = b"".join([field(b"\x0a", encode_number_point(p)) for p in points])
        parts.append(field(b"\x2a", body))
    elif kind == "Histogram":
        body = b"".join([field(b"\x0a", encode_histogram_point(p)) for p in points])
        body += _temporality(b"\x10", data)
        parts.append(field(b"\x4a", body))
    elif kind == "ExponentialHistogram":
        body = b"".join([field(b"\x0a", encode_exponential_point(p)) for p in points])
        body += _temporality(b"\x10", data)
        parts.append(field(b"\x52", body))
    elif kind == "Summary":
        body = b"".join([field(b"\x0a", encode_summary_point(p)) for p in points])
        parts.append(field(b"\x5a", body))
    else:
        raise TypeError(f"unsupported metric data type {kind}")
    return b"".join(parts)


def encode_metrics(metrics_data: Any) -> bytes:
    """A serialized ``ExportMetricsServiceRequest`` for ``MetricsData``."""
    out = []
    for rm in metrics_data.resource_metrics:
        resource = rm.resource
        rbody = [field(b"\x0a", resource_bytes(resource))]
        for sm in rm.scope_metrics:
            sbody = [field(b"\x0a", encode_scope(sm.scope))]
            sbody.extend([field(b"\x12", encode_metric(m)) for m in sm.metrics])
            url = getattr(sm, "schema_url", None) or schema_url_of(sm.scope)
            if url:
                sbody.append(encode_string(b"\x1a", url))
            rbody.append(field(b"\x12", b"".join(sbody)))
        url = getattr(rm, "schema_url", None) or schema_url_of(resource)
        if url:
            rbody.append(encode_string(b"\x1a", url))
        out.append(field(b"\x0a", b"".join(rbody)))
    return b"".join(out)
