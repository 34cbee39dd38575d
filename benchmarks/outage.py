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

Latency is judged over interleaved rounds, each in a fresh child process: for every
repetition, every outage scenario and every implementation, a healthy round then an outage
round (A B A C A D A E ..., so a change of the machine's load hits both sides alike).
Per round: p50/p90/p99 of the request latency after a warm-up, and the CPU time of the
request thread (``time.thread_time``) and of the whole process per request. Reported per
implementation and scenario: the median over rounds of each, and the median of the
paired ratios outage p99 / the healthy p99 of the round just before it (the figure the
"within 10 %" goal is judged on).

Then one checked round per scenario: after the outage phase the endpoint turns healthy
and the child flushes: delivery must resume by itself. Reported: peak RSS, spans created
/ received by the backend / lost, the drops otel's self-metrics counted
(``otel.sdk.processor.span.processed`` with ``error.type``), retries seen by the backend
(the same body twice), whether delivery resumed, and the shutdown time.

    .venv/bin/python benchmarks/outage.py [--rounds 6] [--requests 4500] [--rate 1500]
                                          [--only otel] [--scenarios refused,503]
                                          [--base-src DIR]

``--base-src DIR`` adds an implementation ``otel-base``: otel imported from ``DIR`` (for
example ``git archive main src | tar -x -C /tmp/base`` then ``--base-src /tmp/base/src``),
interleaved with the others, to see what a change does to these figures.

Needs ``opentelemetry-proto`` in the parent's venv (the test extra) to count what arrived.
"""

from __future__ import annotations

import argparse
import hashlib
import http.server
import json
import os
import statistics
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
WARMUP_REQUESTS = 500  # not measured
BASE_SRC: dict[str, str] = {}  # "otel-base" -> the directory its otel is imported from


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
        self.server.handle_error = lambda request, address: None  # type: ignore[method-assign]
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


def _exit_now() -> None:
    os._exit(0)


def _child(impl: str, requests: int, rate: float, check: bool) -> None:
    """Runs in the measured interpreter; prints one JSON line per phase (only the first
    unless ``check``: a latency round ends right after its measurement)."""
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
    thread_cpu_ns = process_cpu_ns = 0
    for index in range(requests):
        if index == WARMUP_REQUESTS:  # first calls, imports, the first export: not measured
            thread_cpu_ns, process_cpu_ns = 0, -time.process_time_ns()
            latencies.clear()
        now = time.perf_counter()
        if now < next_at:
            time.sleep(next_at - now)
        next_at += interval
        started, started_cpu = time.perf_counter_ns(), time.thread_time_ns()
        for _chunk in wsgi(dict(environ), lambda status, headers: None):
            pass
        latencies.append(time.perf_counter_ns() - started)
        thread_cpu_ns += time.thread_time_ns() - started_cpu
    process_cpu_ns += time.process_time_ns()
    latencies.sort()
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "phase": "outage",
        "p50_us": latencies[len(latencies) // 2] / 1e3,
        "p90_us": latencies[int(len(latencies) * 0.90)] / 1e3,
        "p99_us": latencies[int(len(latencies) * 0.99)] / 1e3,
        "thread_cpu_us": thread_cpu_ns / len(latencies) / 1e3,
        "process_cpu_us": process_cpu_ns / len(latencies) / 1e3,
        "max_rss_kib": rss_kib,
    }), flush=True)  # fmt: skip
    if not check:
        _exit_now()  # a latency round: what happens next is the checked round's business
    sys.stdin.readline()  # the parent has healed the endpoint
    # delivery resumes by itself: a few spans after recovery, then the normal schedule
    for _ in range(100):
        for _chunk in wsgi(dict(environ), lambda status, headers: None):
            pass
    time.sleep(7)  # > schedule delay + a Retry-After + the export timeout
    flushed = tracer_provider.force_flush(10_000)
    dropped: dict[str, int] = {}
    if impl.startswith("otel"):
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


def _run(impl: str, scenario: str, requests: int, rate: float, check: bool) -> dict[str, Any]:
    backend = Backend(scenario)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(
        OUTAGE_ENDPOINT=f"http://127.0.0.1:{backend.port}",
        OTEL_EXPORTER_OTLP_TIMEOUT=str(EXPORT_TIMEOUT_S * 1000),
        OTEL_BSP_SCHEDULE_DELAY="1000",
        OTEL_BLRP_SCHEDULE_DELAY="1000",
        PYTHONPATH=os.pathsep.join([*BASE_SRC.get(impl, "").split(os.pathsep), str(HERE)]),
    )
    child_impl = "otel" if impl == "otel-base" else impl
    command = [str(INTERPRETERS[impl]), str(Path(__file__).resolve()), "--child", child_impl,
               "--requests", str(requests), "--rate", str(rate)]  # fmt: skip
    if check:
        command.append("--check")
    child = subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    assert child.stdin is not None and child.stdout is not None
    result: dict[str, Any] = {"scenario": scenario, "impl": impl}
    try:
        result.update(json.loads(child.stdout.readline()))
        if not check:
            child.wait(10)
            return result
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
            child.wait()
        backend.close()
    created = requests + 100
    result.update(
        created=created,
        received=backend.spans,
        received_after_recovery=backend.spans - received_during,
        lost=created - backend.spans,
        requests_seen=backend.requests,
        retries_seen=backend.retries,
    )
    return result


def _rounds(
    impls: list[str], outages: list[str], rounds: int, requests: int, rate: float
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Interleaved latency rounds: (impl, scenario) -> one result per round; an outage
    round's ``p99_ratio`` is its p99 over the healthy round run just before it."""
    found: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for number in range(rounds):
        for scenario in outages:
            for impl in impls:
                healthy = _run(impl, "healthy", requests, rate, check=False)
                outage = _run(impl, scenario, requests, rate, check=False)
                outage["p99_ratio"] = outage["p99_us"] / healthy["p99_us"]
                found.setdefault((impl, "healthy"), []).append(healthy)
                found.setdefault((impl, scenario), []).append(outage)
                print(f"round {number + 1}/{rounds} {impl:8} {scenario:9} p99 healthy "
                      f"{healthy['p99_us']:7.0f} µs, outage {outage['p99_us']:7.0f} µs "
                      f"({outage['p99_ratio']:.2f})", file=sys.stderr, flush=True)  # fmt: skip
    return found


def _median(rows: list[dict[str, Any]], key: str) -> float:
    return statistics.median(row[key] for row in rows)


def _print_latency(found: dict[tuple[str, str], list[dict[str, Any]]]) -> None:
    print(f"{'impl':11}{'scenario':10}{'rounds':>7}{'p50 µs':>8}{'p90 µs':>8}{'p99 µs':>8}"
          f"{'p99 ratio':>10}{'(spread)':>14}{'req CPU µs':>11}{'proc CPU µs':>12}")  # fmt: skip
    for (impl, scenario), rows in found.items():
        if scenario == "healthy":
            ratio, spread = "-", ""
        else:
            ratios = sorted(row["p99_ratio"] for row in rows)
            ratio = f"{statistics.median(ratios):.2f}"
            spread = f"{ratios[0]:.2f}-{ratios[-1]:.2f}"
        print(f"{impl:11}{scenario:10}{len(rows):7}{_median(rows, 'p50_us'):8.0f}"
              f"{_median(rows, 'p90_us'):8.0f}{_median(rows, 'p99_us'):8.0f}{ratio:>10}"
              f"{spread:>14}{_median(rows, 'thread_cpu_us'):11.1f}"
              f"{_median(rows, 'process_cpu_us'):12.1f}")  # fmt: skip


def _print_checks(rows: list[dict[str, Any]]) -> None:
    print(f"{'impl':11}{'scenario':10}{'RSS MiB':>8}{'created':>8}{'recv':>7}{'lost':>7}  "
          f"{'counted drops':40}{'retried':>8}{'resumed':>8}{'exit s':>7}")  # fmt: skip
    for row in rows:
        drops = ",".join(f"{k}={v}" for k, v in sorted(row["dropped"].items())) or "-"
        if not row["impl"].startswith("otel"):
            drops = "(not exposed)"
        print(f"{row['impl']:11}{row['scenario']:10}{row['max_rss_kib'] / 1024:8.1f}"
              f"{row['created']:8}{row['received']:7}{row['lost']:7}  {drops:40}"
              f"{row['retries_seen']:8}{'yes' if row['received_after_recovery'] else 'NO':>8}"
              f"{row['shutdown_s']:7.2f}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=6, help="latency rounds per scenario")
    parser.add_argument("--requests", type=int, default=4500, help="per round, with warm-up")
    parser.add_argument("--rate", type=float, default=1500.0, help="requests per second")
    parser.add_argument("--only", choices=sorted(INTERPRETERS))
    parser.add_argument("--scenarios", default=",".join(SCENARIOS[1:]), help="the outages")
    parser.add_argument("--no-checks", action="store_true", help="latency rounds only")
    parser.add_argument("--base-src", help="also run otel imported from this directory")
    parser.add_argument("--child", choices=sorted(INTERPRETERS), help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.requests, args.rate, args.check)
        return 0
    impls = [args.only] if args.only else [i for i, p in INTERPRETERS.items() if p.exists()]
    if args.base_src:
        INTERPRETERS["otel-base"] = INTERPRETERS["otel"]
        BASE_SRC["otel-base"] = str(Path(args.base_src).resolve())
        impls.insert(1, "otel-base")
    outages = [s for s in args.scenarios.split(",") if s and s != "healthy"]
    started = time.monotonic()
    load = os.getloadavg()
    found = _rounds(impls, outages, args.rounds, args.requests, args.rate)
    checks = []
    if not args.no_checks:
        for impl in impls:
            for scenario in ("healthy", *outages):
                checks.append(_run(impl, scenario, args.requests, args.rate, check=True))
                print(json.dumps(checks[-1]), file=sys.stderr, flush=True)
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{time.monotonic() - started:.0f} s, load average {load[0]:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end; {args.requests - WARMUP_REQUESTS} measured "
          f"requests per round at {args.rate:.0f}/s")  # fmt: skip
    _print_latency(found)
    if checks:
        _print_checks(checks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
