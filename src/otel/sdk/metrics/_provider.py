"""The SDK MeterProvider and Meter: instrument registration, views, collection."""

from __future__ import annotations

import atexit
import os
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from time import time_ns
from typing import Any

from otel import metrics as _api
from otel._log import get_logger, safe_str
from otel.attributes import Attributes
from otel.metrics._instruments import CallbackT, _check_instrument
from otel.sdk._atexit import shutdown_at_exit
from otel.sdk.config import env_str, sdk_disabled
from otel.sdk.metrics._aggregation import (
    ExponentialHistogramStream,
    HistogramStream,
    LastValueStream,
    ReaderState,
    StreamConfig,
    SumStream,
    _Stream,
)
from otel.sdk.metrics._exemplar import (
    AlignedHistogramBucketExemplarReservoir,
    AlwaysOffExemplarFilter,
    AlwaysOnExemplarFilter,
    ExemplarFilter,
    SimpleFixedSizeExemplarReservoir,
    TraceBasedExemplarFilter,
)
from otel.sdk.metrics._export import MetricReader
from otel.sdk.metrics._instrument import (
    _ASYNC_TYPES,
    Counter,
    Gauge,
    Histogram,
    ObservableCounter,
    ObservableGauge,
    ObservableUpDownCounter,
    UpDownCounter,
)
from otel.sdk.metrics._point import Metric, MetricsData, ResourceMetrics, ScopeMetrics
from otel.sdk.metrics._view import (
    Aggregation,
    DefaultAggregation,
    DropAggregation,
    ExplicitBucketHistogramAggregation,
    ExponentialBucketHistogramAggregation,
    LastValueAggregation,
    SumAggregation,
    View,
    _resolve_default,
)
from otel.sdk.util._instrumentation import InstrumentationScope, scope_text

_logger = get_logger("otel.sdk.metrics")

_DEFAULT_VIEW = View(instrument_name="*")


class MetricsTimeoutError(Exception):
    """A collection or flush ran out of time."""


def _default_exemplar_filter() -> ExemplarFilter:
    value = (env_str("OTEL_METRICS_EXEMPLAR_FILTER") or "trace_based").lower()
    if value == "always_on":
        return AlwaysOnExemplarFilter()
    if value == "always_off":
        return AlwaysOffExemplarFilter()
    if value != "trace_based":
        _logger.warning("Unknown OTEL_METRICS_EXEMPLAR_FILTER=%r; using trace_based", value)
    return TraceBasedExemplarFilter()


def _default_resource() -> Any:
    try:
        from otel.sdk.resources import Resource

        return Resource.create()
    except Exception:  # the resources module may be absent in a partial install
        return _FallbackResource()


class _FallbackResource:
    attributes: dict[str, Any] = {"service.name": "unknown_service"}
    schema_url = ""


class _InstrumentRecord:
    """An instrument the provider wired, with its streams by (view, aggregation) group."""

    __slots__ = ("advisory", "groups", "instrument", "scope")

    def __init__(
        self, scope: InstrumentationScope, instrument: Any, advisory: Sequence[float] | None
    ) -> None:
        self.scope = scope
        self.instrument = instrument
        self.advisory = advisory
        self.groups: dict[tuple[object, ...], _Stream] = {}


class _Registration:
    """One (instrument, stream, reader state) line of a reader's collection list."""

    __slots__ = ("instrument", "scope", "state", "stream")

    def __init__(
        self, scope: InstrumentationScope, instrument: Any, stream: _Stream, state: ReaderState
    ) -> None:
        self.scope = scope
        self.instrument = instrument
        self.stream = stream
        self.state = state


class Meter(_api.Meter):
    """Creates SDK instruments for one instrumentation scope.

    Made by ``MeterProvider.get_meter``; ``measurement_consumer`` is the provider that
    wires each new instrument to its metric streams (the official parameter names).
    """

    def __init__(
        self, instrumentation_scope: InstrumentationScope, measurement_consumer: MeterProvider
    ) -> None:
        scope = instrumentation_scope
        super().__init__(scope.name, scope.version, scope.schema_url, scope.attributes)
        self._scope = scope
        self._provider = measurement_consumer
        self._lock = threading.Lock()
        self._instruments: dict[tuple[str, type], Any] = {}

    def _create(
        self,
        cls: type,
        noop: type,
        name: str,
        unit: str,
        description: str,
        callbacks: Sequence[CallbackT] | None = None,
        advisory: Sequence[float] | None = None,
    ) -> Any:
        if not _check_instrument(name, unit):
            if cls in _ASYNC_TYPES:
                return noop(safe_str(name), None, "", "")
            return noop(safe_str(name), "", "")
        unit = unit or ""
        description = description or ""
        key = (name.lower(), cls)
        with self._lock:
            existing = self._instruments.get(key)
            if existing is None:
                for (other_name, other_cls), _ in self._instruments.items():
                    if other_name == key[0]:
                        _logger.warning(
                            "Instrument %r is registered as %s and now as %s in meter %r; "
                            "both are reported",
                            name,
                            other_cls.__name__,
                            cls.__name__,
                            self._scope.name,
                        )
                        break
                instrument: Any
                if cls in _ASYNC_TYPES:
                    instrument = cls(name, callbacks, unit, description)
                elif cls is Histogram:
                    instrument = cls(name, unit, description, advisory)
                else:
                    instrument = cls(name, unit, description)
                self._instruments[key] = instrument
        if existing is not None:
            if existing.unit != unit or existing.description != description:
                _logger.warning(
                    "Instrument %r was registered before with unit %r and description %r; "
                    "returning the first registration",
                    name,
                    existing.unit,
                    existing.description,
                )
            if callbacks:
                existing._add_callbacks(callbacks)
            return existing
        self._provider._register(self._scope, instrument, advisory)
        return instrument

    def create_counter(self, name: str, unit: str = "", description: str = "") -> _api.Counter:
        result: _api.Counter = self._create(Counter, _api.NoOpCounter, name, unit, description)
        return result

    def create_up_down_counter(
        self, name: str, unit: str = "", description: str = ""
    ) -> _api.UpDownCounter:
        result: _api.UpDownCounter = self._create(
            UpDownCounter, _api.NoOpUpDownCounter, name, unit, description
        )
        return result

    def create_histogram(
        self,
        name: str,
        unit: str = "",
        description: str = "",
        *,
        explicit_bucket_boundaries_advisory: Sequence[float] | None = None,
    ) -> _api.Histogram:
        result: _api.Histogram = self._create(
            Histogram,
            _api.NoOpHistogram,
            name,
            unit,
            description,
            advisory=explicit_bucket_boundaries_advisory,
        )
        return result

    def create_gauge(self, name: str, unit: str = "", description: str = "") -> _api.Gauge:
        result: _api.Gauge = self._create(Gauge, _api.NoOpGauge, name, unit, description)
        return result

    def create_observable_counter(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> _api.ObservableCounter:
        result: _api.ObservableCounter = self._create(
            ObservableCounter, _api.NoOpObservableCounter, name, unit, description, callbacks
        )
        return result

    def create_observable_up_down_counter(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> _api.ObservableUpDownCounter:
        result: _api.ObservableUpDownCounter = self._create(
            ObservableUpDownCounter,
            _api.NoOpObservableUpDownCounter,
            name,
            unit,
            description,
            callbacks,
        )
        return result

    def create_observable_gauge(
        self,
        name: str,
        callbacks: Sequence[CallbackT] | None = None,
        unit: str = "",
        description: str = "",
    ) -> _api.ObservableGauge:
        result: _api.ObservableGauge = self._create(
            ObservableGauge, _api.NoOpObservableGauge, name, unit, description, callbacks
        )
        return result


def _reservoir_builder(
    view: View, aggregation: Aggregation
) -> Any:  # Callable[[], ExemplarReservoir]
    factory = view._exemplar_reservoir_factory
    if isinstance(aggregation, ExplicitBucketHistogramAggregation):
        kwargs: dict[str, Any] = {"boundaries": aggregation.boundaries, "size": 1}
    elif isinstance(aggregation, ExponentialBucketHistogramAggregation):
        kwargs = {"size": min(20, aggregation.max_size)}
    else:
        kwargs = {"size": 1}
    if factory is not None:
        try:
            builder = factory(type(aggregation))
        except Exception:
            _logger.exception("exemplar_reservoir_factory failed; using the default reservoir")
            builder = None
        if builder is not None:
            return lambda: builder(**kwargs)
    if isinstance(aggregation, ExplicitBucketHistogramAggregation):
        return lambda: AlignedHistogramBucketExemplarReservoir(**kwargs)
    return lambda: SimpleFixedSizeExemplarReservoir(**kwargs)


class MeterProvider(_api.MeterProvider):
    """The SDK provider: meters record into streams that the registered readers collect.

    ``metric_readers`` are registered at construction, more with ``add_metric_reader``;
    ``views`` select and reshape streams; ``exemplar_filter`` defaults to
    ``OTEL_METRICS_EXEMPLAR_FILTER`` (trace_based). The positional order is the official
    one: ``(metric_readers, resource, exemplar_filter, shutdown_on_exit, views)``.
    """

    def __init__(
        self,
        metric_readers: Sequence[MetricReader] = (),
        resource: Any = None,
        exemplar_filter: ExemplarFilter | None = None,
        shutdown_on_exit: bool = True,
        views: Sequence[View] = (),
    ) -> None:
        self._lock = threading.Lock()
        # Serialises wiring: instrument registration and reader addition/removal.
        self._config_lock = threading.Lock()
        self._resource = resource if resource is not None else _default_resource()
        self._views = list(views)
        self._exemplar_filter = (
            exemplar_filter if exemplar_filter is not None else _default_exemplar_filter()
        )
        self._disabled = sdk_disabled()
        self._meters: dict[InstrumentationScope, Meter] = {}
        # Replaced (copy-on-write) under ``_lock``, so readers of them need no lock.
        self._readers: list[MetricReader] = []
        self._registrations: dict[int, list[_Registration]] = {}  # by id(reader)
        self._instrument_records: list[_InstrumentRecord] = []
        self._shutdown = False
        self._shutdown_started = False
        for reader in metric_readers:
            if getattr(reader, "_collect", None) is not None:
                _logger.error("MetricReader %r is already registered with a provider", reader)
                continue
            self._readers = [*self._readers, reader]
            self._registrations[id(reader)] = []
            reader._set_collect_callback(self._collect)
        self._atexit: Callable[[], None] | None = (
            shutdown_at_exit(self) if shutdown_on_exit else None
        )
        if hasattr(os, "register_at_fork"):
            fork_ref = weakref.WeakMethod(self._after_fork_in_child)
            os.register_at_fork(
                after_in_child=lambda: (method := fork_ref()) is not None and method()
            )

    def _after_fork_in_child(self) -> None:
        """A thread of the parent may have held any of our locks at fork time: renew them."""
        self._lock = threading.Lock()
        self._config_lock = threading.Lock()
        for meter in self._meters.values():
            meter._lock = threading.Lock()
        seen: set[int] = set()
        for registrations in self._registrations.values():
            for registration in registrations:
                stream = registration.stream
                if id(stream) not in seen:
                    seen.add(id(stream))
                    stream._after_fork_in_child()
        for reader in self._readers:
            renew = getattr(reader, "_after_fork_locks", None)
            if renew is not None:
                renew()

    @property
    def resource(self) -> Any:
        return self._resource

    def _replace_resource(self, resource: Any) -> None:
        """Report ``resource`` from the next collection on (a forked child's new identity)."""
        self._resource = resource

    def get_meter(
        self,
        name: str,
        version: str | None = None,
        schema_url: str | None = None,
        attributes: Attributes = None,
    ) -> _api.Meter:
        if self._disabled:
            return _api.NoOpMeter(name, version, schema_url, attributes)
        if self._shutdown:
            _logger.warning("A MeterProvider that is shut down hands out no-op meters")
            return _api.NoOpMeter(name, version, schema_url, attributes)
        name = scope_text(name, "name") or ""
        version = scope_text(version, "version")
        schema_url = scope_text(schema_url, "schema_url")
        if not name:
            _logger.warning("Meter name %r is invalid", name)
        scope = InstrumentationScope(name, version or None, schema_url or None, attributes)
        with self._lock:
            meter = self._meters.get(scope)
            if meter is None:
                meter = self._meters[scope] = Meter(scope, self)
        return meter

    # --- registration -----------------------------------------------------------------------

    def _register(
        self, scope: InstrumentationScope, instrument: Any, advisory: Sequence[float] | None
    ) -> None:
        record = _InstrumentRecord(scope, instrument, advisory)
        with self._config_lock:
            try:
                self._build_streams(record, self._readers)
            except Exception:
                _logger.exception("Failed to set up metric streams for %s", instrument.name)
                record.groups.clear()
            self._instrument_records.append(record)
            self._wire(record)

    @staticmethod
    def _wire(record: _InstrumentRecord) -> None:
        """Point the instrument at its current streams (after a change of them)."""
        instrument = record.instrument
        if hasattr(instrument, "_set_streams"):
            instrument._set_streams(list(record.groups.values()))

    def _build_streams(self, record: _InstrumentRecord, readers: Sequence[MetricReader]) -> None:
        """Give each of ``readers`` a state in ``record``'s streams, creating streams as needed.

        Readers that resolve to the same view and aggregation share one stream (one
        measurement updates it once, whatever the number of readers); a reader added
        later joins an existing stream when its cardinality limit fits that stream.
        """
        instrument, scope = record.instrument, record.scope
        views = [view for view in self._views if view._match(instrument, scope)]
        if not views:
            views = [_DEFAULT_VIEW]
        is_async = isinstance(instrument, _ASYNC_TYPES)
        now = time_ns()
        new: dict[tuple[object, ...], tuple[View, Aggregation, list[tuple[MetricReader, Any]]]]
        new = {}
        joined: list[tuple[_Stream, MetricReader, ReaderState]] = []
        for view_index, view in enumerate(views):
            for reader in readers:
                aggregation = view._aggregation
                if isinstance(aggregation, DefaultAggregation):
                    aggregation = reader._aggregation_for(instrument)
                if isinstance(aggregation, DefaultAggregation):
                    aggregation = _resolve_default(instrument, record.advisory)
                if isinstance(aggregation, DropAggregation):
                    continue
                key = (view_index, *aggregation._key())
                limit = view._aggregation_cardinality_limit or reader._cardinality_limit_for(
                    instrument
                )
                state = ReaderState(reader._temporality_for(instrument), limit, now)
                existing = record.groups.get(key)
                if existing is not None and max(2, limit) <= existing._limit:
                    joined.append((existing, reader, state))
                    continue
                if existing is not None:
                    key = (*key, id(reader))  # a larger limit: a stream of its own
                group = new.get(key)
                if group is None:
                    new[key] = (view, aggregation, [(reader, state)])
                else:
                    group[2].append((reader, state))
        for stream, reader, state in joined:
            stream._add_state(state, now)
            self._add_registration(reader, _Registration(scope, instrument, stream, state))
        for key, (view, aggregation, members) in new.items():
            states = [state for _, state in members]
            stream = self._make_stream(view, aggregation, instrument, states, is_async)
            record.groups[key] = stream
            for reader, state in members:
                self._add_registration(reader, _Registration(scope, instrument, stream, state))

    def _add_registration(self, reader: MetricReader, registration: _Registration) -> None:
        with self._lock:
            key = id(reader)
            self._registrations[key] = [*self._registrations.get(key, ()), registration]

    # --- readers added and removed at run time -----------------------------------------------

    def add_metric_reader(self, metric_reader: MetricReader) -> None:
        """Register one more reader; it sees the measurements made from now on.

        Every instrument already created gets a stream state for it (start time now).
        A reader registered already (here or with another provider), or a call after
        ``shutdown``, is logged and ignored, as in the official SDK.
        """
        with self._config_lock:
            if self._shutdown_started:
                _logger.warning("add_metric_reader on a MeterProvider that is shut down")
                return
            if id(metric_reader) in self._registrations or (
                getattr(metric_reader, "_collect", None) is not None
            ):
                _logger.warning("MetricReader %r has been registered already", metric_reader)
                return
            with self._lock:
                self._registrations[id(metric_reader)] = []
                self._readers = [*self._readers, metric_reader]
            for record in self._instrument_records:
                try:
                    before = len(record.groups)
                    self._build_streams(record, [metric_reader])
                    if len(record.groups) != before:
                        self._wire(record)
                except Exception:
                    _logger.exception(
                        "Failed to set up metric streams of %s for the new reader",
                        record.instrument.name,
                    )
            metric_reader._set_collect_callback(self._collect)

    def remove_metric_reader(self, metric_reader: MetricReader) -> None:
        """Unregister a reader: it collects nothing more and is shut down (as officially).

        Streams no other reader uses are dropped from their instruments. A reader that
        is not registered here is logged and ignored.
        """
        with self._config_lock:
            with self._lock:
                registrations = self._registrations.pop(id(metric_reader), None)
                if registrations is None:
                    _logger.warning("MetricReader %r has not been registered", metric_reader)
                    return
                self._readers = [r for r in self._readers if r is not metric_reader]
            emptied = set()
            for registration in registrations:
                if not registration.stream._remove_state(registration.state):
                    emptied.add(id(registration.stream))
            if emptied:
                for record in self._instrument_records:
                    kept = {k: v for k, v in record.groups.items() if id(v) not in emptied}
                    if len(kept) != len(record.groups):
                        record.groups = kept
                        self._wire(record)
        try:
            metric_reader._set_collect_callback(None)
            metric_reader.shutdown()
        except Exception:
            _logger.exception("shutdown of the removed reader %r failed", metric_reader)

    def _make_stream(
        self,
        view: View,
        aggregation: Aggregation,
        instrument: Any,
        states: list[ReaderState],
        is_async: bool,
    ) -> _Stream:
        config = StreamConfig(
            name=view._name or instrument.name,
            description=(
                view._description if view._description is not None else instrument.description
            ),
            unit=instrument.unit,
            attribute_keys=view._attribute_keys,
            limit=max(state.limit for state in states),
            states=states,
            exemplar_filter=self._exemplar_filter,
            reservoir_builder=_reservoir_builder(view, aggregation),
            is_async=is_async,
        )
        if isinstance(aggregation, SumAggregation):
            monotonic = isinstance(instrument, (Counter, ObservableCounter, Histogram))
            return SumStream(config, monotonic=monotonic)
        if isinstance(aggregation, LastValueAggregation):
            return LastValueStream(config)
        if isinstance(aggregation, ExplicitBucketHistogramAggregation):
            return HistogramStream(
                config,
                boundaries=aggregation.boundaries,
                record_min_max=aggregation.record_min_max,
            )
        if isinstance(aggregation, ExponentialBucketHistogramAggregation):
            return ExponentialHistogramStream(
                config,
                max_size=aggregation.max_size,
                max_scale=aggregation.max_scale,
                record_min_max=aggregation.record_min_max,
            )
        raise TypeError(f"unsupported aggregation {type(aggregation).__name__}")

    # --- collection -------------------------------------------------------------------------

    def _collect(
        self,
        reader: MetricReader,
        timeout_millis: float = 10_000,
        timed_out: list[bool] | None = None,
    ) -> MetricsData | None:
        """One collection for ``reader``; ``timed_out`` gets True if it ran out of time.

        Callbacks run in turn with the remaining budget; once the deadline has passed,
        the remaining observable instruments are not called this round (their streams see
        no observations), while synchronous streams, which run no user code, are still
        collected so that nothing they gathered is lost.
        """
        if self._shutdown:
            return None
        registrations = self._registrations.get(id(reader))  # replaced, never mutated
        if registrations is None:
            return None
        deadline = time.monotonic() + timeout_millis / 1e3
        now = time_ns()
        observed: dict[int, list[tuple[int | float, Any]]] = {}
        by_scope: dict[InstrumentationScope, list[Metric]] = {}
        skipped = 0
        for registration in registrations:
            instrument = registration.instrument
            observations = None
            try:
                if isinstance(instrument, _ASYNC_TYPES):
                    observations = observed.get(id(instrument))
                    if observations is None:
                        remaining = (deadline - time.monotonic()) * 1e3
                        if remaining > 0:
                            observations = instrument._observe(remaining)
                        else:
                            observations = []
                            skipped += 1
                        observed[id(instrument)] = observations
                metric = registration.stream.collect(registration.state, now, observations)
            except Exception:
                _logger.exception("Collecting %s failed", registration.stream.name)
                continue
            if metric is not None:
                by_scope.setdefault(registration.scope, []).append(metric)
        if skipped:
            _logger.warning(
                "Metric collection ran out of its %s ms: callbacks of %d observable "
                "instruments were not called",
                timeout_millis,
                skipped,
            )
        if time.monotonic() > deadline:
            if timed_out is not None:
                timed_out.append(True)
            _logger.warning("Metric collection took longer than %s ms", timeout_millis)
        resource = self._resource
        scope_metrics = [
            ScopeMetrics(scope, metrics, scope.schema_url or "")
            for scope, metrics in by_scope.items()
        ]
        return MetricsData(
            [ResourceMetrics(resource, scope_metrics, getattr(resource, "schema_url", "") or "")]
        )

    # --- lifecycle --------------------------------------------------------------------------

    def force_flush(self, timeout_millis: float = 10_000) -> bool:
        """Collect and export now through every reader; False if one failed or timed out."""
        if timeout_millis is None:  # not in the signature, but must not raise
            timeout_millis = 10_000
        deadline = time.monotonic() + timeout_millis / 1e3
        ok = True
        for reader in self._readers:
            remaining = (deadline - time.monotonic()) * 1e3
            if remaining <= 0:
                _logger.warning("MeterProvider.force_flush timed out")
                return False
            try:
                ok = bool(reader.force_flush(timeout_millis=remaining)) and ok
            except Exception:
                _logger.exception("force_flush of %r failed", reader)
                ok = False
        return ok

    def shutdown(self, timeout_millis: float = 30_000) -> bool:
        """Shut every reader down (a last export each); later calls only warn."""
        with self._lock:
            if self._shutdown_started:
                _logger.warning("MeterProvider.shutdown called more than once")
                return False
            self._shutdown_started = True
        if timeout_millis is None:  # not in the signature, but must not raise
            timeout_millis = 30_000
        deadline = time.monotonic() + timeout_millis / 1e3
        ok = True
        for reader in self._readers:
            remaining = max(0.0, deadline - time.monotonic()) * 1e3
            try:
                reader.shutdown(timeout_millis=remaining)
            except Exception:
                _logger.exception("shutdown of %r failed", reader)
                ok = False
        self._shutdown = True
        if self._atexit is not None:
            atexit.unregister(self._atexit)
            self._atexit = None
        return ok
