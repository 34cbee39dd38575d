"""The SDK TracerProvider and Tracer: span creation on the hot path."""

from __future__ import annotations

import atexit
from _thread import allocate_lock  # threading.Lock itself, without importing threading
from collections.abc import Callable, Mapping, Sequence
from time import time_ns
from types import TracebackType

from otel import trace as trace_api
from otel._fork import renew_lock_after_fork
from otel._log import get_logger, safe_repr
from otel._once import report_once
from otel.attributes import AttributeValue, CheckedAttributes, clean_attributes
from otel.context import Context
from otel.context._context import _context_get, _get_current, _reset_current, _set_current
from otel.sdk._atexit import shutdown_at_exit
from otel.sdk._self_metrics import enabled as self_metrics_enabled
from otel.sdk._self_metrics import live_span_processor
from otel.sdk.config import sdk_disabled
from otel.sdk.resources import Resource
from otel.sdk.trace._id_generator import IdGenerator, RandomIdGenerator, _getrandbits
from otel.sdk.trace._limits import SpanLimits
from otel.sdk.trace._processor import SpanProcessor, SynchronousMultiSpanProcessor
from otel.sdk.trace._sampling import (
    ALWAYS_ON,
    ParentBased,
    Sampler,
    _get_from_env_or_default,
)
from otel.sdk.trace._settings import _UNLIMITED, SpanSettings
from otel.sdk.trace._span import Span, _as_name, _new_span_context, _on_end_failed
from otel.sdk.util._instrumentation import InstrumentationScope, scope_text
from otel.trace import Link, NonRecordingSpan, SpanContext, SpanKind
from otel.trace._context_helpers import _SPAN_KEY, _span_in
from otel.trace._span_context import (
    _FLAGS as _TRACE_FLAGS,
)
from otel.trace._span_context import (
    DEFAULT_TRACE_STATE,
)
from otel.trace._status import UNSET_STATUS
from otel.trace._tracer import _StartAsCurrentSpan

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import Any

_logger = get_logger("otel.sdk.trace")

_INTERNAL = SpanKind.INTERNAL

# Sampling modes decided once per provider.
_GENERAL = 0  # call sampler.should_sample
_PARENT_BASED_ALWAYS_ON = 1  # the default: root sampled, children follow the parent
_ALWAYS_ON = 2


def _sampling_mode(sampler: Sampler) -> int:
    if sampler is ALWAYS_ON:
        return _ALWAYS_ON
    if isinstance(sampler, ParentBased) and sampler._is_default_on():
        return _PARENT_BASED_ALWAYS_ON
    return _GENERAL


def _trace_id_random(id_generator: object) -> bool:
    """``id_generator.is_trace_id_random()`` (a plain bool attribute is accepted too)."""
    flag = getattr(id_generator, "is_trace_id_random", False)
    try:
        return bool(flag() if callable(flag) else flag)
    except Exception:
        _logger.exception("is_trace_id_random() of %r failed; assuming False", id_generator)
        return False


def _guarded(id_generator: IdGenerator) -> Callable[[int], int]:
    """``id_generator``'s trace (128 bits) or span (64 bits) id, falling back to a random
    id (logged once per kind) when it raises; called like ``getrandbits(bits)``."""
    generate = {128: id_generator.generate_trace_id, 64: id_generator.generate_span_id}
    failed: set[int] = set()

    def generate_or_random(bits: int) -> int:
        try:
            return generate[bits]()
        except Exception:
            if bits not in failed:
                failed.add(bits)
                _logger.exception(
                    "Id generator %r failed; using random ids instead", generate[bits]
                )
            return _getrandbits(bits) or 1

    return generate_or_random


class Tracer(trace_api.Tracer):
    """Creates SDK spans for one instrumentation scope. Get it from a TracerProvider."""

    __slots__ = (
        "_gen_id",
        "_id_generator",
        "_mode",
        "_processor",
        "_random_flag",
        "_root_flags",
        "_sampler",
        "_settings",
        "instrumentation_scope",
    )

    def __init__(
        self,
        sampler: Sampler,
        resource: Resource,
        span_processor: SynchronousMultiSpanProcessor,
        id_generator: IdGenerator,
        instrumentation_scope: InstrumentationScope,
        span_limits: SpanLimits,
    ) -> None:
        self._sampler = sampler
        self._mode = _sampling_mode(sampler)
        self._processor = span_processor
        self._id_generator = id_generator
        # ``_gen_id(128)`` / ``_gen_id(64)``: for the default generator ``getrandbits``
        # itself, a C call with no Python frame (a zero id falls back below)
        self._gen_id: Callable[[int], int] = (
            _getrandbits if type(id_generator) is RandomIdGenerator else _guarded(id_generator)
        )
        self._random_flag = 2 if _trace_id_random(id_generator) else 0
        self._root_flags = _TRACE_FLAGS[self._random_flag | 1]  # a sampled root span's
        self.instrumentation_scope = instrumentation_scope
        # what the spans read (limits, processor, resource, scope), shared by all of them
        self._settings = SpanSettings(resource, instrumentation_scope, span_processor, span_limits)

    @property
    def sampler(self) -> Sampler:
        return self._sampler

    @property
    def resource(self) -> Resource:
        return self._settings.resource

    @resource.setter
    def resource(self, resource: Resource) -> None:
        """Spans started from now on carry ``resource`` (a forked child's new one)."""
        self._settings = self._settings.with_resource(resource)

    @property
    def id_generator(self) -> IdGenerator:
        return self._id_generator

    def start_span(
        self,
        name: str,
        context: Context | None = None,
        kind: SpanKind = _INTERNAL,
        attributes: Mapping[str, AttributeValue] | None = None,
        links: Sequence[Link] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
    ) -> trace_api.Span:
        # a name that is not a str is stored as given and converted when read
        # (``ReadableSpan.name``, ``_export_fields``), or here for a sampler
        parent: Any  # a Span, or whatever was stored under the span key
        if context is None:
            current: Any = _get_current()  # a Context or a span frame (otel.context._context)
            parent = current[1] if type(current) is list else _context_get(current, _SPAN_KEY)
        else:
            try:
                parent = context.get(_SPAN_KEY)
            except Exception:  # not a Context: start from the current one
                _logger.warning("start_span needs a Context; got %r, used the current one", context)
                context = None
                parent = _span_in(_get_current())
        parent_sc: SpanContext | tuple[Any, ...] | None  # an SDK span's raw form, see below
        if parent is None:
            parent_sc = None
        elif type(parent) is Span:
            parent_sc = parent._context
        else:
            try:
                given: SpanContext = parent.get_span_context()
                parent_sc = given if given.is_valid else None
            except Exception:
                _logger.warning("Ignoring a parent that is not a Span: %r", parent)
                parent_sc = None
        mode = self._mode
        extra: Mapping[str, AttributeValue] | None = None
        # a plain tuple laid out like a SpanContext (ids known valid): the span builds the
        # SpanContext itself when someone asks (``ReadableSpan.context``)
        span_context: tuple[Any, ...]
        if parent_sc is None and mode:
            # a root span under ALWAYS_ON or ParentBased(ALWAYS_ON) (the default): sampled,
            # decided without a call
            span_context = (
                self._gen_id(128) or self._id_generator.generate_trace_id(),
                self._gen_id(64) or self._id_generator.generate_span_id(),
                False,
                self._root_flags,
                DEFAULT_TRACE_STATE,
                True,
            )
        else:
            if parent_sc is None:
                trace_id = self._gen_id(128) or self._id_generator.generate_trace_id()
                flags = self._random_flag
                trace_state = DEFAULT_TRACE_STATE
                sampled = True
            else:
                trace_id = parent_sc[0]
                parent_flags = parent_sc[3]
                flags = parent_flags & 2
                trace_state = parent_sc[4]
                sampled = mode == _ALWAYS_ON or bool(parent_flags & 1)
            if mode:
                record = sampled
            else:
                try:
                    if type(name) is not str:
                        name = _as_name(name)
                    result = self._sampler.should_sample(
                        context, trace_id, name, kind, attributes, links
                    )
                    decision = result.decision
                    record = decision.is_recording()
                    sampled = decision.is_sampled()
                    trace_state = result.trace_state or DEFAULT_TRACE_STATE
                    extra = result.attributes
                except Exception as exc:
                    report_once(
                        _logger,
                        ("trace.sampler", type(self._sampler), type(exc)),
                        "Sampler %r failed; span dropped",
                        self._sampler,
                    )
                    record = sampled = False
            span_context = (
                trace_id,
                self._gen_id(64) or self._id_generator.generate_span_id(),
                False,
                _TRACE_FLAGS[flags | 1 if sampled else flags],
                trace_state,
                True,
            )
            if not record:
                return NonRecordingSpan(_new_span_context(SpanContext, span_context))
        span = Span()
        span._name = name
        span._context = span_context
        span._parent = parent_sc
        span._settings = settings = self._settings
        span._attr_room = settings.max_attrs
        span._kind = kind
        span._end_time = None
        span._status = UNSET_STATUS
        span._events = ()
        span._links = ()
        span._dropped_events = 0
        span._dropped_links = 0
        if not (record_exception and set_status_on_exception):  # 3, the default, stays unset
            span._exc_mode = (1 if record_exception else 0) | (2 if set_status_on_exception else 0)
        span._dropped_attributes = 0
        if attributes is None and extra is None:  # the common case first
            span._attributes = {}
        elif (
            type(attributes) is CheckedAttributes
            and extra is None
            and len(checked := attributes._items) <= settings.checked_room
        ):  # validated when it was built: copied as it is (its dict read directly)
            span._attributes = checked.copy()
        else:  # hostile __bool__: checked inside
            self._set_initial_attributes(span, attributes, extra)
        if links is not None:
            self._set_initial_links(span, links)
        span._start_time = start_time if start_time is not None else time_ns()
        if self._processor._start_hooks:
            self._processor.on_start(span, context)
        return span

    def start_as_current_span(
        self,
        name: str,
        context: Context | None = None,
        kind: SpanKind = _INTERNAL,
        attributes: Mapping[str, AttributeValue] | None = None,
        links: Sequence[Link] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
        end_on_exit: bool = True,
    ) -> _StartAsCurrentSpan:
        scope = _CurrentSpanScope()
        scope._tracer = self
        scope._args = (
            name,
            context,
            kind,
            attributes,
            links,
            start_time,
            record_exception,
            set_status_on_exception,
        )
        scope._end_on_exit = end_on_exit
        return scope

    def _set_initial_attributes(
        self,
        span: Span,
        attributes: Mapping[str, AttributeValue] | None,
        extra: Mapping[str, AttributeValue] | None,
    ) -> None:
        settings = self._settings
        try:
            if extra:
                merged = dict(attributes) if attributes else {}
                merged.update(extra)
                attributes = merged
            max_len = settings.max_attr_len  # unlimited: None, no length test per value
            cleaned, dropped = clean_attributes(
                attributes, settings.max_attrs, None if max_len == _UNLIMITED else max_len
            )
        except Exception:
            _logger.warning("Invalid span attributes dropped: %r", attributes)
            cleaned, dropped = {}, 0
        span._attributes = cleaned
        span._dropped_attributes = dropped

    def _set_initial_links(self, span: Span, links: Sequence[Link]) -> None:
        kept: list[Link] = []
        dropped = 0
        settings = self._settings
        limit = settings.max_links
        try:
            for link in links:
                try:
                    made = settings.make_link(link.context, link.attributes)
                except Exception:
                    _logger.warning("Invalid link dropped: %r", link)
                    continue
                if made is None:
                    continue
                if len(kept) >= limit:
                    dropped += 1
                    continue
                kept.append(made)
        except Exception:
            _logger.warning("Invalid links dropped: %r", links)
        if kept:
            span._links = kept
        span._dropped_links = dropped


class _CurrentSpanScope(_StartAsCurrentSpan):
    """The API's start_as_current_span scope with a shorter path for SDK spans.

    Made as ``_CurrentSpanScope()`` and filled by ``Tracer.start_as_current_span``
    (``object.__init__``: the cheapest allocation, no Python frame).
    """

    __slots__ = ()

    if TYPE_CHECKING:

        def __init__(self) -> None: ...

    else:
        __init__ = object.__init__

    def _fresh(self) -> _CurrentSpanScope:
        scope = _CurrentSpanScope()
        scope._tracer = self._tracer
        scope._args = self._args
        scope._end_on_exit = self._end_on_exit
        return scope

    def __enter__(self) -> trace_api.Span:
        name, base, kind, attributes, links, start_time, record, set_status = self._args
        # explicit arguments: a *args call costs an extra interpreter frame
        span = self._tracer.start_span(
            name, base, kind, attributes, links, start_time, record, set_status
        )
        self._span = span
        # a span frame: "base (default: current) + this span", see otel.context._context
        self._token = _set_current([base if base is not None else _get_current(), span, None])
        return span

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        if exc_val is not None:
            _StartAsCurrentSpan.__exit__(self, exc_type, exc_val, exc_tb)
            return
        try:
            _reset_current(self._token)  # type: ignore[arg-type]
        except Exception:
            _logger.error("Failed to restore the context: span scope exited in another context")
        if self._end_on_exit:
            span = self._span
            if type(span) is Span and span._end_time is None:
                # Span.end without its frame; tests/sdk/test_hot_path_copies.py binds the two
                span._end_time = time_ns()
                span._attr_room = -1
                processor = span._settings.processor
                try:
                    worker = processor.batch_worker  # type: ignore[union-attr]
                    if worker is None:
                        processor.on_end(span)
                    elif span._context[3] & 1:  # BatchSpanProcessor.on_end, as in Span.end
                        queue = worker.queue
                        if len(queue) < worker.wake_at:
                            queue.append(span)
                        else:
                            worker.crowded(span, len(queue))
                except Exception as exc:
                    _on_end_failed(exc)
            else:
                span.end()


class TracerProvider(trace_api.TracerProvider):
    """The SDK provider: creates tracers, owns processors, sampler, resource and limits.

    ``OTEL_SDK_DISABLED=true`` makes it hand out no-op tracers. With ``shutdown_on_exit``
    (default) it shuts down at interpreter exit, flushing batch processors.
    """

    def __init__(
        self,
        sampler: Sampler | None = None,
        resource: Resource | None = None,
        shutdown_on_exit: bool = True,
        active_span_processor: SynchronousMultiSpanProcessor | None = None,
        id_generator: IdGenerator | None = None,
        span_limits: SpanLimits | None = None,
        *,
        meter_provider: object = None,
    ) -> None:
        self._disabled = sdk_disabled()
        self._active_span_processor = (
            active_span_processor
            if active_span_processor is not None
            else SynchronousMultiSpanProcessor()
        )
        if self_metrics_enabled():  # otel.sdk.span.*: a counting hook only when switched on
            self._active_span_processor.add_span_processor(live_span_processor(meter_provider))  # type: ignore[arg-type]
        self._resource = resource if resource is not None else Resource.create()
        self.sampler = sampler if sampler is not None else _get_from_env_or_default()
        self.id_generator = id_generator if id_generator is not None else RandomIdGenerator()
        self._span_limits = span_limits if span_limits is not None else SpanLimits()
        self._tracers: dict[tuple[object, ...], trace_api.Tracer] = {}
        self._lock = allocate_lock()
        renew_lock_after_fork(self)
        self._is_shutdown = False
        self._atexit_handler = shutdown_at_exit(self) if shutdown_on_exit else None

    @property
    def resource(self) -> Resource:
        return self._resource

    def _replace_resource(self, resource: Resource) -> None:
        """Use ``resource`` from now on, here and in every tracer handed out (after fork)."""
        self._resource = resource
        for tracer in list(self._tracers.values()):
            if isinstance(tracer, Tracer):
                tracer.resource = resource

    def get_tracer(
        self,
        instrumenting_module_name: str,
        instrumenting_library_version: str | None = None,
        schema_url: str | None = None,
        attributes: Mapping[str, AttributeValue] | None = None,
    ) -> trace_api.Tracer:
        """The tracer for this scope; the same object for the same (name, version,
        schema_url, attributes)."""
        if self._disabled:
            return trace_api.NoOpTracer()
        instrumenting_module_name = scope_text(instrumenting_module_name, "name")  # type: ignore[assignment]
        instrumenting_library_version = scope_text(instrumenting_library_version, "version")
        schema_url = scope_text(schema_url, "schema_url")
        if not instrumenting_module_name:
            _logger.error("get_tracer called with an invalid instrumenting_module_name")
            instrumenting_module_name = ""
        try:
            key: tuple[object, ...] = (
                instrumenting_module_name,
                instrumenting_library_version,
                schema_url,
                tuple(sorted(attributes.items())) if attributes else (),
            )
            hash(key)
        except Exception:
            key = (
                instrumenting_module_name,
                instrumenting_library_version,
                schema_url,
                safe_repr(attributes),
            )
        tracer = self._tracers.get(key)
        if tracer is not None:
            return tracer
        with self._lock:
            tracer = self._tracers.get(key)
            if tracer is None:
                tracer = Tracer(
                    self.sampler,
                    self._resource,
                    self._active_span_processor,
                    self.id_generator,
                    InstrumentationScope(
                        instrumenting_module_name,
                        instrumenting_library_version,
                        schema_url,
                        attributes,
                    ),
                    self._span_limits,
                )
                self._tracers[key] = tracer
        return tracer

    def add_span_processor(self, span_processor: SpanProcessor) -> None:
        """Add a processor; tracers already handed out use it from now on."""
        self._active_span_processor.add_span_processor(span_processor)

    def shutdown(self) -> None:
        """Shut every processor down (flushing batch processors). Only the first call acts."""
        if self._is_shutdown:
            _logger.warning("shutdown can only be called once")
            return
        self._is_shutdown = True
        self._active_span_processor.shutdown()
        if self._atexit_handler is not None:
            atexit.unregister(self._atexit_handler)
            self._atexit_handler = None

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        """Flush every processor within ``timeout_millis``; False on failure or timeout."""
        return self._active_span_processor.force_flush(timeout_millis)
