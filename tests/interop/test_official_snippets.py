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

# opentelemetry-python docs/examples/error_handler/example.py
ERROR_HANDLER = """
from opentelemetry.sdk.error_handler import GlobalErrorHandler

# ZeroDivisionError to be handled by ErrorHandler0
with GlobalErrorHandler():
    1 / 0

print()

# IndexError to be handled by ErrorHandler1
with GlobalErrorHandler():
    [1][2]

print()

# KeyError to be handled by ErrorHandler1
with GlobalErrorHandler():
    {1: 2}[2]

print()

# AssertionError to be handled by DefaultErrorHandler
with GlobalErrorHandler():
    assert False

print()

# No error raised
with GlobalErrorHandler():
    print("No error raised")
"""


# opentelemetry-python docs/examples/metrics/sdk-metrics/sdk_metrics.py
SDK_METRICS = """
import os
import time

from opentelemetry import _logs, metrics, trace
from opentelemetry.exporter.otlp.proto.http._log_exporter import (
    OTLPLogExporter,
)
from opentelemetry.exporter.otlp.proto.http.metric_exporter import (
    OTLPMetricExporter,
)
from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
    OTLPSpanExporter,
)
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor

os.environ.setdefault("OTEL_PYTHON_SDK_INTERNAL_METRICS_ENABLED", "true")

resource = Resource.create({"service.name": "sdk-metrics-example"})

meter_provider = MeterProvider(resource=resource)
metrics.set_meter_provider(meter_provider)

# Pass the metrics provider into each SDK component that should report
# internal health metrics.
metric_exporter = OTLPMetricExporter(meter_provider=meter_provider)
metric_reader = PeriodicExportingMetricReader(
    metric_exporter,
    export_interval_millis=250,  # Intentionally low for example purposes only
)
meter_provider.add_metric_reader(metric_reader)

tracer_provider = TracerProvider(
    resource=resource,
    meter_provider=meter_provider,
)
tracer_provider.add_span_processor(
    SimpleSpanProcessor(
        OTLPSpanExporter(meter_provider=meter_provider),
        meter_provider=meter_provider,
    )
)
trace.set_tracer_provider(tracer_provider)

logger_provider = LoggerProvider(
    resource=resource,
    meter_provider=meter_provider,
)
logger_provider.add_log_record_processor(
    SimpleLogRecordProcessor(
        OTLPLogExporter(meter_provider=meter_provider),
        meter_provider=meter_provider,
    )
)
_logs.set_logger_provider(logger_provider)

tracer = trace.get_tracer(__name__)
logger = _logs.get_logger(__name__)

with tracer.start_as_current_span("example-span"):
    logger.emit(body="example log record")
    # Let the periodic reader export at least once so exporter self-metrics
    # are available for the final metrics export.
    time.sleep(0.5)

tracer_provider.force_flush()
logger_provider.force_flush()
meter_provider.force_flush()

tracer_provider.shutdown()
logger_provider.shutdown()
meter_provider.shutdown()
"""


# opentelemetry-python docs/examples/metrics/reader/preferred_exemplarfilter.py
PREFERRED_EXEMPLAR_FILTER = """
import time

from opentelemetry import trace
from opentelemetry.metrics import get_meter_provider, set_meter_provider
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics._internal.exemplar import AlwaysOnExemplarFilter
from opentelemetry.sdk.metrics.export import (
    ConsoleMetricExporter,
    PeriodicExportingMetricReader,
)
from opentelemetry.sdk.trace import TracerProvider

# Create an ExemplarFilter instance
# Available values are AlwaysOffExemplarFilter, AlwaysOnExemplarFilter
# and TraceBasedExemplarFilter.
# The default value is `TraceBasedExemplarFilter`.
# You can also use the environment variable `OTEL_METRICS_EXEMPLAR_FILTER`
# to change the default value.
# You can also define your own filter by implementing the abstract class
# `ExemplarFilter`
exemplar_filter = AlwaysOnExemplarFilter()

exporter = ConsoleMetricExporter()

reader = PeriodicExportingMetricReader(
    exporter,
    export_interval_millis=5_000,
)

# Set up the MeterProvider with the ExemplarFilter
provider = MeterProvider(
    metric_readers=[reader],
    exemplar_filter=exemplar_filter,  # Pass the ExemplarFilter to the MeterProvider
)
set_meter_provider(provider)

meter = get_meter_provider().get_meter("exemplar-filter-example", "0.1.2")
counter = meter.create_counter("my-counter")

# Create a trace and span as the default exemplar filter `TraceBasedExemplarFilter`
# will only store exemplar if a context exists
trace.set_tracer_provider(TracerProvider())
tracer = trace.get_tracer(__name__)
with tracer.start_as_current_span("foo"):
    for value in range(10):
        counter.add(value)
        time.sleep(2.0)
"""


# opentelemetry-python docs/examples/metrics/views/change_reservoir_factory.py
CHANGE_RESERVOIR_FACTORY = """
import random
import time

from opentelemetry import trace
from opentelemetry.metrics import get_meter_provider, set_meter_provider
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics._internal.aggregation import (
    DefaultAggregation,
    _Aggregation,
    _ExplicitBucketHistogramAggregation,
)
from opentelemetry.sdk.metrics._internal.exemplar import (
    AlignedHistogramBucketExemplarReservoir,
    ExemplarReservoirBuilder,
    SimpleFixedSizeExemplarReservoir,
)
from opentelemetry.sdk.metrics.export import (
    ConsoleMetricExporter,
    PeriodicExportingMetricReader,
)
from opentelemetry.sdk.metrics.view import View
from opentelemetry.sdk.trace import TracerProvider


# Create a custom reservoir factory with specified parameters
def custom_reservoir_factory(
    aggregationType: type[_Aggregation],
) -> ExemplarReservoirBuilder:
    if issubclass(aggregationType, _ExplicitBucketHistogramAggregation):
        return AlignedHistogramBucketExemplarReservoir
    else:
        # Custom reservoir must accept `**kwargs` that may set the `size` for
        # _ExponentialBucketHistogramAggregation or the `boundaries` for
        # _ExplicitBucketHistogramAggregation
        return lambda **kwargs: SimpleFixedSizeExemplarReservoir(
            size=10,
            **{k: v for k, v in kwargs.items() if k != "size"},
        )


# Create a view with the custom reservoir factory
change_reservoir_factory_view = View(
    instrument_name="my.counter",
    name="name",
    aggregation=DefaultAggregation(),
    exemplar_reservoir_factory=custom_reservoir_factory,
)

# Use console exporter for the example
exporter = ConsoleMetricExporter()

# Create a metric reader with stdout exporter
reader = PeriodicExportingMetricReader(exporter, export_interval_millis=1_000)
provider = MeterProvider(
    metric_readers=[
        reader,
    ],
    views=[
        change_reservoir_factory_view,
    ],
)
set_meter_provider(provider)

meter = get_meter_provider().get_meter("reservoir-factory-change", "0.1.2")

my_counter = meter.create_counter("my.counter")

# Create a trace and span as the default exemplar filter `TraceBasedExemplarFilter`
# will only store exemplar if a context exists
trace.set_tracer_provider(TracerProvider())
tracer = trace.get_tracer(__name__)
with tracer.start_as_current_span("foo"):
    while 1:
        my_counter.add(random.randint(1, 10))
        time.sleep(random.random())
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


# Examples that sleep between measurements (or loop forever) run unchanged, with
# ``time.sleep`` bounded: each sleep at most CAP seconds, and after MAX sleeps the
# program exits normally (SystemExit(0)), so its providers flush at exit as usual.
_BOUNDED_SLEEP = """
import runpy, sys, time
_sleep, _calls = time.sleep, [0]
def _bounded_sleep(seconds):
    _calls[0] += 1
    if _calls[0] > {max_sleeps}:
        raise SystemExit(0)
    _sleep(min(seconds, {cap}))
time.sleep = _bounded_sleep
runpy.run_path(sys.argv[1], run_name="__main__")
"""


def _run(
    python: str,
    source: str,
    tmp_path: Path,
    *,
    env: dict[str, str] | None = None,
    max_sleeps: int | None = None,
    sleep_cap: float = 0.05,
    stderr_tracebacks: bool = False,
) -> tuple[str, float]:
    script = tmp_path / "snippet.py"
    script.write_text(source)
    run_env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "PYTHONWARN"))}
    run_env.update(env or {})
    command = [python, str(script)]
    if max_sleeps is not None:
        prelude = _BOUNDED_SLEEP.format(max_sleeps=max_sleeps, cap=sleep_cap)
        command = [python, "-c", prelude, str(script)]
    started = time.monotonic()
    proc = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
        env=run_env,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    if stderr_tracebacks:
        return proc.stdout + "\n--- stderr ---\n" + proc.stderr, elapsed
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


def check_error_handler(output: str) -> None:
    stdout, stderr = output.split("\n--- stderr ---\n")
    assert stdout == "\n\n\n\nNo error raised\n"
    # no plugin installed: each error is logged with its traceback, none escapes
    for error in ("ZeroDivisionError", "IndexError", "KeyError: 2", "AssertionError"):
        assert error in stderr, stderr


def _metric_documents(stdout: str) -> dict[str, list[dict[str, Any]]]:
    """metric name -> its data points, over every console export in ``stdout``."""
    found: dict[str, list[dict[str, Any]]] = {}
    for document in _json_documents(stdout):
        for resource_metrics in document.get("resource_metrics", ()):
            for scope_metrics in resource_metrics["scope_metrics"]:
                for metric in scope_metrics["metrics"]:
                    found.setdefault(metric["name"], []).extend(metric["data"]["data_points"])
    return found


def check_preferred_exemplar_filter(stdout: str) -> None:
    points = _metric_documents(stdout)["my-counter"]
    last = points[-1]
    assert last["value"] == sum(range(10))
    # AlwaysOnExemplarFilter: measurements made inside the span carry its trace
    assert last["exemplars"], last
    assert all(not _no_trace(e["trace_id"]) for e in last["exemplars"])


def check_change_reservoir_factory(stdout: str) -> None:
    points = _metric_documents(stdout)["name"]  # the view renames my.counter
    # the factory's reservoir keeps up to 10 exemplars (the default for a sum keeps 1)
    assert max(len(p["exemplars"]) for p in points) > 1
    assert all(not _no_trace(e["trace_id"]) for p in points for e in p["exemplars"])


# name -> (official source, check, options for _run)
SNIPPETS: dict[str, tuple[str, Callable[[str], None], dict[str, Any]]] = {
    "tracing": (TRACING, check_tracing, {}),
    "metrics": (METRICS, check_metrics, {}),
    "logs": (LOGS, check_logs, {}),
    "error_handler": (ERROR_HANDLER, check_error_handler, {"stderr_tracebacks": True}),
    "preferred_exemplarfilter": (
        PREFERRED_EXEMPLAR_FILTER,
        check_preferred_exemplar_filter,
        {"max_sleeps": 100},
    ),
    "change_reservoir_factory": (
        CHANGE_RESERVOIR_FACTORY,
        check_change_reservoir_factory,
        {"max_sleeps": 30, "sleep_cap": 0.05},
    ),
}


@pytest.mark.parametrize("name", SNIPPETS)
def test_official_snippet_runs_with_otel_imports(name: str, tmp_path: Path) -> None:
    source, check, options = SNIPPETS[name]
    swapped = source.replace("opentelemetry", "otel")
    assert "opentelemetry" not in swapped
    stdout, elapsed = _run(sys.executable, swapped, tmp_path, **options)
    check(stdout)
    assert elapsed < 10, f"{name} snippet took {elapsed:.1f} s"


@pytest.mark.parametrize("name", SNIPPETS)
def test_snippet_passes_the_same_checks_with_the_official_sdk(
    name: str, tmp_path: Path, official_python: str
) -> None:
    source, check, options = SNIPPETS[name]
    stdout, _ = _run(official_python, source, tmp_path, **options)
    check(stdout)


# The self-metrics every SDK reports in the sdk-metrics example (the official one names
# its scope "opentelemetry-sdk", otel "otel.sdk"; the metric names are the semconv ones).
SELF_METRICS_REPORTED = {
    "otel.sdk.span.live",
    "otel.sdk.log.created",
    "otel.sdk.processor.log.processed",
    "otel.sdk.exporter.log.exported",
    "otel.sdk.exporter.log.inflight",
}
# (the metric exporter's own counts appear only when a periodic export ran before the
# last one, which a loaded machine does not guarantee in the example's 0.5 s)


def _exported_self_metrics(python: str, source: str, tmp_path: Path) -> dict[str, Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "exporter" / "otlp"))
    try:
        from conftest import _serving  # the OTLP/HTTP receiver decoding with opentelemetry-proto
    finally:
        sys.path.pop(0)
    with _serving() as receiver:
        _run(python, source, tmp_path, env={"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.base})
        requests = list(receiver.requests)
    paths = {request.path for request in requests}
    assert {"/v1/traces", "/v1/logs", "/v1/metrics"} <= paths, paths
    found: dict[str, Any] = {}
    for request in requests:
        if request.path != "/v1/metrics":
            continue
        for resource_metrics in request.message.resource_metrics:
            for scope_metrics in resource_metrics.scope_metrics:
                for metric in scope_metrics.metrics:
                    found[metric.name] = metric
    return found


def test_sdk_metrics_example_exports_self_metrics_with_otel(tmp_path: Path) -> None:
    swapped = SDK_METRICS.replace("opentelemetry", "otel")
    found = _exported_self_metrics(sys.executable, swapped, tmp_path)
    assert set(found) >= SELF_METRICS_REPORTED, sorted(found)
    # and the ones otel adds: span processor and span exporter counts
    assert {"otel.sdk.processor.span.processed", "otel.sdk.exporter.span.exported"} <= set(found)
    live = found["otel.sdk.span.live"].sum.data_points
    assert [p.as_int for p in live] == [0]  # the one span has ended by the last export


def test_sdk_metrics_example_exports_the_same_self_metrics_with_the_official_sdk(
    tmp_path: Path, official_python: str
) -> None:
    found = _exported_self_metrics(official_python, SDK_METRICS, tmp_path)
    assert set(found) >= SELF_METRICS_REPORTED, sorted(found)
