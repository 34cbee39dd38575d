"""Backend outage benchmark (issue 14 item 2): what an OTLP backend's failure costs the app.

An instrumented WSGI app (otel's ``OpenTelemetryMiddleware``; for the official SDK a
middleware of the same shape written here, since the official WSGI instrumentation is not
in ``benchmarks/.venv-official``) serves a paced, bounded request loop; each request ends
one SERVER span, emits one log record and adds to one counter. The OTLP/HTTP endpoint
(run by this parent process, never in the measured one) is, per scenario:

  healthy     200 to everything (the baseline)
  refused     nothing listening (connection refused)
  blackhole   accepts and never answers
  503         503 with ``Retry-After: 1``
  400         400 (a permanent error: must not be retried)

After the outage phase the endpoint turns healthy and the child flushes: delivery must
resume by itself. Reported per implementation and scenario: request latency p50/p99 (and
p99 / healthy p99), peak RSS, spans created / received by the backend / lost, the drops
otel's self-metrics counted (``otel.sdk.processor.span.processed`` with ``error.type``),
retries seen by the backend (the same body twice), and whether delivery resumed.

    .venv/bin/python benchmarks/outage.py [--requests 6000] [--rate 1500] [--only otel]

Needs ``opentelemetry-proto`` in the parent's venv (the test extra) to count what arrived.
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
INTERPRETERS = {
    "otel": HERE.parent / ".venv" / "bin" / "python",
    "official": HERE / ".venv-official" / "bin" / "python",
}
SCENARIOS = ("healthy", "refused", "blackhole", "503", "400")
EXPORT_TIMEOUT_S = 2  # OTEL_EXPORTER_OTLP_TIMEOUT for both implementations


# --------------------------------------------------------------------------- the backend


class Backend:
    """The OTLP/HTTP endpoint: one port, its behaviour switched by the parent."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.healed = threading.Event()
        self.lock = threading.Lock()
        self.spans = 0
        self.requests = 0
        self.retries = 0
        self.serving = False
        self.bodies: set[str] = set()
        backend = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if backend.mode == "blackhole" and not backend.healed.is_set():
                    backend.healed.wait(120)  # never answers while the outage lasts
                    self.close_connection = True
                    return
                status, headers = backend.answer(self.path, body, self.headers)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), Handler, bind_and_activate=False
        )
        self.server.daemon_threads = True
        self.server.server_bind()
        self.port = self.server.server_address[1]
        if mode != "refused":  # a bound socket that does not listen refuses connections
            self._serve()

    def _serve(self) -> None:
        self.server.server_activate()
        self.serving = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path: str, body: bytes, headers: Any) -> tuple[int, dict[str, str]]:
        mode = "healthy" if self.healed.is_set() else self.mode
        with self.lock:
            self.requests += 1
            digest = hashlib.sha1(body).hexdigest()
            if digest in self.bodies:  # the same batch again: a retry
                self.retries += 1
            self.bodies.add(digest)
        if mode == "503":
            return 503, {"Retry-After": "1"}
        if mode == "400":
            return 400, {}
        if path == "/v1/traces":
            count = _count_spans(body, headers.get("Content-Encoding", ""))
            with self.lock:
                self.spans += count
        return 200, {}

    def heal(self) -> None:
        self.healed.set()
        if self.mode == "refused":
            self._serve()

    def close(self) -> None:
        self.healed.set()
        if self.serving:
            self.server.shutdown()
        self.server.server_close()


def _count_spans(body: bytes, encoding: str) -> int:
    from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

    if encoding == "gzip":
        import gzip

        body = gzip.decompress(body)
    request = trace_service_pb2.ExportTraceServiceRequest.FromString(body)
    return sum(len(ss.spans) for rs in request.resource_spans for ss in rs.scope_spans)


# --------------------------------------------------------------------------- the app


def _child(impl: str, requests: int, rate: float) -> None:
    """Runs in the measured interpreter; prints one JSON line per phase."""
    import logging
    import resource
    import wsgiref.util

    if impl == "otel":
        from otel import _logs, metrics, trace
        from otel.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
        from otel.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
        from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from otel.instrumentation.wsgi import OpenTelemetryMiddleware
        from otel.sdk._logs import LoggerProvider, LoggingHandler
        from otel.sdk._logs.export import BatchLogRecordProcessor
        from otel.sdk.metrics import MeterProvider
        from otel.sdk.metrics.export import PeriodicExportingMetricReader
        from otel.sdk.trace import TracerProvider
        from otel.sdk.trace.export import BatchSpanProcessor
    else:
        from opentelemetry import _logs, metrics, trace  # type: ignore[no-redef]
        from opentelemetry.exporter.otlp.proto.http._log_exporter import (  # type: ignore[no-redef]
            OTLPLogExporter,
        )
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import (  # type: ignore[no-redef]
            OTLPMetricExporter,
        )
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import (  # type: ignore[no-redef]
            OTLPSpanExporter,
        )
        from opentelemetry.sdk._logs import (  # type: ignore[no-redef]
            LoggerProvider,
            LoggingHandler,
        )
        from opentelemetry.sdk._logs.export import (  # type: ignore[no-redef]
            BatchLogRecordProcessor,
        )
        from opentelemetry.sdk.metrics import MeterProvider  # type: ignore[no-redef]
        from opentelemetry.sdk.metrics.export import (  # type: ignore[no-redef]
            PeriodicExportingMetricReader,
        )
        from opentelemetry.sdk.trace import TracerProvider  # type: ignore[no-redef]
        from opentelemetry.sdk.trace.export import BatchSpanProcessor  # type: ignore[no-redef]

        class OpenTelemetryMiddleware:  # type: ignore[no-redef]
            """A SERVER span per request, like otel's middleware (official has none here)."""

            def __init__(self, app: Any) -> None:
                self.app = app
                self.tracer = trace.get_tracer("wsgi")

            def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
                with self.tracer.start_as_current_span(
                    f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}",
                    kind=trace.SpanKind.SERVER,
                    attributes={"http.request.method": environ["REQUEST_METHOD"],
                                "url.path": environ["PATH_INFO"]},
                ) as span:  # fmt: skip
                    result = list(self.app(environ, start_response))
                    span.set_attribute("http.response.status_code", 200)
                    return result

    base = os.environ["OUTAGE_ENDPOINT"]
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(
        BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{base}/v1/traces"))
    )
    trace.set_tracer_provider(tracer_provider)
    meter_provider = MeterProvider(
        metric_readers=[
            PeriodicExportingMetricReader(
                OTLPMetricExporter(endpoint=f"{base}/v1/metrics"), export_interval_millis=1000
            )
        ]
    )
    metrics.set_meter_provider(meter_provider)
    logger_provider = LoggerProvider()
    logger_provider.add_log_record_processor(
        BatchLogRecordProcessor(OTLPLogExporter(endpoint=f"{base}/v1/logs"))
    )
    _logs.set_logger_provider(logger_provider)
    log = logging.getLogger("app")
    log.propagate = False
    log.addHandler(LoggingHandler(logger_provider=logger_provider))
    counter = metrics.get_meter("app").create_counter("app.requests")

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        total = 0
        for i in range(300):  # ~20-40 µs of "work"
            total += i * i
        counter.add(1, {"route": "/work"})
        log.warning("served %d", total)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    wsgi = OpenTelemetryMiddleware(app)
    environ: dict[str, Any] = {"PATH_INFO": "/work", "REQUEST_METHOD": "GET"}
    wsgiref.util.setup_testing_defaults(environ)
    latencies = []
    interval = 1.0 / rate
    next_at = time.perf_counter()
    for _ in range(requests):
        now = time.perf_counter()
        if now < next_at:
            time.sleep(next_at - now)
        next_at += interval
        started = time.perf_counter_ns()
        for _chunk in wsgi(dict(environ), lambda status, headers: None):
            pass
        latencies.append(time.perf_counter_ns() - started)
    latencies.sort()
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "phase": "outage",
        "p50_us": latencies[len(latencies) // 2] / 1e3,
        "p90_us": latencies[int(len(latencies) * 0.90)] / 1e3,
        "p99_us": latencies[int(len(latencies) * 0.99)] / 1e3,
        "max_rss_kib": rss_kib,
    }), flush=True)  # fmt: skip
    sys.stdin.readline()  # the parent has healed the endpoint
    # delivery resumes by itself: a few spans after recovery, then the normal schedule
    for _ in range(100):
        for _chunk in wsgi(dict(environ), lambda status, headers: None):
            pass
    time.sleep(7)  # > schedule delay + a Retry-After + the export timeout
    flushed = tracer_provider.force_flush(10_000)
    dropped: dict[str, int] = {}
    if impl == "otel":
        from otel.sdk import self_metrics

        for attrs, value in self_metrics.read().get("otel.sdk.processor.span.processed", []):
            reason = attrs.get("error.type")
            if reason:
                dropped[reason] = dropped.get(reason, 0) + value
    print(json.dumps({"phase": "end", "flushed": flushed, "dropped": dropped}), flush=True)
    started = time.monotonic()
    tracer_provider.shutdown()
    meter_provider.shutdown()
    logger_provider.shutdown()
    print(json.dumps({"phase": "exit", "shutdown_s": time.monotonic() - started}), flush=True)


# --------------------------------------------------------------------------- the parent


def _run(impl: str, scenario: str, requests: int, rate: float) -> dict[str, Any]:
    backend = Backend(scenario)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(
        OUTAGE_ENDPOINT=f"http://127.0.0.1:{backend.port}",
        OTEL_EXPORTER_OTLP_TIMEOUT=str(EXPORT_TIMEOUT_S * 1000),
        OTEL_BSP_SCHEDULE_DELAY="1000",
        OTEL_BLRP_SCHEDULE_DELAY="1000",
        PYTHONPATH=str(HERE),
    )
    child = subprocess.Popen(
        [str(INTERPRETERS[impl]), str(Path(__file__).resolve()), "--child", impl,
         "--requests", str(requests), "--rate", str(rate)],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    assert child.stdin is not None and child.stdout is not None
    try:
        result: dict[str, Any] = json.loads(child.stdout.readline())
        with backend.lock:
            received_during = backend.spans
        backend.heal()
        child.stdin.write("healed\n")
        child.stdin.flush()
        result.update(json.loads(child.stdout.readline()))
        result.update(json.loads(child.stdout.readline()))
        child.wait(60)
    finally:
        if child.poll() is None:
            child.kill()
        backend.close()
    created = requests + 100
    result.update(
        scenario=scenario,
        impl=impl,
        created=created,
        received=backend.spans,
        received_after_recovery=backend.spans - received_during,
        lost=created - backend.spans,
        requests_seen=backend.requests,
        retries_seen=backend.retries,
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=6000)
    parser.add_argument("--rate", type=float, default=1500.0, help="requests per second")
    parser.add_argument("--only", choices=sorted(INTERPRETERS))
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--child", choices=sorted(INTERPRETERS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.requests, args.rate)
        return 0
    impls = [args.only] if args.only else [i for i, p in INTERPRETERS.items() if p.exists()]
    rows = []
    for impl in impls:
        for scenario in args.scenarios.split(","):
            rows.append(_run(impl, scenario, args.requests, args.rate))
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    header = (f"{'impl':9}{'scenario':10}{'p50 µs':>8}{'p90 µs':>8}{'p99 µs':>8}{'p99/base':>9}"
              f"{'RSS MiB':>8}{'created':>8}{'recv':>7}{'lost':>7}  {'counted drops':22}"
              f"{'retried':>8}{'resumed':>8}{'exit s':>7}")  # fmt: skip
    print(header)
    for row in rows:
        base = next(r for r in rows if r["impl"] == row["impl"] and r["scenario"] == "healthy")
        drops = ",".join(f"{k}={v}" for k, v in sorted(row["dropped"].items())) or "-"
        if row["impl"] != "otel":
            drops = "(not exposed)"
        print(f"{row['impl']:9}{row['scenario']:10}{row['p50_us']:8.0f}{row['p90_us']:8.0f}"
            f"{row['p99_us']:8.0f}"
              f"{row['p99_us'] / base['p99_us']:9.2f}{row['max_rss_kib'] / 1024:8.1f}"
              f"{row['created']:8}{row['received']:7}{row['lost']:7}  {drops:22}"
              f"{row['retries_seen']:8}{'yes' if row['received_after_recovery'] else 'NO':>8}"
              f"{row['shutdown_s']:7.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
