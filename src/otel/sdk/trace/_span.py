"""The SDK span: one ``__slots__`` object that records, then is handed to processors as is.

``ReadableSpan`` is the read-only view processors and exporters get; the SDK ``Span`` is a
subclass, so ending a span hands over the very same object (no copy). After ``end()``
every mutating method logs a warning and does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from time import gmtime, strftime, time_ns
from types import MappingProxyType

from otel import trace as trace_api
from otel._log import get_logger
from otel._once import report_once
from otel.attributes import (
    AttributeValue,
    CheckedAttributes,
    clean_attribute_value,
    clean_attributes,
)
from otel.sdk.resources import Resource
from otel.sdk.trace._settings import _UNLIMITED, SpanSettings
from otel.sdk.util._instrumentation import InstrumentationScope
from otel.trace import Link, SpanContext, SpanKind, Status, StatusCode
from otel.trace._context_helpers import _record_error
from otel.trace._status import UNSET_STATUS

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from typing import Any

_logger = get_logger("otel.sdk.trace")

# Shared by every span without attributes; only Span.set_attribute writes attributes and
# it swaps this for a fresh dict first. Never mutate it.
_NO_ATTRIBUTES: dict[str, AttributeValue] = {}
_UNSET = StatusCode.UNSET
_OK = StatusCode.OK
_ERROR = StatusCode.ERROR
_new_status = Status.__new__
# value types ``Span.set_attribute`` stores as given (ints are range-checked beside it)
_PLAIN = frozenset((str, float, bool))
# ``_attr_room`` of a span whose stored attributes are final and were checked (an ended
# span after its first read, or a hand-built ReadableSpan): read as they are
_CHECKED = -2
# builds a SpanContext from the plain tuple the tracer stores (see ``ReadableSpan._context``)
_new_span_context: Callable[[type[SpanContext], tuple[Any, ...]], SpanContext] = tuple.__new__


def _as_name(name: object) -> str:
    """A span or event name as given, or made a ``str`` (None: empty); never raises.

    The API accepts any object as a name; a name that is not a ``str`` would make an
    exporter drop the whole span, so it is converted here, where it enters.
    """
    if name is None:
        return ""
    try:
        return str(name)
    except Exception:
        _logger.warning("A span or event name whose str() fails was replaced by ''")
        return ""


class Event:
    """A timestamped, named annotation of a span, with attributes.

    ``limit`` caps the number of attributes kept (default 128, the specification's
    default event attribute count limit; None keeps all).
    """

    __slots__ = ("_attributes", "_dropped_attributes", "_name", "_timestamp")

    def __init__(
        self,
        name: str,
        attributes: Mapping[str, AttributeValue] | None = None,
        timestamp: int | None = None,
        limit: int | None = 128,
    ) -> None:
        self._name = name if type(name) is str else _as_name(name)
        if attributes:
            cleaned, dropped = clean_attributes(attributes, limit)
            self._attributes: Mapping[str, AttributeValue] = cleaned
            self._dropped_attributes = dropped
        else:
            self._attributes = _NO_ATTRIBUTES
            self._dropped_attributes = 0
        self._timestamp = timestamp if timestamp is not None else time_ns()

    @property
    def name(self) -> str:
        return self._name

    @property
    def timestamp(self) -> int:
        return self._timestamp

    @property
    def attributes(self) -> Mapping[str, AttributeValue]:
        return MappingProxyType(self._attributes)

    @property
    def dropped_attributes(self) -> int:
        return self._dropped_attributes

    def __repr__(self) -> str:
        return f"Event({self._name!r}, {dict(self._attributes)!r}, {self._timestamp})"


def _format_time(ns: int | None) -> str | None:
    if ns is None:
        return None
    seconds, rest = divmod(ns, 1_000_000_000)
    return f"{strftime('%Y-%m-%dT%H:%M:%S', gmtime(seconds))}.{rest // 1000:06d}Z"


def _format_trace_state(span_context: SpanContext) -> str:
    state = span_context.trace_state
    return str([(key, state[key]) for key in state])


def _context_json(span_context: SpanContext) -> dict[str, object]:
    return {
        "trace_id": f"0x{span_context.trace_id:032x}",
        "span_id": f"0x{span_context.span_id:016x}",
        "trace_state": _format_trace_state(span_context),
    }


class ReadableSpan:
    """Read-only view of a span, as given to ``SpanProcessor.on_end`` and exporters.

    May be built directly (e.g. by tests of exporters) with the official keyword names.
    """

    __slots__ = (
        "__weakref__",
        "_attr_room",
        "_attributes",
        "_context",
        "_dropped_attributes",
        "_dropped_events",
        "_dropped_links",
        "_end_time",
        "_events",
        "_kind",
        "_links",
        "_name",
        "_parent",
        "_settings",
        "_start_time",
        "_status",
    )

    _settings: SpanSettings
    # A SpanContext, or the plain 6-tuple with the same layout that the tracer stores
    # (a tuple subclass costs three times a tuple to build, and most spans are read only
    # by the export thread): readers that hand it out build the SpanContext once and
    # cache it in the slot; internal readers index either form (``_context[3] & 1``).
    _context: SpanContext | tuple[Any, ...]
    _parent: SpanContext | tuple[Any, ...] | None
    _events: list[Event] | tuple[()]
    _links: list[Link] | tuple[()]
    # the count limit while an SDK span records, -1 once it has ended (its attributes not
    # yet checked, see ``_read_attributes``), ``_CHECKED`` once they are
    _attr_room: int

    def __init__(
        self,
        name: str,
        context: SpanContext | None = None,
        parent: SpanContext | None = None,
        resource: Resource | None = None,
        attributes: Mapping[str, AttributeValue] | None = None,
        events: Sequence[Event] = (),
        links: Sequence[Link] = (),
        kind: SpanKind = SpanKind.INTERNAL,
        instrumentation_info: InstrumentationScope | None = None,
        status: Status = UNSET_STATUS,
        start_time: int | None = None,
        end_time: int | None = None,
        instrumentation_scope: InstrumentationScope | None = None,
    ) -> None:
        self._name = name
        self._context = context if context is not None else trace_api.INVALID_SPAN_CONTEXT
        self._parent = parent
        self._settings = SpanSettings(
            resource if resource is not None else Resource.create({}),
            instrumentation_scope if instrumentation_scope is not None else instrumentation_info,
        )
        self._attributes = dict(attributes) if attributes else {}
        self._attr_room = _CHECKED  # taken as given, as before: never checked
        self._events = list(events)
        self._links = list(links)
        self._kind = kind
        self._status = status
        self._start_time = start_time
        self._end_time = end_time
        self._dropped_attributes = 0
        self._dropped_events = 0
        self._dropped_links = 0

    # The data-model contract read by processors and exporters.

    @property
    def name(self) -> str:
        name = self._name
        if type(name) is not str:  # stored as given by start_span: converted when read
            name = self._name = _as_name(name)
        return name

    @property
    def context(self) -> SpanContext:
        context = self._context
        if not isinstance(context, SpanContext):
            context = self._context = _new_span_context(SpanContext, context)
        return context

    def get_span_context(self) -> SpanContext:
        context = self._context
        if not isinstance(context, SpanContext):
            context = self._context = _new_span_context(SpanContext, context)
        return context

    @property
    def parent(self) -> SpanContext | None:
        parent = self._parent
        if parent is not None and not isinstance(parent, SpanContext):
            parent = self._parent = _new_span_context(SpanContext, parent)
        return parent

    @property
    def kind(self) -> SpanKind:
        return self._kind

    @property
    def start_time(self) -> int | None:
        return self._start_time

    @property
    def end_time(self) -> int | None:
        return self._end_time

    @property
    def attributes(self) -> Mapping[str, AttributeValue]:
        return MappingProxyType(self._read_attributes())

    def _read_attributes(self) -> dict[str, AttributeValue]:
        """The attributes as every reader sees them, i.e. as eager validation would have
        kept them: ``Span.set_attribute`` stores a scalar value with its key unchecked and
        a ``str`` uncut, and the checks it skipped happen here, usually on the export
        thread: entries whose key is not a non-empty ``str`` dropped (logged once per key,
        as ``set_attribute`` itself would have), ``str`` values cut to the span attribute
        length limit. An ended span is checked once (the result replaces the stored dict);
        a recording span's dict is read from a copy and left as it is. Returns the stored
        dict itself when nothing needed a change (the common case). Never raises.
        """
        attributes = self._attributes
        room = self._attr_room
        if room == _CHECKED:
            return attributes
        limit = self._settings.max_attr_len
        # a recording span may be written by its thread meanwhile: read a copy (atomic)
        for key, value in (attributes if room < 0 else attributes.copy()).items():
            if type(key) is not str or not key or (type(value) is str and len(value) > limit):
                attributes = _as_set_attribute_keeps(attributes, limit)
                break
        if room < 0:  # ended: final (concurrent first readers build equal dicts)
            self._attributes = attributes
            self._attr_room = _CHECKED
        return attributes

    @property
    def events(self) -> Sequence[Event]:
        return tuple(self._events)

    @property
    def links(self) -> Sequence[Link]:
        return tuple(self._links)

    @property
    def status(self) -> Status:
        return self._status

    @property
    def resource(self) -> Resource:
        return self._settings.resource

    @property
    def instrumentation_scope(self) -> InstrumentationScope | None:
        return self._settings.instrumentation_scope

    @property
    def instrumentation_info(self) -> InstrumentationScope | None:
        """Old name of ``instrumentation_scope``."""
        return self._settings.instrumentation_scope

    @property
    def dropped_attributes(self) -> int:
        return self._dropped_attributes

    @property
    def dropped_events(self) -> int:
        return self._dropped_events

    @property
    def dropped_links(self) -> int:
        return self._dropped_links

    def _export_fields(self) -> tuple[Any, ...]:
        """What an encoder reads, in one call (the properties cost a call, and some a copy,
        each): ``(settings, context, parent, name, kind, start_time, end_time, attributes,
        events, status, dropped_attributes, dropped_events, dropped_links)``.

        ``context`` and ``parent`` (or None) are indexed in ``SpanContext``'s layout (0 trace
        id, 1 span id, 2 is_remote, 3 flags); ``attributes`` are as every reader sees them
        (:meth:`_read_attributes`); ``events`` is the stored sequence, to read only. Meant for
        ended spans on the export thread; never raises.
        """
        return (
            self._settings,
            self._context,
            self._parent,
            self.name,
            self._kind,
            self._start_time,
            self._end_time,
            self._read_attributes(),
            self._events,
            self._status,
            self._dropped_attributes,
            self._dropped_events,
            self._dropped_links,
        )

    def to_json(self, indent: int | None = 4) -> str:
        """The console format of the getting-started guide (one JSON object)."""
        import json  # only exporters format spans: keep it off the import path

        parent = self._parent
        status: dict[str, object] = {"status_code": self._status.status_code.name}
        if self._status.description:
            status["description"] = self._status.description
        body: dict[str, object] = {
            "name": self.name,
            "context": _context_json(self.context),
            "kind": str(self._kind),
            "parent_id": None if parent is None else f"0x{parent[1]:016x}",
            "start_time": _format_time(self._start_time),
            "end_time": _format_time(self._end_time),
            "status": status,
            "attributes": dict(self._read_attributes()),
            "events": [
                {
                    "name": event.name,
                    "timestamp": _format_time(event.timestamp),
                    "attributes": dict(event.attributes),
                }
                for event in self._events
            ],
            "links": [
                {"context": _context_json(link.context), "attributes": dict(link.attributes)}
                for link in self._links
            ],
            "resource": json.loads(self.resource.to_json()),
        }
        return json.dumps(body, indent=indent, default=str)

    def __repr__(self) -> str:
        return (
            f'{type(self).__name__}(name="{self.name}", '
            f"context={self.context!r}, kind={self._kind}, "
            f"start_time={self._start_time}, end_time={self._end_time})"
        )


def _as_set_attribute_keeps(
    attributes: dict[Any, AttributeValue], max_len: int
) -> dict[str, AttributeValue]:
    """A new dict of what ``Span.set_attribute``'s checks keep of ``attributes`` (stored
    unchecked by its common case): entries with a non-empty ``str`` key (the others
    dropped, the reason logged once per key), ``str`` values cut to ``max_len``."""
    kept: dict[str, AttributeValue] = {}
    for key, value in attributes.copy().items():
        if type(key) is not str or not key:
            clean_attribute_value(key, value)  # logs the reason once per key
            continue
        kept[key] = value[:max_len] if type(value) is str and len(value) > max_len else value
    return kept


def _on_end_failed(exc: Exception) -> None:
    report_once(_logger, ("trace.on_end", type(exc)), "Span processor failed in on_end")


def _exception_type_name(exception: BaseException) -> str:
    cls = type(exception)
    module = cls.__module__
    if not module or module == "builtins":
        return cls.__qualname__
    return f"{module}.{cls.__qualname__}"


class Span(ReadableSpan, trace_api.Span):
    """The SDK's recording span. Not thread-safe against concurrent mutation beyond what
    single dict operations guarantee (the spec asks for one writer at a time); never raises.
    """

    # ``_exc_mode`` (bit 1: record exceptions, bit 2: set ERROR status) is only set when
    # it differs from the default 3; ``__exit__`` reads it with a default.
    __slots__ = ("_exc_mode",)

    _exc_mode: int

    # SDK spans are created by ``Tracer.start_span`` / ``start_as_current_span`` as
    # ``Span()``, which fills the slots: ``object.__init__`` makes that call the cheapest
    # way to allocate (``Span.__new__(Span)`` goes through a slower wrapper), and calling
    # ``Span`` with arguments a TypeError.
    if TYPE_CHECKING:

        def __init__(self) -> None: ...

    else:
        __init__ = object.__init__

    # --- recording -------------------------------------------------------------------

    def set_attribute(self, key: str, value: AttributeValue) -> None:
        # The common case in one test: a str / float / bool value, or an int within 64
        # bits (-2**63, whose bit_length is 64, takes the slow path), stored as it is
        # while there is room. ``_attr_room`` is the count limit while the span records
        # and -1 once it has ended, so one comparison covers both (the tracer sets it,
        # ``end`` lowers it). The key is stored unchecked and a str value uncut: those
        # checks run when the attributes are read (``_read_attributes``), with the same
        # result and warnings. Immutable values only: anything else (sequences, other
        # types) is copied by the shared validator in ``_set_checked_attribute``, as is
        # everything on an ended or full span.
        if (type(value) in _PLAIN or (type(value) is int and value.bit_length() < 64)) and len(
            self._attributes
        ) < self._attr_room:
            try:
                self._attributes[key] = value
                return
            except Exception:  # an unhashable key (or one whose __hash__ raises)
                pass
        self._set_checked_attribute(key, value)

    def _set_checked_attribute(self, key: object, value: object) -> None:
        """``set_attribute`` of anything but the common case: ended span, full span, bad
        key, an int beyond 64 bits, sequences, other types (each refusal logged once per
        key)."""
        if self._end_time is not None:
            _logger.warning("Setting attribute on ended span.")
            return
        if type(key) is not str or not key:
            clean_attribute_value(key, value)  # logs the reason once
            return
        cleaned = clean_attribute_value(key, value, self._settings.max_attr_len)
        if cleaned is None:
            return
        attributes = self._attributes
        limit = self._settings.max_attrs
        if len(attributes) >= limit and key not in attributes and self._attr_room > 0:
            # full: the common case stores keys unchecked, and only valid ones count (as
            # if each had been checked when set). Without any to drop the span stays full
            # for good, so ``_attr_room`` 0 ends the common case and this check.
            kept = _as_set_attribute_keeps(attributes, _UNLIMITED)
            if len(kept) == len(attributes):
                self._attr_room = 0
            else:
                attributes = self._attributes = kept
        if len(attributes) < limit or key in attributes:
            attributes[key] = cleaned
        else:
            self._dropped_attributes += 1

    def set_attributes(self, attributes: Mapping[str, AttributeValue]) -> None:
        if type(attributes) is CheckedAttributes:
            # validated when built: stored as they are while every key fits (no length
            # limit: ``checked_room`` is then -1), as ``set_attribute`` would store each
            checked = attributes._items
            mine = self._attributes
            size = len(mine) + len(checked)
            if size <= self._attr_room and size <= self._settings.checked_room:
                mine.update(checked)
                return
        if self._end_time is not None:
            _logger.warning("Setting attributes on ended span.")
            return
        try:
            items = list(attributes.items())
        except Exception:
            _logger.warning("set_attributes needs a mapping; got %s", type(attributes).__name__)
            return
        set_attribute = self.set_attribute
        for key, value in items:
            set_attribute(key, value)

    def add_event(
        self,
        name: str,
        attributes: Mapping[str, AttributeValue] | None = None,
        timestamp: int | None = None,
    ) -> None:
        if self._end_time is not None:
            _logger.warning("Calling add_event() on an ended span.")
            return
        settings = self._settings
        event = _new_event(Event)
        event._name = name if type(name) is str else _as_name(name)
        if attributes is not None:  # clean_attributes reads a hostile __bool__ safely
            cleaned, dropped = clean_attributes(
                attributes, settings.max_event_attrs, settings.max_attr_len_general
            )
            event._attributes = cleaned
            event._dropped_attributes = dropped
        else:
            event._attributes = _NO_ATTRIBUTES
            event._dropped_attributes = 0
        event._timestamp = timestamp if timestamp is not None else time_ns()
        events = self._events
        if type(events) is tuple:
            if settings.max_events < 1:
                self._dropped_events += 1
                return
            self._events = [event]
            return
        if len(events) >= settings.max_events:
            self._dropped_events += 1
            return
        events.append(event)  # type: ignore[union-attr]

    def add_link(
        self, context: SpanContext, attributes: Mapping[str, AttributeValue] | None = None
    ) -> None:
        if self._end_time is not None:
            _logger.warning("Calling add_link() on an ended span.")
            return
        link = self._settings.make_link(context, attributes)
        if link is None:
            return
        links = self._links
        if len(links) >= self._settings.max_links:
            self._dropped_links += 1
            return
        if type(links) is tuple:
            self._links = [link]
        else:
            links.append(link)  # type: ignore[union-attr]

    def update_name(self, name: str) -> None:
        if self._end_time is not None:
            _logger.warning("Calling update_name() on an ended span.")
            return
        self._name = name if type(name) is str else _as_name(name)

    def is_recording(self) -> bool:
        return self._end_time is None

    def set_status(self, status: Status | StatusCode, description: str | None = None) -> None:
        """Spec rules: OK is final; UNSET is ignored; ERROR may replace ERROR or UNSET."""
        if self._end_time is not None:
            _logger.warning("Calling set_status() on an ended span.")
            return
        if self._status.status_code is _OK:
            return
        if status is _ERROR and (description is None or type(description) is str):
            # the common call, without Status.__init__'s checks (same result)
            error = _new_status(Status)
            error._status_code = _ERROR
            error._description = description
            self._status = error
            return
        if isinstance(status, Status):
            if description is not None:
                _logger.warning(
                    "Description %r ignored: pass it inside the Status object", description
                )
            new = status
        elif isinstance(status, StatusCode):
            new = Status(status, description)
        else:
            _logger.warning("set_status needs a Status or StatusCode; got %r", status)
            return
        if new.status_code is _UNSET:
            return
        self._status = new

    def record_exception(
        self,
        exception: BaseException,
        attributes: Mapping[str, AttributeValue] | None = None,
        timestamp: int | None = None,
        escaped: bool = False,
    ) -> None:
        """Add an ``exception`` event (exception.type, .message, .stacktrace, .escaped)."""
        if self._end_time is not None:
            _logger.warning("Calling record_exception() on an ended span.")
            return
        try:
            import traceback

            stacktrace = "".join(
                traceback.format_exception(type(exception), exception, exception.__traceback__)
            )
            message = str(exception)
        except Exception:  # a broken __str__ must not break the caller
            stacktrace = ""
            message = repr(type(exception))
        event_attributes: dict[str, AttributeValue] = {
            "exception.type": _exception_type_name(exception),
            "exception.message": message,
            "exception.stacktrace": stacktrace,
            "exception.escaped": bool(escaped),
        }
        if attributes is not None:
            try:
                event_attributes.update(attributes)
            except Exception:
                _logger.warning(
                    "record_exception needs a mapping of attributes; got %s",
                    type(attributes).__name__,
                )
        self.add_event("exception", event_attributes, timestamp)

    def end(self, end_time: int | None = None) -> None:
        if self._end_time is not None:
            _logger.warning("Calling end() on an ended span.")
            return
        self._end_time = end_time if end_time is not None else time_ns()
        self._attr_room = -1
        processor = self._settings.processor
        try:
            worker = processor.batch_worker  # type: ignore[union-attr]
            if worker is None:
                processor.on_end(self)
            elif self._context[3] & 1:
                # the sole processor is a BatchSpanProcessor: its on_end without its frame
                # (tests/sdk/test_hot_path_copies.py binds this copy to it)
                queue = worker.queue
                size = len(queue)
                if size < worker.wake_at:
                    queue.append(self)
                else:
                    worker.crowded(self, size)
        except Exception as exc:
            _on_end_failed(exc)

    get_span_context = ReadableSpan.get_span_context

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        if exc_val is not None and self._end_time is None and exc_type is not GeneratorExit:
            mode = getattr(self, "_exc_mode", 3)
            _record_error(self, exc_val, bool(mode & 1), bool(mode & 2))
        self.end()

    def __repr__(self) -> str:
        return ReadableSpan.__repr__(self)


_new_event = Event.__new__
