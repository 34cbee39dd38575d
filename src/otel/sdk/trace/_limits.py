"""SpanLimits: how many attributes, events and links a span keeps, and how long values are."""

from __future__ import annotations

from otel._log import get_logger
from otel.sdk.config import env_str

_logger = get_logger("otel.sdk.trace")

OTEL_ATTRIBUTE_COUNT_LIMIT = "OTEL_ATTRIBUTE_COUNT_LIMIT"
OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT = "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"
OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT = "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT"
OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT = "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT"
OTEL_SPAN_EVENT_COUNT_LIMIT = "OTEL_SPAN_EVENT_COUNT_LIMIT"
OTEL_SPAN_LINK_COUNT_LIMIT = "OTEL_SPAN_LINK_COUNT_LIMIT"
OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT = "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT"
OTEL_LINK_ATTRIBUTE_COUNT_LIMIT = "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT"

_DEFAULT_COUNT_LIMIT = 128

_NOT_SET = object()


class SpanLimits:
    """Limits applied by the SDK span; each resolved as argument, then variable, then default.

    Count limits default to 128; length limits to none. ``SpanLimits.UNSET`` (-1), as an
    argument, means "no limit" regardless of the environment. The general limits
    (``max_attributes``, ``max_attribute_length``, from OTEL_ATTRIBUTE_COUNT_LIMIT and
    OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT) are the fallback of the span-, event- and
    link-specific ones. A resolved value of None means unlimited. Attributes, events and
    links beyond a limit are dropped and counted on the span (``dropped_*``).
    """

    UNSET = -1

    def __init__(
        self,
        max_attributes: int | None = None,
        max_events: int | None = None,
        max_links: int | None = None,
        max_span_attributes: int | None = None,
        max_event_attributes: int | None = None,
        max_link_attributes: int | None = None,
        max_attribute_length: int | None = None,
        max_span_attribute_length: int | None = None,
    ) -> None:
        self.max_attributes = _resolve(
            max_attributes, OTEL_ATTRIBUTE_COUNT_LIMIT, _DEFAULT_COUNT_LIMIT
        )
        self.max_attribute_length = _resolve(
            max_attribute_length, OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT, None
        )
        self.max_span_attributes = _resolve(
            max_span_attributes, OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT, self.max_attributes
        )
        self.max_span_attribute_length = _resolve(
            max_span_attribute_length,
            OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT,
            self.max_attribute_length,
        )
        self.max_events = _resolve(max_events, OTEL_SPAN_EVENT_COUNT_LIMIT, _DEFAULT_COUNT_LIMIT)
        self.max_links = _resolve(max_links, OTEL_SPAN_LINK_COUNT_LIMIT, _DEFAULT_COUNT_LIMIT)
        self.max_event_attributes = _resolve(
            max_event_attributes, OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT, self.max_attributes
        )
        self.max_link_attributes = _resolve(
            max_link_attributes, OTEL_LINK_ATTRIBUTE_COUNT_LIMIT, self.max_attributes
        )

    def __repr__(self) -> str:
        return (
            f"SpanLimits(max_span_attributes={self.max_span_attributes}, "
            f"max_events_attributes={self.max_event_attributes}, "
            f"max_link_attributes={self.max_link_attributes}, "
            f"max_attributes={self.max_attributes}, max_events={self.max_events}, "
            f"max_links={self.max_links}, max_attribute_length={self.max_attribute_length}, "
            f"max_span_attribute_length={self.max_span_attribute_length})"
        )


def _resolve(value: int | None, env_name: str, default: int | None) -> int | None:
    if value is not None:
        if value == SpanLimits.UNSET:
            return None
        if not isinstance(value, int) or value < 0:
            raise ValueError(f"Span limit must be a non-negative integer or UNSET, got {value!r}")
        return value
    raw = env_str(env_name)
    if raw is None:
        return default
    try:
        number = int(raw)
    except ValueError:
        number = -1
    if number < 0:
        _logger.warning(
            "Invalid %s=%r (need a non-negative integer); using %s", env_name, raw, default
        )
        return default
    return number
