"""SDK self-observability: the semantic conventions' ``otel.sdk.*`` metrics.

Every SDK component that queues or exports telemetry registers a :class:`Component` here
(a batch processor, an exporter, a provider). Its numbers are plain counters the component
keeps anyway (queue length, drops, items handed to the exporter, export outcomes), read
only when someone asks: :func:`read` from Python at any time, or a meter provider's
collection when the component was built with ``meter_provider=`` and
``OTEL_PYTHON_SDK_INTERNAL_METRICS_ENABLED=true`` (the official switch; off by default).

Counting spans and log records as they start and end (``otel.sdk.span.live``,
``.started``, ``.ended``, ``otel.sdk.log.created``) needs a hook on the request path, so
it exists only while the switch is on: the provider then adds one counting processor; with
the switch off nothing on the request path changes.

Two are durations, recorded once per operation off the request path: an exporter's
``otel.sdk.exporter.operation.duration`` (one export call) and a metric reader's
``otel.sdk.metric_reader.collection.duration`` (one collection). :class:`Durations` keeps
count, sum, min and max per attribute set for :func:`read`, and records each value into
a histogram of the bound meter provider when there is one.

Thread-safety: counters are ints updated by one writer (the worker thread, or under the
component's own lock); readers see a value at most one update old. Nothing here raises
into the component: a failing read is logged once and skipped.
"""

from __future__ import annotations

import os
import sys
from _thread import allocate_lock  # threading.Lock, without importing threading
from _weakref import ref as weak_ref  # weakref.ref, without importing weakref
from collections.abc import Callable, Iterable

from otel._fork import renew_lock_after_fork
from otel._log import get_logger
from otel._once import report_once

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` and the SDK modules stay off this module's import path
    from typing import Any

    from otel.metrics import CallbackOptions, MeterProvider, Observation
    from otel.sdk._batch import BatchWorker
    from otel.sdk.logs._provider import LogRecordProcessor
    from otel.sdk.trace._span import ReadableSpan, Span

__all__ = [
    "ENABLED_ENV",
    "METRICS",
    "Component",
    "DurationSummary",
    "Durations",
    "ExportCounts",
    "enabled",
    "read",
    "register",
]

_logger = get_logger("otel.sdk.self_metrics")

ENABLED_ENV = "OTEL_PYTHON_SDK_INTERNAL_METRICS_ENABLED"
SCOPE_NAME = "otel.sdk"

COMPONENT_TYPE = "otel.component.type"
COMPONENT_NAME = "otel.component.name"
ERROR_TYPE = "error.type"
SAMPLING_RESULT = "otel.span.sampling_result"

_COUNTER, _UPDOWN, _HISTOGRAM = "counter", "updowncounter", "histogram"

# name -> (instrument kind, unit, description): semantic conventions, "otel" namespace
METRICS: dict[str, tuple[str, str, str]] = {
    "otel.sdk.span.live": (_UPDOWN, "{span}", "Spans started and not yet ended"),
    "otel.sdk.span.started": (_COUNTER, "{span}", "Spans started (recording ones)"),
    "otel.sdk.span.ended": (_COUNTER, "{span}", "Spans ended"),
    "otel.sdk.processor.span.queue.size": (_UPDOWN, "{span}", "Spans in the processor queue"),
    "otel.sdk.processor.span.queue.capacity": (_UPDOWN, "{span}", "Capacity of the queue"),
    "otel.sdk.processor.span.processed": (
        _COUNTER,
        "{span}",
        "Spans handled by the processor (error.type set when dropped or not exported)",
    ),
    "otel.sdk.exporter.span.inflight": (_UPDOWN, "{span}", "Spans being exported now"),
    "otel.sdk.exporter.span.exported": (
        _COUNTER,
        "{span}",
        "Spans the exporter finished with (error.type set on failure)",
    ),
    "otel.sdk.log.created": (_COUNTER, "{log_record}", "Log records emitted"),
    "otel.sdk.processor.log.queue.size": (_UPDOWN, "{log_record}", "Records in the queue"),
    "otel.sdk.processor.log.queue.capacity": (_UPDOWN, "{log_record}", "Capacity of the queue"),
    "otel.sdk.processor.log.processed": (
        _COUNTER,
        "{log_record}",
        "Log records handled by the processor (error.type set when dropped or not exported)",
    ),
    "otel.sdk.exporter.log.inflight": (_UPDOWN, "{log_record}", "Records being exported now"),
    "otel.sdk.exporter.log.exported": (
        _COUNTER,
        "{log_record}",
        "Log records the exporter finished with (error.type set on failure)",
    ),
    "otel.sdk.exporter.metric_data_point.inflight": (
        _UPDOWN,
        "{data_point}",
        "Metric data points being exported now",
    ),
    "otel.sdk.exporter.metric_data_point.exported": (
        _COUNTER,
        "{data_point}",
        "Metric data points the exporter finished with (error.type set on failure)",
    ),
    "otel.sdk.exporter.operation.duration": (
        _HISTOGRAM,
        "s",
        "Duration of one export call of an exporter, retries included",
    ),
    "otel.sdk.metric_reader.collection.duration": (
        _HISTOGRAM,
        "s",
        "Duration of one collection of a metric reader",
    ),
}

# what a component reports: (metric name, extra attributes, value)
Point = tuple[str, dict[str, str], int]


TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import Any, NamedTuple

    class _Summary(NamedTuple):
        operations: int
        sum_s: float
        min_s: float
        max_s: float
else:
    from collections import namedtuple

    _Summary = namedtuple("_Summary", "operations sum_s min_s max_s")


class DurationSummary(_Summary):
    """What :func:`read` gives for a duration metric: how many operations were recorded,
    and the sum, minimum and maximum of their durations in seconds."""

    __slots__ = ()

    def merged(self, other: DurationSummary) -> DurationSummary:
        return DurationSummary(
            self.operations + other.operations,
            self.sum_s + other.sum_s,
            min(self.min_s, other.min_s),
            max(self.max_s, other.max_s),
        )


def enabled() -> bool:
    """True when ``OTEL_PYTHON_SDK_INTERNAL_METRICS_ENABLED`` is ``true`` (read now)."""
    return os.environ.get(ENABLED_ENV, "").strip().lower() == "true"


class Component:
    """One SDK component's identity (type, ``type/N`` name) and how to read its counters."""

    __slots__ = ("__weakref__", "_read", "durations", "histograms", "name", "type")

    def __init__(self, component_type: str, name: str, read: Callable[[], Iterable[Point]]):
        self.type = component_type
        self.name = name
        self._read = read
        # duration metric name -> histogram of the bound meter provider (switch on only)
        self.histograms: dict[str, Any] = {}
        self.durations: list[Durations] = []  # this component's duration recorders

    def base_attributes(self) -> dict[str, str]:
        return {COMPONENT_TYPE: self.type, COMPONENT_NAME: self.name} if self.type else {}

    def points(self) -> list[tuple[str, dict[str, str], int]]:
        """``(metric name, attributes, value)`` for every number this component has now."""
        try:
            found = list(self._read())
        except Exception:
            report_once(_logger, ("self_metrics.read", self.type), "Reading %s failed", self.name)
            return []
        base = self.base_attributes()
        return [(name, {**base, **extra}, value) for name, extra, value in found]

    def summaries(self) -> list[tuple[str, dict[str, str], DurationSummary]]:
        """``(metric name, attributes, summary)`` of every duration recorded so far."""
        base = self.base_attributes()
        return [
            (recorder.name, {**base, **dict(key)}, summary)
            for recorder in self.durations
            for key, summary in list(recorder.summaries.items())
        ]


_lock = allocate_lock()
renew_lock_after_fork(sys.modules[__name__], "_lock")  # a child never inherits it held
_components: list[weak_ref[Component]] = []
_type_counts: dict[str, int] = {}
# meter providers reporting self-metrics: (weak provider, weak components bound to it)
_bound: list[tuple[weak_ref[object], list[weak_ref[Component]]]] = []
# ... and their duration histograms (created once per provider): (weak provider, by name)
_histograms: list[tuple[weak_ref[object], dict[str, Any]]] = []


def _bound_to(meter_provider: object) -> list[weak_ref[Component]] | None:
    for provider_ref, refs in _bound:
        if provider_ref() is meter_provider:
            return refs
    return None


def register(
    component_type: str,
    read: Callable[[], Iterable[Point]],
    meter_provider: object = None,
) -> Component:
    """Register a component; also report it through ``meter_provider`` when the switch is on.

    The caller keeps the returned Component alive (as an attribute); once it is garbage,
    it disappears from :func:`read` and from the exported metrics. Never raises.
    """
    with _lock:
        number = _type_counts.get(component_type, 0)
        _type_counts[component_type] = number + 1
        component = Component(component_type, f"{component_type}/{number}", read)
        _components.append(weak_ref(component))
        if len(_components) > 64:
            _components[:] = [ref for ref in _components if ref() is not None]
    if meter_provider is not None and enabled():
        try:
            from otel.metrics import MeterProvider

            if not isinstance(meter_provider, MeterProvider):
                raise TypeError(f"meter_provider must be a MeterProvider, not {meter_provider!r}")
            _bind(component, meter_provider)
        except Exception:
            _logger.exception("SDK self-metrics could not be set up on %r", meter_provider)
    return component


def _bind(component: Component, meter_provider: MeterProvider) -> None:
    provider_ref: weak_ref[object] = weak_ref(meter_provider)
    with _lock:
        bound = _bound_to(meter_provider)
        first = bound is None
        if bound is None:
            bound = []
            _bound[:] = [entry for entry in _bound if entry[0]() is not None]
            _bound.append((provider_ref, bound))
            _histograms.append((provider_ref, {}))
        bound.append(weak_ref(component))
        histograms = _histograms_of(meter_provider)
    if first:
        meter = meter_provider.get_meter(SCOPE_NAME)
        for name, (kind, unit, description) in METRICS.items():
            if kind == _HISTOGRAM:
                histograms[name] = meter.create_histogram(name, unit=unit, description=description)
                continue
            create = (
                meter.create_observable_counter
                if kind == _COUNTER
                else meter.create_observable_up_down_counter
            )
            create(
                name, callbacks=[_observer(provider_ref, name)], unit=unit, description=description
            )
    component.histograms = histograms


def _histograms_of(meter_provider: object) -> dict[str, Any]:
    for provider_ref, histograms in _histograms:
        if provider_ref() is meter_provider:
            return histograms
    return {}  # pragma: no cover - registered together with _bound


def _observer(
    provider_ref: weak_ref[object], name: str
) -> Callable[[CallbackOptions], list[Observation]]:
    from otel.metrics import Observation

    def observe(_options: CallbackOptions) -> list[Observation]:
        provider = provider_ref()
        if provider is None:
            return []
        with _lock:
            refs = list(_bound_to(provider) or ())
        return [Observation(value, attributes) for attributes, value in _sum(refs, name)]

    return observe


def _sum(
    refs: Iterable[weak_ref[Component]], only: str | None = None
) -> list[tuple[dict[str, str], int]]:
    totals: dict[tuple[str, tuple[tuple[str, str], ...]], int] = {}
    for ref in refs:
        component = ref()
        if component is None:
            continue
        for name, attributes, value in component.points():
            if only is not None and name != only:
                continue
            key = (name, tuple(sorted(attributes.items())))
            totals[key] = totals.get(key, 0) + value
    return [(dict(attrs), value) for (_, attrs), value in totals.items()]


def read() -> dict[str, list[tuple[dict[str, str], Any]]]:
    """Every live component's numbers now: ``{metric name: [(attributes, value), ...]}``.

    A value is an int, or a :class:`DurationSummary` for the two duration metrics. Needs
    no meter provider and no switch (span/log start counts need the switch).
    """
    with _lock:
        refs = list(_components)
    result: dict[str, list[tuple[dict[str, str], Any]]] = {}
    for name, (kind, _unit, _description) in METRICS.items():
        points: list[tuple[dict[str, str], Any]] = (
            _merge_summaries(refs, name) if kind == _HISTOGRAM else _sum(refs, name)
        )
        if points:
            result[name] = points
    return result


def _merge_summaries(
    refs: Iterable[weak_ref[Component]], only: str
) -> list[tuple[dict[str, str], DurationSummary]]:
    totals: dict[tuple[tuple[str, str], ...], DurationSummary] = {}
    for ref in refs:
        component = ref()
        if component is None:
            continue
        for name, attributes, summary in component.summaries():
            if name == only:
                key = tuple(sorted(attributes.items()))
                known = totals.get(key)
                totals[key] = summary if known is None else known.merged(summary)
    return [(dict(key), summary) for key, summary in totals.items()]


class Durations:
    """One component's durations of one metric (``record`` from one thread at a time:
    the exporting or collecting thread). Never raises."""

    __slots__ = ("component", "name", "summaries")

    def __init__(self, component: Component, name: str) -> None:
        self.component = component
        self.name = name
        self.summaries: dict[tuple[tuple[str, str], ...], DurationSummary] = {}
        component.durations.append(self)

    def record(self, seconds: float, error_type: str | None = None) -> None:
        key: tuple[tuple[str, str], ...] = ((ERROR_TYPE, error_type),) if error_type else ()
        known = self.summaries.get(key)
        this = DurationSummary(1, seconds, seconds, seconds)
        self.summaries[key] = this if known is None else known.merged(this)
        histogram = self.component.histograms.get(self.name)
        if histogram is not None:
            try:
                attributes = self.component.base_attributes()
                if error_type:
                    attributes[ERROR_TYPE] = error_type
                histogram.record(seconds, attributes)
            except Exception:
                report_once(_logger, ("self_metrics.record", self.name), "Recording failed")


class ExportCounts:
    """Inflight and finished counts of one exporter (``otel.sdk.exporter.<signal>.*``).

    ``start(n)`` before sending ``n`` items, ``done(n, error_type)`` after (``None`` on
    success). Called from the exporting thread only; cheap enough for every batch.
    """

    __slots__ = ("_durations", "_failed", "_inflight", "_item", "_ok", "component")

    def __init__(
        self, component_type: str, signal_item: str, meter_provider: object = None
    ) -> None:
        self._item = signal_item  # "span", "log", "metric_data_point"
        self._inflight = 0
        self._ok = 0
        self._failed: dict[str, int] = {}
        self.component = register(component_type, self._points, meter_provider)
        self._durations = Durations(self.component, "otel.sdk.exporter.operation.duration")

    def start(self, count: int) -> None:
        self._inflight += count

    def done(self, count: int, error_type: str | None = None) -> None:
        self._inflight -= count
        if error_type is None:
            self._ok += count
        else:
            self._failed[error_type] = self._failed.get(error_type, 0) + count

    def operation(self, seconds: float, error_type: str | None = None) -> None:
        """One export call took ``seconds`` (``error_type`` None when it succeeded)."""
        self._durations.record(seconds, error_type)

    def _points(self) -> list[Point]:
        prefix = f"otel.sdk.exporter.{self._item}"
        points: list[Point] = [
            (f"{prefix}.inflight", {}, self._inflight),
            (f"{prefix}.exported", {}, self._ok),
        ]
        points.extend(
            (f"{prefix}.exported", {ERROR_TYPE: error}, n) for error, n in self._failed.items()
        )
        return points


class ProcessorCounts:
    """Counts of one span or log processor (``otel.sdk.processor.<signal>.*``).

    ``queue`` is the processor's ``BatchWorker`` (None for a synchronous processor): its
    length, capacity and drop count are read from it at collection time.
    """

    __slots__ = ("_failed", "_item", "_ok", "_queue", "component")

    def __init__(
        self,
        component_type: str,
        signal_item: str,
        queue: BatchWorker[Any] | None,
        meter_provider: object,
    ) -> None:
        self._item = signal_item  # "span" or "log"
        self._queue = queue
        self._ok = 0
        self._failed = 0
        self.component = register(component_type, self._points, meter_provider)

    def done(self, count: int, ok: bool) -> None:
        """``count`` items went to the exporter; ``ok`` is what it answered."""
        if ok:
            self._ok += count
        else:
            self._failed += count

    def _points(self) -> list[Point]:
        prefix = f"otel.sdk.processor.{self._item}"
        points: list[Point] = [(f"{prefix}.processed", {}, self._ok)]
        if self._failed:
            points.append((f"{prefix}.processed", {ERROR_TYPE: "export_failed"}, self._failed))
        queue = self._queue
        if queue is not None:
            points.append((f"{prefix}.queue.size", {}, queue.queue_size))
            points.append((f"{prefix}.queue.capacity", {}, queue.max_queue_size))
            dropped = queue.dropped
            if dropped:
                points.append((f"{prefix}.processed", {ERROR_TYPE: "queue_full"}, dropped))
        return points


def processor_counts(
    component_type: str,
    signal_item: str,
    queue: BatchWorker[Any] | None = None,
    meter_provider: object = None,
) -> ProcessorCounts:
    """The counts object a processor keeps (one line in its constructor)."""
    return ProcessorCounts(component_type, signal_item, queue, meter_provider)


class LiveCounts:
    """Started/ended counts of spans or log records; exists only while the switch is on.

    A provider adds :meth:`span_processor` / :meth:`log_processor` to its pipeline, so
    with the switch off the request path has no extra call at all.
    """

    __slots__ = ("_ended", "_lock", "_started", "component", "signal")

    def __init__(self, signal: str, meter_provider: object) -> None:
        self.signal = signal  # "span" or "log"
        self._started = [0, 0]  # [record only, record and sample]
        self._ended = [0, 0]
        self._lock = allocate_lock()  # exact counts from many threads (switch on only)
        self.component = register("", self._points, meter_provider)

    def _points(self) -> list[Point]:
        if self.signal == "log":
            return [("otel.sdk.log.created", {}, self._started[1])]
        points: list[Point] = []
        for index, result in enumerate(("RECORD_ONLY", "RECORD_AND_SAMPLE")):
            started, ended = self._started[index], self._ended[index]
            if started or ended:
                attrs = {SAMPLING_RESULT: result}
                points.append(("otel.sdk.span.started", attrs, started))
                points.append(("otel.sdk.span.ended", attrs, ended))
                points.append(("otel.sdk.span.live", attrs, started - ended))
        return points

    def started(self, sampled: bool) -> None:
        with self._lock:
            self._started[sampled] += 1

    def ended(self, sampled: bool) -> None:
        with self._lock:
            self._ended[sampled] += 1


def live_span_processor(meter_provider: object) -> object:
    """A span processor counting recording spans as they start and end (switch on only)."""
    from otel.sdk.trace._processor import SpanProcessor

    counts = LiveCounts("span", meter_provider)

    class LiveSpans(SpanProcessor):
        self_metrics = counts

        def on_start(self, span: Span, parent_context: object = None) -> None:
            counts.started(bool(span._context[3] & 1))

        def on_end(self, span: ReadableSpan) -> None:
            counts.ended(bool(span._context[3] & 1))

    return LiveSpans()


def created_log_processor(meter_provider: object) -> LogRecordProcessor:
    """A log record processor counting emitted records (switch on only)."""
    from otel.sdk.logs._provider import LogRecordProcessor

    counts = LiveCounts("log", meter_provider)

    class CreatedLogs(LogRecordProcessor):
        self_metrics = counts

        def on_emit(self, log_data: object) -> None:
            counts.started(True)

        def shutdown(self) -> None:
            pass

        def force_flush(self, timeout_millis: int = 30000) -> bool:
            return True

    return CreatedLogs()


_SIGNAL_ITEMS = {"traces": "span", "logs": "log", "metrics": "metric_data_point"}
_ITEM_KINDS = {"span": "span", "log": "log", "metric_data_point": "metric"}


def exporter_counts(signal: str, transport: str, meter_provider: object = None) -> ExportCounts:
    """The counts an exporter keeps: ``signal`` is traces/logs/metrics, ``transport`` e.g.
    ``http``, ``http_json`` or ``grpc`` (component type ``otlp_<transport>_<kind>_exporter``).
    """
    item = _SIGNAL_ITEMS.get(signal, signal)
    kind = _ITEM_KINDS.get(item, item)
    return ExportCounts(f"otlp_{transport}_{kind}_exporter", item, meter_provider)


class NoExportCounts:
    """Stands in for :class:`ExportCounts` before an exporter has made its own."""

    __slots__ = ()

    def start(self, count: int) -> None:
        pass

    def done(self, count: int, error_type: str | None = None) -> None:
        pass

    def operation(self, seconds: float, error_type: str | None = None) -> None:
        pass


NO_EXPORT_COUNTS = NoExportCounts()


class CollectionDurations:
    """A metric reader's ``otel.sdk.metric_reader.collection.duration``.

    Made at the reader's first collection, bound to the meter provider it collects from
    (so that provider reports it when the switch is on)."""

    __slots__ = ("_durations", "component")

    def __init__(self, component_type: str, meter_provider: object) -> None:
        self.component = register(component_type, list, meter_provider)
        self._durations = Durations(self.component, "otel.sdk.metric_reader.collection.duration")

    def record(self, seconds: float, error_type: str | None = None) -> None:
        self._durations.record(seconds, error_type)
