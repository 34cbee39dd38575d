"""What the HTTP instrumentations add to each request, otel vs the official contrib packages.

Both sides run the same Flask app and the same ``requests`` call in one process, with
their SDK configured the same way (a TracerProvider whose BatchSpanProcessor feeds an
exporter that drops everything, a MeterProvider with an in-memory reader). Each case
times the uninstrumented and the instrumented call alternately and reports the
difference: the nanoseconds the instrumentation adds per request (lower is better;
goal otel/official <= 0.2). CPU time (``process_time``) and best-of-N keep the figure
steady on a busy machine.

- Flask: the WSGI app called directly with a prepared environ (a traceparent header,
  as a request from another traced service has), the body read and closed.
- requests: ``Session.get`` (``trust_env`` off) through a transport adapter that
  answers at once (no socket), so the figure is the instrumentation's own cost; the
  instrumentation is switched on and off between timed rounds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from _harness import Case

# the official contrib instrumentations pin SDK 1.45.1: they live in their own venv
OFFICIAL_VENV = ".venv-official-contrib"

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def _sdk(prefix: str) -> None:
    """Global tracer and meter providers, the same configuration on both sides."""
    if prefix == "otel":
        from otel import metrics, trace
        from otel.sdk.metrics import MeterProvider
        from otel.sdk.metrics.export import InMemoryMetricReader
        from otel.sdk.trace import TracerProvider
        from otel.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
    else:
        from opentelemetry import metrics, trace  # type: ignore[no-redef]
        from opentelemetry.sdk.metrics import MeterProvider  # type: ignore[no-redef]
        from opentelemetry.sdk.metrics.export import (  # type: ignore[no-redef]
            InMemoryMetricReader,
        )
        from opentelemetry.sdk.trace import TracerProvider  # type: ignore[no-redef]
        from opentelemetry.sdk.trace.export import (  # type: ignore[no-redef]
            BatchSpanProcessor,
            SpanExporter,
            SpanExportResult,
        )

    class Drop(SpanExporter):  # type: ignore[misc, valid-type]
        def export(self, spans: Any) -> Any:
            return SpanExportResult.SUCCESS

        def shutdown(self) -> None:
            pass

    provider = TracerProvider()
    provider.add_span_processor(BatchSpanProcessor(Drop()))
    trace.set_tracer_provider(provider)
    metrics.set_meter_provider(MeterProvider(metric_readers=[InMemoryMetricReader()]))


def _added_ns(plain: Callable[[], object], instrumented: Callable[[], object]) -> float:
    """Best-of CPU ns per call of ``instrumented`` minus that of ``plain``."""
    clock = time.process_time_ns
    number = 2000
    best_plain = best_instr = float("inf")
    for _ in range(15):
        for fn, is_plain in ((plain, True), (instrumented, False)):
            start = clock()
            for _ in range(number):
                fn()
            per_call = (clock() - start) / number
            if is_plain:
                best_plain = min(best_plain, per_call)
            else:
                best_instr = min(best_instr, per_call)
    return max(best_instr - best_plain, 0.0)


def _flask(prefix: str) -> float:
    import flask
    from werkzeug.test import EnvironBuilder

    _sdk(prefix)
    if prefix == "otel":
        from otel.instrumentation.flask import FlaskInstrumentor
    else:
        from opentelemetry.instrumentation.flask import (  # type: ignore[no-redef]
            FlaskInstrumentor,
        )

    def make() -> Any:
        app = flask.Flask("bench")

        @app.route("/users/<id>")
        def user(id: str) -> str:
            return "user " + id

        return app

    plain_app, instrumented_app = make(), make()
    FlaskInstrumentor().instrument_app(instrumented_app)
    environ = EnvironBuilder(
        path="/users/42", headers={"traceparent": TRACEPARENT, "User-Agent": "bench"}
    ).get_environ()

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
        return None

    def call(app: Any) -> Callable[[], object]:
        wsgi = app

        def run() -> None:
            body = wsgi(dict(environ), start_response)
            for _ in body:
                pass
            body.close()

        return run

    return _added_ns(call(plain_app), call(instrumented_app))


def _requests(prefix: str) -> float:
    import requests
    from requests.adapters import BaseAdapter

    _sdk(prefix)
    if prefix == "otel":
        from otel.instrumentation.requests import RequestsInstrumentor
    else:
        from opentelemetry.instrumentation.requests import (  # type: ignore[no-redef]
            RequestsInstrumentor,
        )

    class Raw:
        version = 11

    class Answer(BaseAdapter):  # type: ignore[misc]
        def send(self, request: Any, **kwargs: Any) -> Any:
            response = requests.Response()
            response.status_code = 200
            response._content = b"ok"
            response.headers["Content-Type"] = "text/plain"
            response.raw = Raw()
            response.request = request
            response.url = request.url
            return response

        def close(self) -> None:
            pass

    session = requests.Session()
    session.trust_env = False  # no proxy/netrc lookups: less of requests' own cost and noise
    session.mount("http://bench.local/", Answer())
    url = "http://bench.local/users/42"

    def run() -> None:
        session.get(url)

    instrumentor = RequestsInstrumentor()
    clock = time.process_time_ns
    number = 1000
    best_plain = best_instr = float("inf")
    for _ in range(15):  # alternate, so both see the same machine load
        for instrumented in (False, True):
            if instrumented:
                instrumentor.instrument()
            start = clock()
            for _ in range(number):
                run()
            per_call = (clock() - start) / number
            if instrumented:
                instrumentor.uninstrument()
                best_instr = min(best_instr, per_call)
            else:
                best_plain = min(best_plain, per_call)
    return max(best_instr - best_plain, 0.0)


CASES = [
    Case(
        "Flask request: ns added by the instrumentation",
        lambda: _flask("otel"),
        lambda: _flask("official"),
        kind="value",
        unit="ns/req",
    ),
    Case(
        "requests.get: ns added by the instrumentation",
        lambda: _requests("otel"),
        lambda: _requests("official"),
        kind="value",
        unit="ns/req",
    ),
]
