"""Propagation on the request path: inject into and extract from HTTP headers.

Both implementations use their default global propagator (W3C tracecontext + baggage)
through ``propagate.inject`` / ``propagate.extract``, plus the B3 and Jaeger formats.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from _harness import Case

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
HEADERS = {
    "Host": "example.com",
    "User-Agent": "bench/1.0",
    "Accept": "*/*",
    "Accept-Encoding": "gzip",
    "traceparent": TRACEPARENT,
    "tracestate": "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
    "baggage": "userId=alice,serverNode=DF%2028,isProduction=false",
}


def _api(prefix: str) -> Any:
    if prefix == "otel":
        import otel as api
        from otel import baggage, context, propagate, trace
    else:
        import opentelemetry as api  # type: ignore[no-redef]
        from opentelemetry import baggage, context, propagate, trace  # type: ignore[no-redef]
    del context
    return api, baggage, propagate, trace


def _context(prefix: str) -> Any:
    _, baggage, _, trace = _api(prefix)
    span_context = trace.SpanContext(
        0x4BF92F3577B34DA6A3CE929D0E0E4736, 0x00F067AA0BA902B7, False, trace.TraceFlags(1)
    )
    ctx = trace.set_span_in_context(trace.NonRecordingSpan(span_context))
    return baggage.set_baggage("userId", "alice", ctx)


def _inject(prefix: str, with_baggage: bool) -> Callable[[], object]:
    _, baggage, propagate, _ = _api(prefix)
    ctx = _context(prefix)
    if not with_baggage:
        ctx = baggage.clear(ctx)
    inject = propagate.inject

    def run() -> None:
        inject({}, ctx)

    return run


def _extract(prefix: str, headers: dict[str, str]) -> Callable[[], object]:
    _, _, propagate, _ = _api(prefix)
    extract = propagate.extract

    def run() -> None:
        extract(headers)

    return run


def _extract_and_read(prefix: str, headers: dict[str, str]) -> Callable[[], object]:
    """extract, then read the baggage: otel parses the header on that first read."""
    _, baggage, propagate, _ = _api(prefix)
    extract = propagate.extract
    get_all = baggage.get_all

    def run() -> None:
        get_all(extract(headers))

    return run


# What a browser sends (no trace headers); User-Agent is as long as "tracestate" and
# Referer as "baggage", so a test by header-name length alone cannot dismiss them.
BROWSER_HEADERS = {
    "Host": "example.com",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64)",
    "Accept": "text/html,application/xhtml+xml",
    "Accept-Language": "en-US,en;q=0.5",
    "Accept-Encoding": "gzip, deflate",
    "Referer": "https://example.com/",
    "Connection": "keep-alive",
    "Cookie": "session=abc",
}


def _format(prefix: str, name: str, op: str) -> Callable[[], object]:
    if prefix == "otel":
        from otel.propagators.b3 import B3MultiFormat, B3SingleFormat
        from otel.propagators.jaeger import JaegerPropagator
    else:
        from opentelemetry.propagators.b3 import (  # type: ignore[no-redef]
            B3MultiFormat,
            B3SingleFormat,
        )
        from opentelemetry.propagators.jaeger import JaegerPropagator  # type: ignore[no-redef]
    propagator = {"b3": B3SingleFormat, "b3multi": B3MultiFormat, "jaeger": JaegerPropagator}[
        name
    ]()
    ctx = _context(prefix)
    carrier: dict[str, str] = {}
    propagator.inject(carrier, ctx)
    if op == "inject":

        def run() -> None:
            propagator.inject({}, ctx)

    else:

        def run() -> None:
            propagator.extract(carrier)

    return run


CASES = [
    Case(
        "inject traceparent+baggage (default propagators)",
        lambda: _inject("otel", True),
        lambda: _inject("official", True),
    ),
    Case(
        "inject traceparent only (no baggage)",
        lambda: _inject("otel", False),
        lambda: _inject("official", False),
    ),
    Case(
        "extract traceparent+tracestate+baggage",
        lambda: _extract("otel", HEADERS),
        lambda: _extract("official", HEADERS),
    ),
    Case(
        "extract traceparent+tracestate+baggage, then read the baggage",
        lambda: _extract_and_read("otel", HEADERS),
        lambda: _extract_and_read("official", HEADERS),
    ),
    Case(
        "extract traceparent (lowercase headers)",
        lambda: _extract("otel", {"traceparent": TRACEPARENT}),
        lambda: _extract("official", {"traceparent": TRACEPARENT}),
    ),
    Case(
        "extract with no trace headers",
        lambda: _extract("otel", {"host": "example.com", "accept": "*/*"}),
        lambda: _extract("official", {"host": "example.com", "accept": "*/*"}),
    ),
    Case(
        "extract with no trace headers (a browser's 8 headers)",
        lambda: _extract("otel", BROWSER_HEADERS),
        lambda: _extract("official", BROWSER_HEADERS),
    ),
]
for _name in ("b3", "b3multi", "jaeger"):
    for _op in ("inject", "extract"):
        CASES.append(
            Case(
                f"{_name} {_op}",
                lambda n=_name, o=_op: _format("otel", n, o),  # type: ignore[misc]
                lambda n=_name, o=_op: _format("official", n, o),  # type: ignore[misc]
            )
        )
