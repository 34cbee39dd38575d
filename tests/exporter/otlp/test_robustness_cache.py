"""The encoder's memo of repeated attributes holds small values only: a stream of large,
unique values (stack traces, SQL, URLs) must not pin megabytes between exports."""

from __future__ import annotations

import otlp_testkit as k

from otel.exporter.otlp._proto import _encode_common, _encode_trace
from otel.exporter.otlp._proto._encode_trace import encode_spans


def _largest_memo_entry() -> int:
    sizes = [
        len(encoded)
        for str_cache, int_cache in _encode_common._tagged.values()
        for encoded in (*str_cache.values(), *int_cache.values())
    ]
    return max(sizes, default=0)


def test_large_attribute_values_are_not_memoized() -> None:
    big = "x" * 100_000
    encode_spans(
        [
            k.span(
                attributes={"db.statement": big + "1"},
                events=[k.event(attributes={"exception.stacktrace": big + "2"})],
            )
        ]
    )
    assert _largest_memo_entry() < 1024


def test_large_span_names_are_not_memoized() -> None:
    name = "n" * 100_000
    encode_spans([k.span(name=name)])
    assert name not in _encode_trace._name_cache


def test_small_values_are_still_memoized() -> None:
    encode_spans([k.span(attributes={"http.method": "GET"})])
    assert any(
        ("http.method", "GET") in str_cache for str_cache, _ in _encode_common._tagged.values()
    )
