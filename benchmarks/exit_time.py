"""Exit time with a hanging backend, otel and the official SDK side by side (issue 14 item 4).

    .venv/bin/python benchmarks/exit_time.py

A child process (each implementation's interpreter) sets up traces, metrics and logs with
OTLP/HTTP exporters (``OTEL_EXPORTER_OTLP_TIMEOUT=1000``, long schedule delays so that
everything is still queued), records one span, one counter increment and one log record,
and leaves by the given path (``end``: atexit; ``sys.exit``; ``exception``). The endpoint
(``outage.Backend``, in this parent process) answers 200 (``healthy``) or accepts and never
answers (``blackhole``). Reported: seconds from "ready" to process exit, and how many spans
the backend received.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from outage import INTERPRETERS, Backend  # noqa: E402

CHILD = """
import logging, sys
impl, path, base = sys.argv[1], sys.argv[2], sys.argv[3]
if impl == "otel":
    from otel import _logs, metrics, trace
    from otel.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from otel.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from otel.sdk._logs import LoggerProvider, LoggingHandler
    from otel.sdk._logs.export import BatchLogRecordProcessor
    from otel.sdk.metrics import MeterProvider
    from otel.sdk.metrics.export import PeriodicExportingMetricReader
    from otel.sdk.trace import TracerProvider
    from otel.sdk.trace.export import BatchSpanProcessor
else:
    from opentelemetry import _logs, metrics, trace
    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
    from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
tp = TracerProvider()
tp.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=base + "/v1/traces")))
trace.set_tracer_provider(tp)
metrics.set_meter_provider(MeterProvider(metric_readers=[PeriodicExportingMetricReader(
    OTLPMetricExporter(endpoint=base + "/v1/metrics"), export_interval_millis=60000)]))
lp = LoggerProvider()
lp.add_log_record_processor(BatchLogRecordProcessor(OTLPLogExporter(endpoint=base + "/v1/logs")))
_logs.set_logger_provider(lp)
log = logging.getLogger("exit")
log.addHandler(LoggingHandler(logger_provider=lp))
trace.get_tracer("exit").start_span("pending").end()
metrics.get_meter("exit").create_counter("pending").add(1)
log.warning("pending")
print("ready", flush=True)
if path == "sys.exit":
    sys.exit(0)
if path == "exception":
    raise RuntimeError("the application failed")
"""


def measure(impl: str, scenario: str, path: str) -> tuple[float, int]:
    backend = Backend(scenario)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(OTEL_EXPORTER_OTLP_TIMEOUT="1000", OTEL_BSP_SCHEDULE_DELAY="60000",
               OTEL_BLRP_SCHEDULE_DELAY="60000")  # fmt: skip
    child = subprocess.Popen(
        [str(INTERPRETERS[impl]), "-c", CHILD, impl, path, f"http://127.0.0.1:{backend.port}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        child.stdout.readline()
        started = time.monotonic()
        try:
            child.wait(120)
        except subprocess.TimeoutExpired:
            child.kill()
        return time.monotonic() - started, backend.spans
    finally:
        backend.close()


def main() -> int:
    rows = []
    for impl in [i for i, p in INTERPRETERS.items() if p.exists()]:
        for scenario in ("healthy", "blackhole"):
            for path in ("end", "sys.exit", "exception"):
                seconds, spans = measure(impl, scenario, path)
                rows.append({"impl": impl, "backend": scenario, "path": path,
                             "exit_s": round(seconds, 2), "spans_received": spans})  # fmt: skip
                print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    print(f"{'impl':9}{'backend':11}{'path':10}{'exit s':>8}{'spans recv':>11}")
    for row in rows:
        print(f"{row['impl']:9}{row['backend']:11}{row['path']:10}{row['exit_s']:8.2f}"
              f"{row['spans_received']:11}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
