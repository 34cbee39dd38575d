"""Tracing SDK side by side: otel vs the official opentelemetry-sdk (issue 3).

Every span case runs under a TracerProvider with a BatchSpanProcessor and a no-op
exporter, the production set-up; the tracer comes from ``provider.get_tracer`` in both.

Run: ``make bench`` (creates benchmarks/.venv-official with the official SDK, only there)
or ``.venv/bin/python benchmarks/_harness.py trace``.

Targets (issue 3): every span case <= 1/15 of the official cost, RSS growth bounded by the
queue size, import <= 1/5 of the official.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from _harness import Case


def _modules(impl: str) -> tuple[Any, Any, Any]:
    if impl == "otel":
        from otel import trace
        from otel.sdk.trace import TracerProvider, export
    else:
        from opentelemetry import trace  # type: ignore[no-redef]
        from opentelemetry.sdk.trace import (
            TracerProvider,  # type: ignore[no-redef]
            export,  # type: ignore[no-redef]
        )
    return trace, TracerProvider, export


def _provider(impl: str) -> Any:
    _, provider_cls, export = _modules(impl)

    class NoOpExporter(export.SpanExporter):  # type: ignore[misc, name-defined]
        def export(self, spans: Any) -> Any:
            return export.SpanExportResult.SUCCESS

        def shutdown(self) -> None:
            pass

    provider = provider_cls(shutdown_on_exit=False)
    provider.add_span_processor(export.BatchSpanProcessor(NoOpExporter()))
    return provider


def _tracer(impl: str) -> Any:
    return _provider(impl).get_tracer("bench")


def start_end(impl: str) -> Callable[[], object]:
    tracer = _tracer(impl)

    def run() -> None:
        tracer.start_span("op").end()

    return run


def with_current(impl: str) -> Callable[[], object]:
    tracer = _tracer(impl)

    def run() -> None:
        with tracer.start_as_current_span("op"):
            pass

    return run


def with_current_4_attributes(impl: str) -> Callable[[], object]:
    tracer = _tracer(impl)

    def run() -> None:
        with tracer.start_as_current_span("op") as span:
            span.set_attribute("http.method", "GET")
            span.set_attribute("http.status_code", 200)
            span.set_attribute("duration.ratio", 0.25)
            span.set_attribute("cache.hit", True)

    return run


def parent_3_children(impl: str) -> Callable[[], object]:
    tracer = _tracer(impl)

    def run() -> None:
        with tracer.start_as_current_span("parent"):
            with tracer.start_as_current_span("child-1"):
                pass
            with tracer.start_as_current_span("child-2"):
                pass
            with tracer.start_as_current_span("child-3"):
                pass

    return run


def event_and_status(impl: str) -> Callable[[], object]:
    trace = _modules(impl)[0]
    tracer = _tracer(impl)
    error = trace.StatusCode.ERROR

    def run() -> None:
        with tracer.start_as_current_span("op") as span:
            span.add_event("cache miss", {"key": "user:42"})
            span.set_status(error, "backend unavailable")

    return run


def burst_exported_percent(impl: str) -> float:
    """Issue 14 item 3: a tight loop of 100,000 spans under the default BatchSpanProcessor
    (queue 2048) and a no-op exporter; the share of spans exported, in percent."""
    _, provider_cls, export = _modules(impl)
    exported = 0

    class CountingExporter(export.SpanExporter):  # type: ignore[misc, name-defined]
        def export(self, spans: Any) -> Any:
            nonlocal exported
            exported += len(spans)
            return export.SpanExportResult.SUCCESS

        def shutdown(self) -> None:
            pass

    provider = provider_cls(shutdown_on_exit=False)
    provider.add_span_processor(export.BatchSpanProcessor(CountingExporter()))
    tracer = provider.get_tracer("bench")
    for _ in range(100_000):
        with tracer.start_as_current_span("op"):
            pass
    provider.shutdown()
    return exported / 1000.0


def _rss_kib() -> int:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def rss_growth(impl: str) -> float:
    provider = _provider(impl)
    tracer = provider.get_tracer("bench")
    for _ in range(2000):  # warm up allocator and caches
        with tracer.start_as_current_span("op") as span:
            span.set_attribute("i", 1)
    provider.force_flush()
    before = _rss_kib()
    for i in range(100_000):
        with tracer.start_as_current_span("op") as span:
            span.set_attribute("i", i)
    provider.force_flush()
    return float(_rss_kib() - before)


def import_ms(impl: str, modules: tuple[str, str] | None = None) -> float:
    """Fresh-interpreter import CPU time minus ``python -c pass``, best of 9.

    ``modules`` is (otel module, official module); the SDK trace modules by default.

    Byte-code caches go to one private directory for both implementations (written by a
    warm-up run), so neither side pays for compiling: this environment may set
    PYTHONDONTWRITEBYTECODE, and only the official SDK has install-time caches.
    """
    import tempfile

    ours, theirs = modules or ("otel.sdk.trace", "opentelemetry.sdk.trace")
    module = ours if impl == "otel" else theirs
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), f"bench-pycache-{impl}")

    def cpu_of_children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def best(code: str) -> float:
        # CPU time (user + system) of the child, not wall time: stable on a busy machine
        subprocess.run([sys.executable, "-c", code], check=True, env=env)  # warm-up
        times = []
        for _ in range(9):
            start = cpu_of_children()
            subprocess.run([sys.executable, "-c", code], check=True, env=env)
            times.append(cpu_of_children() - start)
        return min(times)

    return max(best(f"import {module}") - best("pass"), 0.0) * 1000.0


CASES = [
    Case("SDK: start_span().end()", lambda: start_end("otel"), lambda: start_end("official")),
    Case(
        "SDK: with start_as_current_span",
        lambda: with_current("otel"),
        lambda: with_current("official"),
    ),
    Case(
        "SDK: with start_as_current_span + 4 set_attribute",
        lambda: with_current_4_attributes("otel"),
        lambda: with_current_4_attributes("official"),
    ),
    Case(
        "SDK: parent with 3 children",
        lambda: parent_3_children("otel"),
        lambda: parent_3_children("official"),
    ),
    Case(
        "SDK: add_event + set_status",
        lambda: event_and_status("otel"),
        lambda: event_and_status("official"),
    ),
    Case(
        "SDK: RSS growth, 100k spans, batch processor",
        lambda: rss_growth("otel"),
        lambda: rss_growth("official"),
        kind="value",
        unit="KiB",
    ),
    Case(
        "burst: 100k spans in a tight loop, exported (default batch)",
        lambda: burst_exported_percent("otel"),
        lambda: burst_exported_percent("official"),
        kind="value",
        unit="%",
    ),
    Case(
        "import otel.sdk.trace vs opentelemetry.sdk.trace",
        lambda: import_ms("otel"),
        lambda: import_ms("official"),
        kind="value",
        unit="ms",
    ),
]


_CPU_CASES = {
    "SDK: start_span().end()": start_end,
    "SDK: with start_as_current_span": with_current,
    "SDK: with start_as_current_span + 4 set_attribute": with_current_4_attributes,
    "SDK: parent with 3 children": parent_3_children,
    "SDK: add_event + set_status": event_and_status,
}


def _cpu_child(impl: str) -> None:
    import json

    for name, setup in _CPU_CASES.items():
        run = setup(impl)
        best = float("inf")
        for _ in range(15):
            start = time.thread_time_ns()
            for _ in range(20_000):
                run()
            best = min(best, (time.thread_time_ns() - start) / 20_000)
        print(json.dumps({"case": name, "value": best}), flush=True)


def _cpu_main() -> None:
    """Same span cases, timed in thread CPU time (robust when other jobs share the CPUs).

    ``python benchmarks/bench_trace.py --cpu``: runs both interpreters and prints the table.
    """
    import json
    from pathlib import Path

    here = Path(__file__).resolve().parent
    pythons = {
        "otel": here.parent / ".venv" / "bin" / "python",
        "official": here / ".venv-official" / "bin" / "python",
    }
    results: dict[str, dict[str, float]] = {}
    for impl, python in pythons.items():
        out = subprocess.run(
            [str(python), __file__, "--cpu-child", impl],
            capture_output=True,
            text=True,
            check=True,
            cwd=here,
        ).stdout
        results[impl] = {
            row["case"]: row["value"] for row in map(json.loads, filter(None, out.splitlines()))
        }
    print(f"{'case (thread CPU time)':<52} {'otel':>8} {'official':>9} {'ratio':>8}")
    for name in _CPU_CASES:
        ours, theirs = results["otel"][name], results["official"][name]
        print(f"{name:<52} {ours:>8,.0f} {theirs:>9,.0f}   1/{theirs / ours:.1f}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--cpu-child":
        _cpu_child(sys.argv[2])
    else:
        _cpu_main()
