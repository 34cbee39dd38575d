"""The SDK's log record, its limits and the LogData that processors and exporters get."""

from __future__ import annotations

import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from otel._log import get_logger
from otel.attributes import AttributeValue, clean_attributes
from otel.context import Context
from otel.logs import AnyValue, SeverityNumber
from otel.logs import LogRecord as APILogRecord
from otel.sdk.config import env_int
from otel.sdk.resources import Resource
from otel.sdk.util.instrumentation import InstrumentationScope
from otel.trace import get_current_span

_logger = get_logger("otel.sdk.logs")

_DEFAULT_MAX_ATTRIBUTES = 128


class LogLimits:
    """Limits applied to every log record's attributes.

    ``max_attributes`` (default ``OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT``, else
    ``OTEL_ATTRIBUTE_COUNT_LIMIT``, else 128) and ``max_attribute_length`` (default
    ``OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT``, else
    ``OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT``, else unlimited). Pass ``LogLimits.UNSET`` to
    lift a limit explicitly. The environment is read when the object is created.

    ``max_log_record_attributes`` / ``max_log_record_attribute_length`` (the newer
    official names for the log-record-specific limits) take precedence when given; the
    attributes of that name read the same limits.
    """

    UNSET = -1

    __slots__ = ("max_attribute_length", "max_attributes")

    max_attributes: int | None
    max_attribute_length: int | None

    def __init__(
        self,
        max_attributes: int | None = None,
        max_attribute_length: int | None = None,
        max_log_record_attributes: int | None = None,
        max_log_record_attribute_length: int | None = None,
    ) -> None:
        if max_log_record_attributes is not None:
            max_attributes = max_log_record_attributes
        if max_log_record_attribute_length is not None:
            max_attribute_length = max_log_record_attribute_length
        self.max_attributes = _limit(
            max_attributes,
            "OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT",
            "OTEL_ATTRIBUTE_COUNT_LIMIT",
            _DEFAULT_MAX_ATTRIBUTES,
        )
        self.max_attribute_length = _limit(
            max_attribute_length,
            "OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT",
            "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT",
            None,
        )

    @property
    def max_log_record_attributes(self) -> int | None:
        return self.max_attributes

    @property
    def max_log_record_attribute_length(self) -> int | None:
        return self.max_attribute_length

    def __repr__(self) -> str:
        return (
            f"LogLimits(max_attributes={self.max_attributes}, "
            f"max_attribute_length={self.max_attribute_length})"
        )


def _limit(value: int | None, specific: str, general: str, default: int | None) -> int | None:
    if value == LogLimits.UNSET:
        return None
    if value is not None:
        if isinstance(value, int) and value >= 0:
            return value
        _logger.warning("Invalid log limit %r; using the default", value)
    sentinel = -2
    found = env_int(specific, sentinel, minimum=0)
    if found == sentinel:
        found = env_int(general, sentinel, minimum=0)
    return default if found == sentinel else found


def _exception_type_name(exc_type: type) -> str:
    module = exc_type.__module__
    if module in ("builtins", "__main__") or not module:
        return exc_type.__qualname__
    return f"{module}.{exc_type.__qualname__}"


def exception_attributes(
    exc_type: type[BaseException], exc_value: BaseException | None, exc_tb: TracebackType | None
) -> dict[str, Any]:
    """``exception.type`` (qualified unless builtin), ``.message`` and ``.stacktrace``."""
    import traceback  # only when an exception is logged: not at import time

    return {
        "exception.type": _exception_type_name(exc_type),
        "exception.message": "" if exc_value is None else str(exc_value),
        "exception.stacktrace": "".join(traceback.format_exception(exc_type, exc_value, exc_tb)),
    }


def _span_ids(context: Context | None) -> tuple[int, int, int]:
    span_context = get_current_span(context).get_span_context()
    if span_context.is_valid:
        return span_context.trace_id, span_context.span_id, span_context.trace_flags
    return 0, 0, 0


class LogRecord(APILogRecord):
    """A log record as the SDK keeps it: validated attributes, resource, dropped count.

    ``trace_id``/``span_id``/``trace_flags`` are ints (0 when not inside a span); when
    none of them is given they are taken from the span in ``context`` (default: current).
    ``observed_timestamp`` defaults to now. Attributes are validated (invalid ones
    dropped and logged once per key) and limited by ``limits``. ``exception`` adds
    ``exception.type``, ``.message`` and ``.stacktrace`` (given attributes win).
    """

    __slots__ = ("dropped_attributes", "limits", "resource")

    attributes: Mapping[str, AttributeValue]
    resource: Resource | None
    trace_id: int
    span_id: int
    trace_flags: int

    def __init__(
        self,
        timestamp: int | None = None,
        observed_timestamp: int | None = None,
        context: Context | None = None,
        trace_id: int | None = None,
        span_id: int | None = None,
        trace_flags: int | None = None,
        severity_text: str | None = None,
        severity_number: SeverityNumber | None = None,
        body: AnyValue = None,
        resource: Resource | None = None,
        attributes: Mapping[str, Any] | None = None,
        limits: LogLimits | None = None,
        event_name: str | None = None,
        exception: BaseException | None = None,
    ) -> None:
        if trace_id is None and span_id is None and trace_flags is None:
            trace_id, span_id, trace_flags = _span_ids(context)
        self.timestamp = timestamp
        self.observed_timestamp = (
            observed_timestamp if observed_timestamp is not None else time.time_ns()
        )
        self.context = context
        self.trace_id = trace_id or 0
        self.span_id = span_id or 0
        self.trace_flags = trace_flags or 0
        self.severity_text = severity_text
        self.severity_number = severity_number
        self.body = body
        self.resource = resource
        self.event_name = event_name
        self.exception = exception
        if exception is not None:
            # exception.* from the exception; attributes given by the caller win.
            merged: dict[str, Any] = exception_attributes(
                type(exception), exception, exception.__traceback__
            )
            if attributes:
                merged.update(attributes)
            attributes = merged
        if limits is None:
            limits = LogLimits()
        self.limits = limits
        if attributes:
            self.attributes, self.dropped_attributes = clean_attributes(
                attributes, limits.max_attributes, limits.max_attribute_length
            )
        else:
            self.attributes = {}  # a fresh dict: processors may add attributes
            self.dropped_attributes = 0

    # __eq__ without __hash__: Python makes the class unhashable (it is mutable)
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LogRecord):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _COMPARED)

    def to_dict(self) -> dict[str, Any]:
        """The record as a JSON-ready dict (ids as ``0x`` hex strings or None, times in ns)."""
        resource = self.resource
        resource_attributes = getattr(resource, "attributes", None) or {}
        return {
            "body": _jsonable(self.body),
            "severity_number": None if self.severity_number is None else int(self.severity_number),
            "severity_text": self.severity_text,
            "attributes": {k: _jsonable(v) for k, v in self.attributes.items()},
            "dropped_attributes": self.dropped_attributes,
            "timestamp": self.timestamp,
            "observed_timestamp": self.observed_timestamp,
            "trace_id": f"0x{self.trace_id:032x}" if self.trace_id else None,
            "span_id": f"0x{self.span_id:016x}" if self.span_id else None,
            "trace_flags": int(self.trace_flags),
            "event_name": self.event_name,
            "resource": {
                "attributes": {k: _jsonable(v) for k, v in resource_attributes.items()},
                "schema_url": getattr(resource, "schema_url", "") or "",
            },
        }

    def to_json(self, indent: int | None = 4) -> str:
        """The record as JSON (``indent=None``: one line)."""
        import json  # console output only: not at import time

        return json.dumps(self.to_dict(), indent=indent, default=str)


_COMPARED = (
    "timestamp",
    "observed_timestamp",
    "trace_id",
    "span_id",
    "trace_flags",
    "severity_text",
    "severity_number",
    "body",
    "attributes",
    "dropped_attributes",
    "resource",
    "event_name",
)


def _jsonable(value: object) -> object:
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float)):
        return value
    return str(value)


class LogData:
    """What processors and exporters receive: a record and the scope that emitted it.

    ``resource``, ``dropped_attributes`` and ``limits`` read through to the record.
    """

    __slots__ = ("instrumentation_scope", "log_record")

    def __init__(self, log_record: LogRecord, instrumentation_scope: InstrumentationScope) -> None:
        self.log_record = log_record
        self.instrumentation_scope = instrumentation_scope

    # Read like the official SDK's newer ReadableLogRecord / ReadWriteLogRecord, so that
    # processors written against it run unchanged.
    @property
    def resource(self) -> Resource | None:
        return self.log_record.resource

    @property
    def dropped_attributes(self) -> int:
        return self.log_record.dropped_attributes

    @property
    def limits(self) -> LogLimits:
        return self.log_record.limits

    # __eq__ without __hash__: Python makes the class unhashable (it is mutable)
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LogData):
            return NotImplemented
        return (
            self.log_record == other.log_record
            and self.instrumentation_scope == other.instrumentation_scope
        )

    def __repr__(self) -> str:
        return f"LogData({self.log_record!r}, {self.instrumentation_scope!r})"


#: Name used by the newer official SDK for the same limits.
LogRecordLimits = LogLimits


class LogRecordDroppedAttributesWarning(UserWarning):
    """Official warning category for log records that dropped attributes.

    otel reports such drops through ``logging`` and never emits this warning; the class
    exists so that code filtering it (``warnings.filterwarnings(..., category=...)``) runs.
    """


LogDroppedAttributesWarning = LogRecordDroppedAttributesWarning
