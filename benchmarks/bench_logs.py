"""Logs side by side: otel vs the official opentelemetry-sdk (issue 6).

Every case runs under a LoggerProvider with a BatchLogRecordProcessor (default settings,
as in production: a record that finds the queue full is dropped and counted, on both
sides) and a no-op exporter. The
stdlib cases log through a ``logging.Logger`` whose only handler is the SDK's
``LoggingHandler``, so they include the standard library's own cost of creating the
LogRecord (identical on both sides; the "stdlib only" case shows it).

Run: ``.venv/bin/python benchmarks/_harness.py logs``.
"""

from __future__ import annotations

import logging
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from _harness import Case


def _sdk(impl: str) -> tuple[Any, Any, Any]:
    if impl == "otel":
        from otel.sdk import _logs as sdk_logs
        from otel.sdk._logs import export
    else:
        from opentelemetry.sdk import _logs as sdk_logs  # type: ignore[no-redef]
        from opentelemetry.sdk._logs import export  # type: ignore[no-redef]
    return sdk_logs, export, sdk_logs.LoggerProvider


def _provider(impl: str) -> Any:
    _, export, provider_cls = _sdk(impl)

    class NullExporter(export.LogExporter):  # type: ignore[misc,name-defined]
        def export(self, batch: Any) -> Any:
            return export.LogExportResult.SUCCESS

        def shutdown(self) -> None:
            pass

        def force_flush(self, timeout_millis: int = 30000) -> bool:
            return True

    provider = provider_cls(shutdown_on_exit=False)
    provider.add_log_record_processor(export.BatchLogRecordProcessor(NullExporter()))
    return provider


def _stdlib_logger(impl: str, name: str) -> logging.Logger:
    sdk_logs, _, _ = _sdk(impl)
    logger = logging.getLogger(name)
    logger.handlers.clear()
    logger.addHandler(sdk_logs.LoggingHandler(logger_provider=_provider(impl)))
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def _in_span(impl: str) -> None:
    if impl == "otel":
        from otel import context, trace
    else:
        from opentelemetry import context, trace  # type: ignore[no-redef]
    span = trace.NonRecordingSpan(
        trace.SpanContext(0x0AF7651916CD43DD8448EB211C80319C, 0xB7AD6B7169203331, False, 1)
    )
    context.attach(trace.set_span_in_context(span))


def info(impl: str) -> Callable[[], object]:
    logger = _stdlib_logger(impl, "bench.info")

    def run() -> None:
        logger.info("user %s logged in", "ann")

    return run


def info_in_span(impl: str) -> Callable[[], object]:
    logger = _stdlib_logger(impl, "bench.span")
    _in_span(impl)

    def run() -> None:
        logger.info("user %s logged in", "ann")

    return run


def info_extra(impl: str) -> Callable[[], object]:
    logger = _stdlib_logger(impl, "bench.extra")
    extra = {"user.id": 42, "http.route": "/login"}

    def run() -> None:
        logger.info("login", extra=extra)

    return run


def handle_only(impl: str) -> Callable[[], object]:
    """The handler's own cost: a LogRecord made once, handed to ``handle`` each time."""
    logger = _stdlib_logger(impl, "bench.handle")
    handler = logger.handlers[0]
    record = logger.makeRecord(logger.name, logging.INFO, __file__, 1, "user %s", ("ann",), None)

    def run() -> None:
        handler.handle(record)

    return run


def below_level(impl: str) -> Callable[[], object]:
    logger = _stdlib_logger(impl, "bench.below")

    def run() -> None:
        logger.debug("not emitted")

    return run


def stdlib_only(impl: str) -> Callable[[], object]:
    logger = logging.getLogger("bench.null")
    logger.handlers.clear()
    logger.addHandler(logging.NullHandler())
    logger.setLevel(logging.INFO)
    logger.propagate = False

    def run() -> None:
        logger.info("user %s logged in", "ann")

    return run


def api_emit(impl: str) -> Callable[[], object]:
    if impl == "otel":
        from otel._logs import SeverityNumber
    else:
        from opentelemetry._logs import SeverityNumber  # type: ignore[no-redef]
    logger = _provider(impl).get_logger("bench.api")
    info_number = SeverityNumber.INFO

    def run() -> None:
        logger.emit(body="order placed", severity_number=info_number, severity_text="INFO")

    return run


def api_emit_no_sdk(impl: str) -> Callable[[], object]:
    if impl == "otel":
        from otel import _logs
    else:
        from opentelemetry import _logs  # type: ignore[no-redef]
    logger = _logs.get_logger("bench.nosdk")

    def run() -> None:
        logger.emit(body="dropped")

    return run


def thread_cpu_ns(setup: Callable[[str], Callable[[], object]], impl: str) -> float:
    """ns of CPU time *of the calling thread* per call, best of 7.

    Thread CPU time is not inflated when the machine is busy (wall time is), and it leaves
    out the batch worker thread: it is what the application's own thread pays.
    """
    fn = setup(impl)
    clock = time.thread_time_ns
    number = 1000
    while True:  # calibrate to ~50 ms of thread CPU
        start = clock()
        for _ in range(number):
            fn()
        if clock() - start > 50_000_000 or number >= 1 << 22:
            break
        number *= 2
    best = float("inf")
    for _ in range(7):
        start = clock()
        for _ in range(number):
            fn()
        best = min(best, (clock() - start) / number)
    return best


def import_ms(impl: str) -> float:
    """CPU ms to import the logs SDK and its export module in a fresh interpreter, minus
    ``python -c pass``; best of 9, byte-code caches warmed for both sides."""
    import tempfile

    if impl == "otel":
        code = "import otel.sdk._logs, otel.sdk._logs.export"
    else:
        code = "import opentelemetry.sdk._logs, opentelemetry.sdk._logs.export"
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), f"bench-logs-pyc-{impl}")

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def best(snippet: str) -> float:
        subprocess.run([sys.executable, "-c", snippet], check=True, env=env)
        times = []
        for _ in range(9):
            start = children_cpu()
            subprocess.run([sys.executable, "-c", snippet], check=True, env=env)
            times.append(children_cpu() - start)
        return min(times)

    return max(best(code) - best("pass"), 0.0) * 1000.0


def _cpu_case(name: str, setup: Callable[[str], Callable[[], object]]) -> Case:
    return Case(
        f"{name} [thread CPU]",
        lambda: thread_cpu_ns(setup, "otel"),
        lambda: thread_cpu_ns(setup, "official"),
        kind="value",
        unit="ns/op",
    )


CASES = [
    Case("stdlib logger.info, NullHandler only (reference)", lambda: stdlib_only("otel")),
    Case("logger.info -> LoggingHandler", lambda: info("otel"), lambda: info("official")),
    Case(
        "logger.info -> LoggingHandler, inside a span",
        lambda: info_in_span("otel"),
        lambda: info_in_span("official"),
    ),
    Case(
        "logger.info(extra=2 attrs) -> LoggingHandler",
        lambda: info_extra("otel"),
        lambda: info_extra("official"),
    ),
    Case(
        "LoggingHandler.handle(prebuilt record): handler only",
        lambda: handle_only("otel"),
        lambda: handle_only("official"),
    ),
    Case(
        "logger.debug below level (not emitted)",
        lambda: below_level("otel"),
        lambda: below_level("official"),
    ),
    Case("API Logger.emit(body, severity)", lambda: api_emit("otel"), lambda: api_emit("official")),
    Case(
        "no SDK: get_logger().emit()",
        lambda: api_emit_no_sdk("otel"),
        lambda: api_emit_no_sdk("official"),
    ),
    _cpu_case("logger.info -> LoggingHandler", info),
    _cpu_case("LoggingHandler.handle(prebuilt record)", handle_only),
    _cpu_case("API Logger.emit(body, severity)", api_emit),
    Case(
        "import otel.sdk._logs(+export) vs opentelemetry.sdk._logs(+export)",
        lambda: import_ms("otel"),
        lambda: import_ms("official"),
        kind="value",
        unit="ms",
    ),
]
