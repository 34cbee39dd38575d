"""OTLP encoding: 512 finished spans (4 attributes, 1 event each) to protobuf bytes.

Both sides build real spans with their own SDK, then time only the encoding of the batch to
the bytes that go on the wire: ours is ``otel.exporter.otlp``'s pure-Python encoder, theirs
is ``opentelemetry.exporter.otlp.proto.common.trace_encoder.encode_spans(...)``
followed by ``SerializeToString()``. Issue 5 target: >= 5x the official spans/s.

Run: ``.venv/bin/python benchmarks/_harness.py otlp``. The "spans/s" rows are derived from
the same timing (higher is better); "ns/batch" rows are the raw measurement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from _harness import Case, best_seconds_per_call
from _sample_spans import sample_spans
from bench_trace import import_ms

BATCH = 512
# issue 18.7: the span exporter loads neither the metrics nor the logs SDK
_TRACE_EXPORTER = (
    "otel.exporter.otlp.proto.http.trace_exporter",
    "opentelemetry.exporter.otlp.proto.http.trace_exporter",
)


def _spans(prefix: str) -> Sequence[object]:
    return sample_spans(prefix, BATCH, "bench.otlp")


def _encoder(prefix: str) -> Callable[[], object]:
    spans = _spans(prefix)
    if prefix == "otel":
        from otel.exporter.otlp._proto._encode_trace import encode_spans

        return lambda: encode_spans(spans)
    from opentelemetry.exporter.otlp.proto.common.trace_encoder import (
        encode_spans as official_encode,
    )

    return lambda: official_encode(spans).SerializeToString()


def _spans_per_second(prefix: str) -> float:
    return BATCH / best_seconds_per_call(_encoder(prefix), warmup=5, rounds=7)


CASES = [
    Case(
        "OTLP protobuf: encode 512 spans (4 attrs, 1 event)",
        lambda: _encoder("otel"),
        lambda: _encoder("official"),
        unit="ns/batch",
    ),
    Case(
        "OTLP protobuf: spans/s encoded (higher is better)",
        lambda: _spans_per_second("otel"),
        lambda: _spans_per_second("official"),
        kind="value",
        unit="spans/s",
    ),
    Case(
        "import ...otlp.proto.http.trace_exporter (otel vs opentelemetry)",
        lambda: import_ms("otel", _TRACE_EXPORTER),
        lambda: import_ms("official", _TRACE_EXPORTER),
        kind="value",
        unit="ms",
    ),
]
