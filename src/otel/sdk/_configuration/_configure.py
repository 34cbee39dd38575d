"""Configure tracing, metrics and logs from the OTEL_* variables (what ``otel run`` does).

``configure_sdk()`` builds one resource (``OTEL_RESOURCE_ATTRIBUTES``,
``OTEL_SERVICE_NAME``), a ``TracerProvider`` (sampler from ``OTEL_TRACES_SAMPLER``) with a
``BatchSpanProcessor`` per ``OTEL_TRACES_EXPORTER`` entry, a ``MeterProvider`` with a
``PeriodicExportingMetricReader`` per ``OTEL_METRICS_EXPORTER`` entry, a
``LoggerProvider`` with a ``BatchLogRecordProcessor`` per ``OTEL_LOGS_EXPORTER`` entry,
sets them as the global providers and, when
``OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED=true``, attaches a ``LoggingHandler``
to the root logger. Propagators come from ``OTEL_PROPAGATORS`` through the global
propagator, which reads it on first use. Exporters default to ``otlp`` (OTLP/HTTP to
``localhost:4318``, where ``otel view`` listens); ``none`` means no pipeline.

An exporter that cannot be made (module missing, bad name) is reported in one line on
stderr and skipped; nothing here raises. ``OTEL_SDK_DISABLED=true`` configures nothing.

After ``os.fork()`` the child gets its own ``service.instance.id`` (and ``process.pid``
when present) in every provider's resource, so prefork servers (gunicorn ``--preload``)
report each worker as its own instance; the batch processors and the periodic reader
restart their threads themselves. A ``multiprocessing`` child started by fork exits with
``os._exit`` (no atexit): it flushes everything at its end, within 5 s.
"""

from __future__ import annotations

import logging
import os
import sys
import weakref
from dataclasses import dataclass, field
from typing import Any, TypeVar

from otel.sdk._configuration._exporters import (
    ExporterUnavailable,
    Gate,
    exporter_class,
    prometheus_reader,
)

_G = TypeVar("_G", bound=Gate)

_DEFAULTS = {"traces": "otlp", "metrics": "otlp", "logs": "otlp"}


@dataclass
class SdkComponents:
    """What :func:`configure_sdk` made: the providers and every exporter gate."""

    tracer_provider: Any = None
    meter_provider: Any = None
    logger_provider: Any = None
    logging_handler: Any = None
    gates: list[Gate] = field(default_factory=list)

    def close_gates(self) -> None:
        """Stop every exporter from sending (what is queued is discarded)."""
        for gate in self.gates:
            gate.close()


def _warn(message: str) -> None:
    sys.stderr.write(f"otel: {message}\n")


def exporter_names(signal: str) -> list[str]:
    """The exporter names configured for ``signal`` (``[]`` for ``none``)."""
    raw = os.environ.get(f"OTEL_{signal.upper()}_EXPORTER")
    if raw is None or not raw.strip():
        raw = _DEFAULTS[signal]
    names = [name.strip().lower() for name in raw.split(",") if name.strip()]
    return [] if "none" in names else list(dict.fromkeys(names))


def _gates(signal: str, success: Any, components: SdkComponents, kind: type[_G]) -> list[_G]:
    """A gated exporter per name in ``OTEL_<SIGNAL>_EXPORTER`` (``prometheus`` aside: a
    reader, not an exporter). ``kind`` is the Gate subclass that is also the signal's
    exporter base class. An exporter that cannot be made is reported and skipped."""
    gates: list[_G] = []
    for name in exporter_names(signal):
        if signal == "metrics" and name == "prometheus":
            continue
        try:
            exporter = exporter_class(signal, name)()
        except ExporterUnavailable as exc:
            _warn(f"{signal}: {exc}")
            continue
        except Exception as exc:
            _warn(f"{signal}: exporter {name!r} failed to start: {type(exc).__name__}: {exc}")
            continue
        gate = kind(exporter, success)
        components.gates.append(gate)
        gates.append(gate)
    return gates


def _configure_traces(resource: Any, components: SdkComponents) -> None:
    from otel import trace
    from otel.sdk.trace import TracerProvider
    from otel.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

    class SpanGate(Gate, SpanExporter):
        """A Gate that BatchSpanProcessor takes as its SpanExporter."""

    provider = TracerProvider(resource=resource)
    for gate in _gates("traces", SpanExportResult.SUCCESS, components, SpanGate):
        provider.add_span_processor(BatchSpanProcessor(gate))
    trace.set_tracer_provider(provider)
    components.tracer_provider = provider


def _configure_metrics(resource: Any, components: SdkComponents) -> None:
    from otel import metrics
    from otel.sdk.metrics import MeterProvider
    from otel.sdk.metrics.export import (
        MetricExporter,
        MetricExportResult,
        PeriodicExportingMetricReader,
    )

    class MetricGate(Gate, MetricExporter):
        """A Gate that PeriodicExportingMetricReader takes as its MetricExporter (the
        preferred temporality and aggregation are read through to the wrapped exporter)."""

    readers: list[Any] = [
        PeriodicExportingMetricReader(gate)
        for gate in _gates("metrics", MetricExportResult.SUCCESS, components, MetricGate)
    ]
    if "prometheus" in exporter_names("metrics"):
        try:
            readers.append(prometheus_reader())
        except ExporterUnavailable as exc:
            _warn(f"metrics: {exc}")
        except Exception as exc:
            _warn(f"metrics: exporter 'prometheus' failed to start: {exc}")
    provider = MeterProvider(resource=resource, metric_readers=readers)
    metrics.set_meter_provider(provider)
    components.meter_provider = provider


def _configure_logs(resource: Any, components: SdkComponents) -> None:
    from otel import _logs
    from otel.sdk.logs import LoggerProvider, LoggingHandler
    from otel.sdk.logs.export import BatchLogRecordProcessor, LogExporter, LogExportResult

    class LogGate(Gate, LogExporter):
        """A Gate that BatchLogRecordProcessor takes as its LogExporter."""

    provider = LoggerProvider(resource=resource)
    for gate in _gates("logs", LogExportResult.SUCCESS, components, LogGate):
        provider.add_log_record_processor(BatchLogRecordProcessor(gate))
    _logs.set_logger_provider(provider)
    components.logger_provider = provider
    enabled = os.environ.get("OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED", "")
    if enabled.strip().lower() == "true":
        handler = LoggingHandler(logger_provider=provider)
        logging.getLogger().addHandler(handler)  # the root logger's level is the app's
        components.logging_handler = handler


def _refresh_resources_after_fork(components: SdkComponents) -> None:
    """In a forked child: a new ``service.instance.id`` (and ``process.pid``) everywhere."""
    from otel.sdk.resources import Resource
    from otel.sdk.resources._resource import _instance_id

    for provider in (
        components.tracer_provider,
        components.meter_provider,
        components.logger_provider,
    ):
        old = getattr(provider, "resource", None)
        if old is None:
            continue
        updates: dict[str, Any] = {}
        if "service.instance.id" in old.attributes:
            updates["service.instance.id"] = _instance_id()
        if "process.pid" in old.attributes:
            updates["process.pid"] = os.getpid()
            if "process.parent_pid" in old.attributes:
                updates["process.parent_pid"] = os.getppid()
        if not updates:
            continue
        provider._replace_resource(old.merge(Resource(updates)))


def configure_sdk() -> SdkComponents:
    """Build and set the global providers from the environment; never raises."""
    components = SdkComponents()
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return components
    try:
        from otel.sdk.resources import Resource

        resource = Resource.create()
    except Exception as exc:
        _warn(f"resource detection failed: {exc}")
        return components
    for configure in (_configure_traces, _configure_metrics, _configure_logs):
        try:
            configure(resource, components)
        except Exception as exc:
            _warn(f"{configure.__name__[11:]}: configuration failed: {type(exc).__name__}: {exc}")
    _check_uwsgi_fork_hooks()
    if os.environ.get("OTEL_PYTHON_EXIT_ON_SIGTERM", "").strip().lower() == "true":
        _exit_on_sigterm()
    if hasattr(os, "register_at_fork"):
        # Weak references to the providers, not to ``components``: callers may drop what
        # configure_sdk returned while the (global) providers live on.
        tracer_ref, meter_ref, logger_ref = (
            _weak_or_none(components.tracer_provider),
            _weak_or_none(components.meter_provider),
            _weak_or_none(components.logger_provider),
        )

        def after_fork_in_child() -> None:
            try:
                _refresh_resources_after_fork(
                    SdkComponents(tracer_ref(), meter_ref(), logger_ref())
                )
            except Exception:  # pragma: no cover - never break the child
                pass

        os.register_at_fork(after_in_child=after_fork_in_child)
    return components


def _none() -> None:
    return None


def _weak_or_none(provider: Any) -> Any:
    """A callable returning ``provider`` while it lives (``None`` when there is none)."""
    return _none if provider is None else weakref.ref(provider)


def _check_uwsgi_fork_hooks() -> None:
    """Under uwsgi, say so when workers will be forked without Python's fork hooks.

    uwsgi forks its workers in C after loading the app and, unless told to, does not run
    Python's after-fork hooks: the workers' batch and metric threads are never restarted
    and nothing they record is exported. ``--lazy-apps`` (load the app in each worker) or
    ``--py-call-uwsgi-fork-hooks`` (uwsgi >= 2.0.21) fixes it.
    """
    uwsgi = sys.modules.get("uwsgi")
    options = getattr(uwsgi, "opt", None)
    if not isinstance(options, dict):
        return
    needed = ("lazy-apps", "lazy", "py-call-uwsgi-fork-hooks", "py-call-osafterfork")
    if any(options.get(name) for name in needed):
        return
    _warn(
        "uwsgi forks workers without Python's fork hooks, so their telemetry threads "
        "never run: start uwsgi with --py-call-uwsgi-fork-hooks or --lazy-apps"
    )


def _exit_on_sigterm() -> None:
    """Opt-in (``OTEL_PYTHON_EXIT_ON_SIGTERM=true``): SIGTERM exits through ``sys.exit``.

    SIGTERM's default action ends the process at once, without ``atexit``, so whatever
    is still queued is lost. With this switch SIGTERM raises ``SystemExit(143)`` in the
    main thread instead: the interpreter exits normally and the providers flush, each
    bounded by its export timeout. Installed only from the main thread and only when
    SIGTERM still has its default action: a server's own handler (gunicorn, uwsgi,
    uvicorn) is never replaced.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return

    def exit_on_sigterm(signum: int, frame: object) -> None:
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, exit_on_sigterm)
