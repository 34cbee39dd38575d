"""The getting-started snippets of the official docs, run after ``opentelemetry`` -> ``otel``.

Each snippet is written exactly as a user copies it from the OpenTelemetry Python docs (the
import-swap promise of DESIGN.md), run as its own process, and its console output checked.
The same unmodified snippet also runs in benchmarks/.venv-official and passes the same
checks, which proves the snippet is real official code and the checks are fair.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.interop

OFFICIAL_PYTHON = (
    Path(__file__).resolve().parents[2] / "benchmarks" / ".venv-official" / "bin" / "python"
)

# opentelemetry.io, Python "Getting Started" / "Instrumentation": acquire a tracer, nested spans.
TRACING = """
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
)

provider = TracerProvider()
processor = BatchSpanProcessor(ConsoleSpanExporter())
provider.add_span_processor(processor)

# Sets the global default tracer provider
trace.set_tracer_provider(provider)

# Creates a tracer from the global tracer provider
tracer = trace.get_tracer("my.tracer.name")


def do_work():
    with tracer.start_as_current_span("parent") as parent:
        # do some work that 'parent' tracks
        print("doing some work...")
        # Create a nested span to track nested work
        with tracer.start_as_current_span("child") as child:
            # do some work that 'child' tracks
            print("doing some nested work...")
            # the nested span is closed when it's out of scope

        # This span is also closed when it goes out of scope


do_work()
"""

# opentelemetry.io, Python "Instrumentation" / metrics: a counter exported to the console.
METRICS = """
from opentelemetry import metrics
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import (
    ConsoleMetricExporter,
    PeriodicExportingMetricReader,
)

metric_reader = PeriodicExportingMetricReader(ConsoleMetricExporter())
provider = MeterProvider(metric_readers=[metric_reader])

# Sets the global default meter provider
metrics.set_meter_provider(provider)

# Creates a meter from the global meter provider
meter = metrics.get_meter("my.meter.name")

work_counter = meter.create_counter(
    "work.counter", unit="1", description="Counts the amount of work done"
)


def do_work(work_type):
    # count the work being doing
    work_counter.add(1, {"work.type": work_type})


for work_type in ("a", "b", "a"):
    do_work(work_type)
"""

# opentelemetry-python docs/examples/logs: LoggingHandler on the root logger, trace correlation.
LOGS = """
import logging

from opentelemetry import trace
from opentelemetry._logs import set_logger_provider
from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor, ConsoleLogExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider

trace.set_tracer_provider(TracerProvider())

logger_provider = LoggerProvider(
    resource=Resource.create(
        {
            "service.name": "shoppingcart",
            "service.instance.id": "instance-12",
        }
    ),
)
set_logger_provider(logger_provider)

logger_provider.add_log_record_processor(BatchLogRecordProcessor(ConsoleLogExporter()))
handler = LoggingHandler(level=logging.NOTSET, logger_provider=logger_provider)

# Attach OTLP handler to root logger
logging.getLogger().addHandler(handler)

# Create different namespaced loggers
logger1 = logging.getLogger("myapp.area1")
logger2 = logging.getLogger("myapp.area2")

logger1.debug("Quick zephyrs blow, vexing daft Jim.")
logger1.info("How quickly daft jumping zebras vex.")
logger2.warning("Jail zesty vixen who grabbed pay from quack.")
logger2.error("The five boxing wizards jump quickly.")

# Trace context correlation
tracer = trace.get_tracer(__name__)
with tracer.start_as_current_span("foo"):
    # Do something
    logger2.error("Hyderabad, we have a major problem.")

logger_provider.shutdown()
"""


def _json_documents(text: str) -> list[dict[str, Any]]:
    """Every top-level JSON object in ``text`` (pretty-printed or one per line)."""
    decoder = json.JSONDecoder()
    documents = []
    index = text.find("{")
    while index != -1:
        try:
            document, end = decoder.raw_decode(text, index)
        except json.JSONDecodeError:
            index = text.find("{", index + 1)
            continue
        documents.append(document)
        index = text.find("{", end)
    return documents


def _run(python: str, source: str, tmp_path: Path) -> tuple[str, float]:
    script = tmp_path / "snippet.py"
    script.write_text(source)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "PYTHONWARN"))}
    started = time.monotonic()
    proc = subprocess.run(
        [python, str(script)],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout, elapsed


def _no_trace(trace_id: object) -> bool:
    return trace_id is None or int(str(trace_id), 16) == 0


def check_tracing(stdout: str) -> None:
    assert "doing some work...\n" in stdout
    assert "doing some nested work...\n" in stdout
    spans = {span["name"]: span for span in _json_documents(stdout)}
    assert set(spans) == {"parent", "child"}
    parent, child = spans["parent"], spans["child"]
    assert parent["parent_id"] is None
    assert child["parent_id"] == parent["context"]["span_id"]
    assert child["context"]["trace_id"] == parent["context"]["trace_id"]
    assert child["kind"] == "SpanKind.INTERNAL"


def check_metrics(stdout: str) -> None:
    (document,) = _json_documents(stdout)
    (resource_metrics,) = document["resource_metrics"]
    (scope_metrics,) = resource_metrics["scope_metrics"]
    assert scope_metrics["scope"]["name"] == "my.meter.name"
    (metric,) = scope_metrics["metrics"]
    assert (metric["name"], metric["unit"]) == ("work.counter", "1")
    assert metric["description"] == "Counts the amount of work done"
    data = metric["data"]
    assert data["is_monotonic"] is True
    assert data["aggregation_temporality"] == 2  # CUMULATIVE
    values = {p["attributes"]["work.type"]: p["value"] for p in data["data_points"]}
    assert values == {"a": 2, "b": 1}


def check_logs(stdout: str) -> None:
    records = {r["body"]: r for r in _json_documents(stdout)}
    # the root logger's default level (WARNING) filters debug and info
    assert set(records) == {
        "Jail zesty vixen who grabbed pay from quack.",
        "The five boxing wizards jump quickly.",
        "Hyderabad, we have a major problem.",
    }
    correlated = records.pop("Hyderabad, we have a major problem.")
    assert not _no_trace(correlated["trace_id"])
    assert correlated["severity_number"] == 17  # ERROR
    assert all(_no_trace(r["trace_id"]) for r in records.values())
    resource = correlated["resource"]["attributes"]
    assert resource["service.name"] == "shoppingcart"
    assert resource["service.instance.id"] == "instance-12"


SNIPPETS: dict[str, tuple[str, Callable[[str], None]]] = {
    "tracing": (TRACING, check_tracing),
    "metrics": (METRICS, check_metrics),
    "logs": (LOGS, check_logs),
}


@pytest.mark.parametrize("name", SNIPPETS)
def test_official_snippet_runs_with_otel_imports(name: str, tmp_path: Path) -> None:
    source, check = SNIPPETS[name]
    swapped = source.replace("opentelemetry", "otel")
    assert "opentelemetry" not in swapped
    stdout, elapsed = _run(sys.executable, swapped, tmp_path)
    check(stdout)
    assert elapsed < 10, f"{name} snippet took {elapsed:.1f} s"


@pytest.mark.parametrize("name", SNIPPETS)
def test_snippet_passes_the_same_checks_with_the_official_sdk(name: str, tmp_path: Path) -> None:
    if not OFFICIAL_PYTHON.exists():
        pytest.skip(f"official SDK venv missing ({OFFICIAL_PYTHON}); run `make setup`")
    source, check = SNIPPETS[name]
    stdout, _ = _run(str(OFFICIAL_PYTHON), source, tmp_path)
    check(stdout)
