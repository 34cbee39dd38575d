"""The Span interface, SpanKind, Link and the non-recording span used without an SDK."""

from __future__ import annotations

import abc
import enum
from collections.abc import Mapping
from types import TracebackType

from otel._log import safe_repr
from otel.attributes import AttributeValue
from otel.trace._span_context import INVALID_SPAN_CONTEXT, SpanContext
from otel.trace._status import Status, StatusCode

_EMPTY_ATTRIBUTES: Mapping[str, AttributeValue] = {}


class SpanKind(enum.Enum):
    """The role of a span in a trace (values as in OTLP minus one)."""

    INTERNAL = 0
    SERVER = 1
    CLIENT = 2
    PRODUCER = 3
    CONSUMER = 4


class Link:
    """A reference from a span to another span context, with attributes."""

    __slots__ = ("_attributes", "_context", "_dropped_attributes")

    def __init__(
        self,
        context: SpanContext,
        attributes: Mapping[str, AttributeValue] | None = None,
        _dropped_attributes: int = 0,
    ) -> None:
        self._context = context
        self._attributes = attributes if attributes is not None else _EMPTY_ATTRIBUTES
        self._dropped_attributes = _dropped_attributes

    @property
    def context(self) -> SpanContext:
        return self._context

    @property
    def attributes(self) -> Mapping[str, AttributeValue]:
        return self._attributes

    @property
    def dropped_attributes(self) -> int:
        return self._dropped_attributes

    def __repr__(self) -> str:
        try:
            attributes = safe_repr(dict(self._attributes))
        except Exception:
            attributes = safe_repr(self._attributes)
        return f"Link({safe_repr(self._context)}, {attributes})"


class Span(abc.ABC):
    """A single operation within a trace.

    A Span is used by one logical thread of work at a time; the SDK span still never
    raises from any of these methods (invalid input is logged and dropped). Used as a
    context manager, a span is ended on exit.
    """

    __slots__ = ()

    @abc.abstractmethod
    def end(self, end_time: int | None = None) -> None:
        """End the span (``end_time`` in ns since the epoch); later calls are ignored."""

    @abc.abstractmethod
    def get_span_context(self) -> SpanContext:
        """The span's immutable SpanContext (valid even after ``end``)."""

    @abc.abstractmethod
    def set_attributes(self, attributes: Mapping[str, AttributeValue]) -> None:
        """Set several attributes; invalid ones are dropped with a one-time warning."""

    @abc.abstractmethod
    def set_attribute(self, key: str, value: AttributeValue) -> None:
        """Set one attribute; an invalid one is dropped with a one-time warning."""

    @abc.abstractmethod
    def add_event(
        self,
        name: str,
        attributes: Mapping[str, AttributeValue] | None = None,
        timestamp: int | None = None,
    ) -> None:
        """Record a named event at ``timestamp`` ns (default: now)."""

    def add_link(  # noqa: B027
        self, context: SpanContext, attributes: Mapping[str, AttributeValue] | None = None
    ) -> None:
        """Link this span to ``context`` after creation (no-op unless recording)."""

    @abc.abstractmethod
    def update_name(self, name: str) -> None:
        """Replace the span name."""

    @abc.abstractmethod
    def is_recording(self) -> bool:
        """True while the span records data (sampled-in by the SDK and not ended)."""

    @abc.abstractmethod
    def set_status(self, status: Status | StatusCode, description: str | None = None) -> None:
        """Set the status; OK is final, UNSET never overrides (spec status rules)."""

    @abc.abstractmethod
    def record_exception(
        self,
        exception: BaseException,
        attributes: Mapping[str, AttributeValue] | None = None,
        timestamp: int | None = None,
        escaped: bool = False,
    ) -> None:
        """Add an ``exception`` event with exception.type, .message and .stacktrace."""

    def __enter__(self) -> Span:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        self.end()


class NonRecordingSpan(Span):
    """A span that records nothing but carries a SpanContext, so it can still propagate."""

    __slots__ = ("_context",)

    def __init__(self, context: SpanContext) -> None:
        self._context = context

    def get_span_context(self) -> SpanContext:
        return self._context

    def is_recording(self) -> bool:
        return False

    def end(self, end_time: int | None = None) -> None:
        pass

    def set_attributes(self, attributes: Mapping[str, AttributeValue]) -> None:
        pass

    def set_attribute(self, key: str, value: AttributeValue) -> None:
        pass

    def add_event(
        self,
        name: str,
        attributes: Mapping[str, AttributeValue] | None = None,
        timestamp: int | None = None,
    ) -> None:
        pass

    def add_link(
        self, context: SpanContext, attributes: Mapping[str, AttributeValue] | None = None
    ) -> None:
        pass

    def update_name(self, name: str) -> None:
        pass

    def set_status(self, status: Status | StatusCode, description: str | None = None) -> None:
        pass

    def record_exception(
        self,
        exception: BaseException,
        attributes: Mapping[str, AttributeValue] | None = None,
        timestamp: int | None = None,
        escaped: bool = False,
    ) -> None:
        pass

    def __repr__(self) -> str:
        return f"NonRecordingSpan({self._context!r})"


INVALID_SPAN = NonRecordingSpan(INVALID_SPAN_CONTEXT)
