"""Metric readers (pull, periodic, in-memory) and exporters (interface, console)."""

from __future__ import annotations

import math
import os
import sys
import threading
import time
import weakref
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from enum import Enum
from typing import IO, Any, TypeAlias

from otel import metrics as _api
from otel._log import get_logger
from otel.sdk import _console as console
from otel.sdk._batch import shutdown_exporter
from otel.sdk._self_metrics import CollectionDurations
from otel.sdk.config import env_float
from otel.sdk.metrics._aggregation import DEFAULT_CARDINALITY_LIMIT
from otel.sdk.metrics._instrument import (
    Counter,
    Gauge,
    Histogram,
    ObservableCounter,
    ObservableGauge,
    ObservableUpDownCounter,
    UpDownCounter,
)
from otel.sdk.metrics._point import AggregationTemporality, MetricsData
from otel.sdk.metrics._view import Aggregation, DefaultAggregation

_logger = get_logger("otel.sdk.metrics.export")

_INSTRUMENT_CLASSES: tuple[type, ...] = (
    Counter,
    UpDownCounter,
    Histogram,
    Gauge,
    ObservableCounter,
    ObservableUpDownCounter,
    ObservableGauge,
)


InstrumentCardinalityKey: TypeAlias = (
    type[Counter]
    | type[UpDownCounter]
    | type[Histogram]
    | type[Gauge]
    | type[ObservableCounter]
    | type[ObservableUpDownCounter]
    | type[ObservableGauge]
)
"""An instrument class a reader's ``cardinality_limits`` can name."""

CardinalityLimits: TypeAlias = dict[InstrumentCardinalityKey, int]
"""A reader's series cap per instrument class, e.g. ``{Counter: 100, Histogram: 50}``."""

# Keys ``cardinality_limits`` accepts: the SDK instrument classes and their API interfaces
# (lookups go by isinstance, so either names every instrument of that kind).
_CARDINALITY_KEYS: frozenset[type] = frozenset(
    {
        *_INSTRUMENT_CLASSES,
        _api.Counter,
        _api.UpDownCounter,
        _api.Histogram,
        _api.Gauge,
        _api.ObservableCounter,
        _api.ObservableUpDownCounter,
        _api.ObservableGauge,
    }
)


def _check_cardinality_limits(limits: Mapping[type, int] | None) -> dict[type, int]:
    """Validate a ``cardinality_limits`` mapping at construction (a configuration error).

    Raises ValueError for a key that is not an instrument class or a limit that is not
    a positive int, as the official SDK does; this runs only when the reader is built.
    """
    if limits is None:
        return {}
    checked: dict[type, int] = {}
    for cls, limit in limits.items():
        if cls not in _CARDINALITY_KEYS:
            raise ValueError(f"cardinality_limits: {cls!r} is not an instrument class")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(
                f"cardinality_limits: the limit for {cls.__name__} must be a positive int, "
                f"got {limit!r}"
            )
        checked[cls] = limit
    return checked


def _lookup(mapping: Mapping[type, Any], instrument: object, default: Any) -> Any:
    value = mapping.get(type(instrument))
    if value is not None:
        return value
    for cls, candidate in mapping.items():
        if isinstance(instrument, cls):
            return candidate
    return default


class MetricExportResult(Enum):
    """Outcome of ``MetricExporter.export``."""

    SUCCESS = 0
    FAILURE = 1


class MetricExporter(ABC):
    """Sends collected metrics somewhere; used by PeriodicExportingMetricReader."""

    def __init__(
        self,
        preferred_temporality: dict[type, AggregationTemporality] | None = None,
        preferred_aggregation: dict[type, Aggregation] | None = None,
    ) -> None:
        self._preferred_temporality = preferred_temporality
        self._preferred_aggregation = preferred_aggregation

    @abstractmethod
    def export(
        self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: Any
    ) -> MetricExportResult:
        """Send one collection."""

    @abstractmethod
    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        """Send anything buffered."""

    @abstractmethod
    def shutdown(self, timeout_millis: float = 30_000, **kwargs: Any) -> None:
        """Release resources; later exports fail."""


def _has_points(metrics_data: MetricsData) -> bool:
    return any(
        metric.data.data_points
        for resource_metrics in metrics_data.resource_metrics
        for scope_metrics in resource_metrics.scope_metrics
        for metric in scope_metrics.metrics
    )


class ConsoleMetricExporter(MetricExporter):
    """Writes each collection that has data points to ``out`` (stdout) as one JSON
    document; a collection without any point prints nothing. A closed pipe (``| head``)
    ends the output quietly."""

    def __init__(
        self,
        out: IO[str] = sys.stdout,
        formatter: Callable[[MetricsData], str] = lambda metrics_data: (
            metrics_data.to_json() + os.linesep
        ),
        preferred_temporality: dict[type, AggregationTemporality] | None = None,
        preferred_aggregation: dict[type, Aggregation] | None = None,
    ) -> None:
        super().__init__(preferred_temporality, preferred_aggregation)
        self.out = out
        self.formatter = formatter

    def export(
        self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: Any
    ) -> MetricExportResult:
        try:
            if not _has_points(metrics_data):
                return MetricExportResult.SUCCESS  # nothing was recorded: print nothing
            console.write(self.out, self.formatter(metrics_data))
        except Exception:
            _logger.exception("ConsoleMetricExporter failed to write")
            return MetricExportResult.FAILURE
        return MetricExportResult.SUCCESS

    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        return True

    def shutdown(self, timeout_millis: float = 30_000, **kwargs: Any) -> None:
        return None


# The provider's collection: (reader, timeout_millis, timed_out) -> data; it appends True
# to ``timed_out`` (when given) if the collection ran out of time (callbacks skipped).
_CollectFn = Callable[["MetricReader", float, "list[bool] | None"], "MetricsData | None"]


class MetricReader(ABC):
    """Collects from the MeterProvider it is registered with (pull API: ``collect()``).

    ``preferred_temporality`` / ``preferred_aggregation`` map instrument classes
    (``otel.sdk.metrics.Counter``, ...) to this reader's choice; the default is
    cumulative and each instrument's default aggregation.

    The series per metric stream are capped for this reader (default 2000; a view's
    ``aggregation_cardinality_limit`` wins): ``cardinality_limits`` (official name) maps
    instrument classes to their cap and raises ValueError for a key that is not an
    instrument class or a limit that is not a positive int; ``cardinality_limit`` (an int
    for every instrument, or a mapping) is otel's older keyword and still works; where
    both name an instrument, ``cardinality_limits`` wins. The cap counts the
    ``otel.metric.overflow=true`` series.

    Each collection's duration is the self-metric
    ``otel.sdk.metric_reader.collection.duration`` (``error.type`` ``timeout`` or the
    exception's class on failure), reported through the meter provider collected from
    when ``OTEL_PYTHON_SDK_INTERNAL_METRICS_ENABLED=true``; ``otel_component_type`` (as
    in the official SDK: an enum member or a string) names the reader there, by default
    ``periodic_metric_reader`` or the reader's fully qualified class name.
    """

    _collection_durations: CollectionDurations | None = None

    def __init__(
        self,
        preferred_temporality: dict[type, AggregationTemporality] | None = None,
        preferred_aggregation: dict[type, Aggregation] | None = None,
        cardinality_limits: CardinalityLimits | Mapping[type, int] | None = None,
        *,
        otel_component_type: object = None,
        cardinality_limit: int | Mapping[type, int] | None = None,
    ) -> None:
        self._cardinality_limits = _check_cardinality_limits(cardinality_limits)
        self._collect: _CollectFn | None = None
        component_type = getattr(otel_component_type, "value", otel_component_type)
        self._otel_component_type = component_type if isinstance(component_type, str) else None
        # What the caller asked for is looked up first (exact class, then base classes such
        # as the API's ``otel.metrics.Counter``); these full tables are the fallback.
        self._preferred_temporality: dict[type, AggregationTemporality] = {
            cls: AggregationTemporality(temporality)
            for cls, temporality in (preferred_temporality or {}).items()
        }
        self._preferred_aggregation: dict[type, Aggregation] = dict(preferred_aggregation or {})
        self._instrument_class_temporality: dict[type, AggregationTemporality] = dict.fromkeys(
            _INSTRUMENT_CLASSES, AggregationTemporality.CUMULATIVE
        )
        self._instrument_class_temporality.update(self._preferred_temporality)
        self._instrument_class_aggregation: dict[type, Aggregation] = dict.fromkeys(
            _INSTRUMENT_CLASSES, DefaultAggregation()
        )
        self._instrument_class_aggregation.update(self._preferred_aggregation)
        self._cardinality_limit = cardinality_limit

    # used by the MeterProvider
    def _temporality_for(self, instrument: object) -> AggregationTemporality:
        temporality: AggregationTemporality = _lookup(
            self._preferred_temporality, instrument, AggregationTemporality.CUMULATIVE
        )
        return temporality

    def _aggregation_for(self, instrument: object) -> Aggregation:
        aggregation: Aggregation = _lookup(
            self._preferred_aggregation, instrument, DefaultAggregation()
        )
        return aggregation

    def _cardinality_limit_for(self, instrument: object) -> int:
        if self._cardinality_limits:
            chosen: int | None = _lookup(self._cardinality_limits, instrument, None)
            if chosen is not None:
                return max(2, chosen)
        limit = self._cardinality_limit
        if limit is None:
            return DEFAULT_CARDINALITY_LIMIT
        if isinstance(limit, int):
            return max(2, limit)
        found: int = _lookup(limit, instrument, DEFAULT_CARDINALITY_LIMIT)
        return max(2, found)

    def _set_collect_callback(self, func: _CollectFn | None) -> None:
        self._collect = func

    def collect(self, timeout_millis: float = 10_000) -> None:
        """Collect now and hand the result to ``_receive_metrics``."""
        if self._collect is None:
            _logger.warning("Cannot call collect on a MetricReader until it is registered")
            return
        metrics_data, _ = self._collect_checked(timeout_millis)
        if metrics_data is not None:
            self._receive_metrics(metrics_data, timeout_millis=timeout_millis)

    def _collect_checked(self, timeout_millis: float) -> tuple[MetricsData | None, bool]:
        """One collection and whether it completed (False: not registered, out of time)."""
        collect = self._collect
        if collect is None:
            return None, False
        durations = self._collection_durations
        if durations is None:  # the first collection: from here on the provider is known
            durations = self._collection_durations = CollectionDurations(
                self._otel_component_type or self._default_component_type(),
                getattr(collect, "__self__", None),
            )
        timed_out: list[bool] = []
        started = time.perf_counter()
        try:
            metrics_data = collect(self, timeout_millis, timed_out)
        except Exception as exc:
            durations.record(time.perf_counter() - started, type(exc).__qualname__)
            raise
        if metrics_data is not None:
            durations.record(time.perf_counter() - started, "timeout" if timed_out else None)
        return metrics_data, metrics_data is not None and not timed_out

    def _default_component_type(self) -> str:
        cls = type(self)
        return f"{cls.__module__}.{cls.__qualname__}"

    @abstractmethod
    def _receive_metrics(
        self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: Any
    ) -> None:
        """Called with each collection's result."""

    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        """Collect now; False when not registered or the collection ran out of time."""
        metrics_data, complete = self._collect_checked(timeout_millis)
        if metrics_data is not None:
            self._receive_metrics(metrics_data, timeout_millis=timeout_millis)
        return complete

    @abstractmethod
    def shutdown(self, timeout_millis: float = 30_000, **kwargs: Any) -> None:
        """Stop; collect no more."""


class InMemoryMetricReader(MetricReader):
    """Keeps the last collection in memory: ``get_metrics_data()`` collects and returns it."""

    def __init__(
        self,
        preferred_temporality: dict[type, AggregationTemporality] | None = None,
        preferred_aggregation: dict[type, Aggregation] | None = None,
        cardinality_limits: CardinalityLimits | Mapping[type, int] | None = None,
        *,
        cardinality_limit: int | Mapping[type, int] | None = None,
    ) -> None:
        super().__init__(
            preferred_temporality,
            preferred_aggregation,
            cardinality_limits,
            cardinality_limit=cardinality_limit,
        )
        self._lock = threading.Lock()
        self._metrics_data: MetricsData | None = None

    def _after_fork_locks(self) -> None:
        self._lock = threading.Lock()

    def get_metrics_data(self) -> MetricsData | None:
        """Collect now and return the result (None before registration or after shutdown)."""
        self.collect()
        with self._lock:
            metrics_data, self._metrics_data = self._metrics_data, None
        return metrics_data

    def _receive_metrics(
        self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: Any
    ) -> None:
        with self._lock:
            self._metrics_data = metrics_data

    def shutdown(self, timeout_millis: float = 30_000, **kwargs: Any) -> None:
        self._set_collect_callback(None)


class _FlushRequest:
    """A force_flush waiting for the worker: its deadline, outcome and completion."""

    __slots__ = ("deadline", "done", "ok")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.done = threading.Event()
        self.ok = False


class PeriodicExportingMetricReader(MetricReader):
    """Collects every ``export_interval_millis`` on a daemon thread and exports.

    Defaults come from ``OTEL_METRIC_EXPORT_INTERVAL`` (60000) and
    ``OTEL_METRIC_EXPORT_TIMEOUT`` (30000). ``math.inf`` as interval means "only on
    force_flush/shutdown". ``cardinality_limits`` / ``cardinality_limit``: as for
    ``MetricReader``.

    Every collection and export (periodic, ``force_flush``, the last one at
    ``shutdown``) runs on the reader's own daemon thread, so the caller only waits, and
    never longer than its timeout: a hung exporter or callback makes ``force_flush``
    return False at the timeout, and ``shutdown`` abandons the last export and the
    exporter's shutdown at its deadline. ``force_flush`` is True only when the
    collection completed, the export succeeded and the exporter flushed. The thread is
    restarted in a forked child.
    """

    def _default_component_type(self) -> str:
        return "periodic_metric_reader"  # the semantic conventions' value

    def __init__(
        self,
        exporter: MetricExporter,
        export_interval_millis: float | None = None,
        export_timeout_millis: float | None = None,
        cardinality_limits: CardinalityLimits | Mapping[type, int] | None = None,
        *,
        cardinality_limit: int | Mapping[type, int] | None = None,
    ) -> None:
        super().__init__(
            getattr(exporter, "_preferred_temporality", None),
            getattr(exporter, "_preferred_aggregation", None),
            cardinality_limits,
            cardinality_limit=cardinality_limit,
        )
        if export_interval_millis is None:
            export_interval_millis = env_float("OTEL_METRIC_EXPORT_INTERVAL", 60_000, minimum=0)
        if export_timeout_millis is None:
            export_timeout_millis = env_float("OTEL_METRIC_EXPORT_TIMEOUT", 30_000, minimum=0)
        if not export_interval_millis > 0:
            _logger.warning("export_interval_millis must be > 0; using 60000")
            export_interval_millis = 60_000
        if not export_timeout_millis >= 0:
            _logger.warning("export_timeout_millis must be >= 0; using 30000")
            export_timeout_millis = 30_000
        self._exporter = exporter
        self._export_interval_millis = float(export_interval_millis)
        self._export_timeout_millis = float(export_timeout_millis)
        self._shutdown = False
        self._thread: threading.Thread | None = None
        self._init_runtime()
        if hasattr(os, "register_at_fork"):
            ref = weakref.WeakMethod(self._after_fork)
            os.register_at_fork(after_in_child=lambda: (m := ref()) is not None and m())

    def _init_runtime(self) -> None:
        """Locks, wake-up event, pending flushes and the worker: fresh in every process."""
        self._export_lock = threading.Lock()
        self._requests_lock = threading.Lock()
        self._requests: list[_FlushRequest] = []
        self._wake = threading.Event()
        self._stopping = False
        if self._shutdown:
            return
        thread = threading.Thread(
            target=self._worker, name="OtelPeriodicExportingMetricReader", daemon=True
        )
        try:
            thread.start()
        except RuntimeError:  # no new threads (interpreter exit): flushes run inline
            _logger.warning("PeriodicExportingMetricReader could not start its thread")
            return
        self._thread = thread

    def _after_fork(self) -> None:
        # The parent's thread does not exist in the child; locks may be held by it.
        self._thread = None
        self._init_runtime()

    def _worker(self) -> None:
        interval = self._export_interval_millis / 1e3
        periodic = math.isfinite(interval)
        wake = self._wake
        due = _now() + interval if periodic else math.inf
        while True:
            if not self._stopping:
                wait = due - _now()
                if wait > 0:
                    wake.wait(wait if periodic else None)
            wake.clear()
            with self._requests_lock:
                requests, self._requests = self._requests, []
            stopping = self._stopping
            if requests or stopping or _now() >= due:
                timeout = self._export_timeout_millis
                if requests:
                    latest = max(request.deadline for request in requests)
                    timeout = min(timeout, max(0.0, latest - _now()) * 1e3)
                ok = self._collect_and_export(timeout)
                if requests:
                    ok = self._flush_exporter(max(0.0, latest - _now()) * 1e3) and ok
                    for request in requests:
                        request.ok = ok
                        request.done.set()
                if periodic:
                    due = _now() + interval
            if stopping:
                return

    def _collect_and_export(self, timeout_millis: float) -> bool:
        """Collect and export once; True if the collection completed and was exported."""
        try:
            metrics_data, complete = self._collect_checked(timeout_millis)
            if metrics_data is None:
                return False
            return self._export(metrics_data, timeout_millis) and complete
        except Exception:
            _logger.exception("Metric collection failed")
            return False

    def _flush_exporter(self, timeout_millis: float) -> bool:
        try:
            return bool(self._exporter.force_flush(timeout_millis=timeout_millis))
        except Exception:
            _logger.exception("Metric exporter force_flush raised")
            return False

    def _receive_metrics(
        self, metrics_data: MetricsData, timeout_millis: float = 10_000, **kwargs: Any
    ) -> None:
        self._export(metrics_data, timeout_millis)

    def _export(self, metrics_data: MetricsData, timeout_millis: float) -> bool:
        if not self._export_lock.acquire(timeout=max(timeout_millis, 0) / 1e3):
            _logger.warning("Skipped a metrics export: the previous one is still running")
            return False
        try:
            result = self._exporter.export(metrics_data, timeout_millis=timeout_millis)
            if result is not MetricExportResult.SUCCESS:
                _logger.warning("Metric exporter %s failed", type(self._exporter).__name__)
                return False
            return True
        except Exception:
            _logger.exception("Metric exporter %s raised", type(self._exporter).__name__)
            return False
        finally:
            self._export_lock.release()

    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        """Collect and export on the worker; False if that failed or outlasted the timeout."""
        if self._shutdown:
            return False
        if timeout_millis is None:  # not in the signature, but must not raise
            timeout_millis = 10_000
        thread = self._thread
        if thread is threading.current_thread():
            return False  # from inside an export or callback: it would wait for itself
        deadline = _now() + max(timeout_millis, 0) / 1e3
        if thread is None or not thread.is_alive():
            return self._run_bounded(
                lambda: (
                    self._collect_and_export(timeout_millis)
                    and self._flush_exporter(max(0.0, deadline - _now()) * 1e3)
                ),
                deadline,
            )
        request = _FlushRequest(deadline)
        with self._requests_lock:
            self._requests.append(request)
        self._wake.set()
        if not request.done.wait(max(0.0, deadline - _now())):
            with self._requests_lock:  # not picked up (worker busy): don't let them pile up
                if request in self._requests:
                    self._requests.remove(request)
            _logger.warning("PeriodicExportingMetricReader.force_flush timed out")
            return False
        return request.ok

    @staticmethod
    def _run_bounded(call: Callable[[], bool], deadline: float) -> bool:
        """``call()`` in a daemon thread, waited for until ``deadline`` (inline if none starts)."""
        outcome: list[bool] = []

        def run() -> None:
            try:
                outcome.append(call())
            except Exception:
                _logger.exception("Metric export failed")

        helper = threading.Thread(target=run, name="OtelMetricExport", daemon=True)
        try:
            helper.start()
        except RuntimeError:  # Python 3.12+ starts no threads at interpreter exit
            run()
        else:
            helper.join(max(0.0, deadline - _now()))
        return bool(outcome and outcome[0])

    def shutdown(self, timeout_millis: float = 30_000, **kwargs: Any) -> None:
        """A last export, then the exporter's shutdown, both ended by ``timeout_millis``."""
        if self._shutdown:
            _logger.warning("PeriodicExportingMetricReader already shut down")
            return
        self._shutdown = True
        if timeout_millis is None:  # not in the signature, but must not raise
            timeout_millis = 30_000
        deadline = _now() + max(timeout_millis, 0) / 1e3
        thread = self._thread
        self._stopping = True
        if thread is threading.current_thread():
            pass  # from inside an export or callback: the worker stops after it
        elif thread is not None and thread.is_alive():
            self._wake.set()
            thread.join(max(0.0, deadline - _now()))
            if thread.is_alive():
                _logger.warning(
                    "The last metrics export did not finish within %s ms; abandoned",
                    timeout_millis,
                )
        else:
            timeout = min(timeout_millis, self._export_timeout_millis)
            self._run_bounded(lambda: self._collect_and_export(timeout), deadline)
        self._set_collect_callback(None)
        exporter = self._exporter
        shutdown_exporter(
            lambda: exporter.shutdown(timeout_millis=max(0.0, deadline - _now()) * 1e3),
            deadline,
            _logger,
            "Metric exporter shutdown raised",
        )


_now = time.monotonic
