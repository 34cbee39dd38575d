"""Console exporters: quiet when there is nothing to say, and quiet when the reader leaves."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import ConsoleMetricExporter, InMemoryMetricReader, MetricsData

# Every console exporter writes a lot; the reader of stdout goes away after one line.
_CHATTY = """
import logging
from otel.sdk._logs import LoggerProvider, LoggingHandler
from otel.sdk._logs.export import ConsoleLogExporter, SimpleLogRecordProcessor
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import ConsoleMetricExporter, PeriodicExportingMetricReader
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor

tracer_provider = TracerProvider()
tracer_provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
reader = PeriodicExportingMetricReader(ConsoleMetricExporter(), export_interval_millis=5)
meter_provider = MeterProvider(metric_readers=[reader])
counter = meter_provider.get_meter("m").create_counter("c")
logger_provider = LoggerProvider()
logger_provider.add_log_record_processor(SimpleLogRecordProcessor(ConsoleLogExporter()))
logging.getLogger().addHandler(LoggingHandler(logger_provider=logger_provider))
tracer = tracer_provider.get_tracer("t")
for i in range(3000):
    with tracer.start_as_current_span(f"span-{i}"):
        counter.add(1, {"i": i % 50})
        logging.getLogger("app").warning("record %d", i)
"""


def test_output_piped_into_a_reader_that_leaves_ends_without_a_traceback(
    tmp_path: Path,
) -> None:
    script = tmp_path / "chatty.py"
    script.write_text(_CHATTY)
    with subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline()  # like `| head -n 1`
        proc.stdout.close()
        stderr = proc.stderr.read()
        assert proc.wait(timeout=60) == 0, stderr
    assert "BrokenPipe" not in stderr
    assert "Traceback" not in stderr
    assert "Logging error" not in stderr


def test_console_metric_exporter_prints_nothing_without_points() -> None:
    out = io.StringIO()
    exporter = ConsoleMetricExporter(out=out)
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("m").create_counter("never.used")
    data = reader.get_metrics_data()
    assert exporter.export(data if data is not None else MetricsData([])).name == "SUCCESS"
    assert out.getvalue() == ""
    provider.shutdown()


def test_console_metric_exporter_prints_a_collection_with_points() -> None:
    out = io.StringIO()
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("m").create_counter("used").add(1)
    data = reader.get_metrics_data()
    assert data is not None
    ConsoleMetricExporter(out=out).export(data)
    assert '"used"' in out.getvalue()
    provider.shutdown()
