"""A W3C Trace Context validation service built on otel's propagator (not a pytest module).

The official W3C test harness (w3c/trace-context, ``test/test.py``, needs aiohttp)
POSTs instructions to a service; the service must call the given URLs back carrying
the propagated ``traceparent``/``tracestate``. Run::

    .venv/bin/python tests/trace/propagation/w3c_test_service.py 5000 &
    SPEC_LEVEL=2 STRICT_LEVEL=2 python test/test.py http://127.0.0.1:5000/test

Each callback is a new client span: it continues the incoming trace with a new span id
(or starts a new trace with the random flag set, when nothing valid came in).
"""

from __future__ import annotations

import json
import random
import sys
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from otel.context import Context
from otel.trace import (
    NonRecordingSpan,
    SpanContext,
    TraceFlags,
    get_current_span,
    set_span_in_context,
)
from otel.trace.propagation.tracecontext import TraceContextTextMapPropagator

PROPAGATOR = TraceContextTextMapPropagator()


def child_context(incoming: Context) -> Context:
    parent = get_current_span(incoming).get_span_context()
    if parent.is_valid:
        span_context = SpanContext(
            parent.trace_id,
            random.getrandbits(64) or 1,
            False,
            parent.trace_flags,
            parent.trace_state,
        )
    else:
        span_context = SpanContext(
            random.getrandbits(128) or 1, random.getrandbits(64) or 1, False, TraceFlags(0x02)
        )
    return set_span_in_context(NonRecordingSpan(span_context), Context())


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        headers: dict[str, list[str]] = {}
        for name, value in self.headers.items():  # repeated headers stay separate
            headers.setdefault(name, []).append(value)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        incoming = PROPAGATOR.extract(headers)
        for call in json.loads(body or b"[]"):
            out: dict[str, str] = {"Content-Type": "application/json"}
            PROPAGATOR.inject(out, child_context(incoming))  # one client span per call
            request = urllib.request.Request(
                call["url"], data=json.dumps(call["arguments"]).encode(), headers=out
            )
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    response.read()
            except OSError as error:
                print("callback failed:", error, file=sys.stderr)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
