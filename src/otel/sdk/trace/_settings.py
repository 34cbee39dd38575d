"""What a span needs from the tracer that made it, in one read-only object.

A :class:`SpanSettings` is built once per tracer (and once per hand-built
``ReadableSpan``) and shared by every span of it: resource, instrumentation scope, the
provider's active processor and the limits, with ``None`` limits already turned into
``sys.maxsize`` so the span's hot path compares without a ``None`` test. Spans read its
public fields and call :meth:`SpanSettings.make_link`; nothing else of the tracer is
visible to them. Immutable after construction, so thread-safe.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from otel._log import get_logger
from otel.attributes import AttributeValue, clean_attributes
from otel.sdk.resources import Resource
from otel.sdk.trace._limits import SpanLimits
from otel.sdk.util._instrumentation import InstrumentationScope
from otel.trace import Link, SpanContext

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path
    from otel.sdk.trace._processor import SpanProcessor

_logger = get_logger("otel.sdk.trace")

_UNLIMITED = sys.maxsize


def _count(limit: int | None) -> int:
    return _UNLIMITED if limit is None else limit


class _NoProcessor:
    __slots__ = ()

    batch_worker = None

    def on_end(self, span: object) -> None:
        pass


class SpanSettings:
    """Resource, scope, processor and limits shared by the spans of one tracer.

    Without ``limits`` (a ``ReadableSpan`` built by hand, which never records) every
    limit is unlimited and no ``OTEL_*`` variable is read.
    """

    __slots__ = (
        "checked_room",
        "instrumentation_scope",
        "max_attr_len",
        "max_attr_len_general",
        "max_attrs",
        "max_event_attrs",
        "max_events",
        "max_link_attrs",
        "max_links",
        "processor",
        "resource",
    )

    def __init__(
        self,
        resource: Resource,
        instrumentation_scope: InstrumentationScope | None,
        processor: SpanProcessor | _NoProcessor | None = None,
        limits: SpanLimits | None = None,
    ) -> None:
        self.resource = resource
        self.instrumentation_scope = instrumentation_scope
        self.processor = processor if processor is not None else _NoProcessor()
        if limits is None:  # a ReadableSpan built by hand: it records nothing, no limits
            self.max_attrs = self.max_attr_len = self.max_events = _UNLIMITED
            self.max_event_attrs = self.max_links = self.max_link_attrs = _UNLIMITED
            self.max_attr_len_general: int | None = None
            self.checked_room = _UNLIMITED
            return
        self.max_attrs = _count(limits.max_span_attributes)
        #: string attribute values longer than this are truncated (``sys.maxsize``: never)
        self.max_attr_len = _count(limits.max_span_attribute_length)
        self.max_attr_len_general = limits.max_attribute_length
        self.max_events = _count(limits.max_events)
        self.max_event_attrs = _count(limits.max_event_attributes)
        self.max_links = _count(limits.max_links)
        self.max_link_attrs = _count(limits.max_link_attributes)
        #: the most ``CheckedAttributes`` a span copies without a check (-1: never, when
        #: values must be cut to a length)
        self.checked_room = self.max_attrs if self.max_attr_len == _UNLIMITED else -1

    def with_resource(self, resource: Resource) -> SpanSettings:
        """A copy of these settings with another resource (the originals do not change)."""
        new = SpanSettings.__new__(SpanSettings)
        for name in SpanSettings.__slots__:
            setattr(new, name, getattr(self, name))
        new.resource = resource
        return new

    def make_link(
        self, context: SpanContext, attributes: Mapping[str, AttributeValue] | None
    ) -> Link | None:
        """A link within the limits, or None when it must not be kept (logged)."""
        if not isinstance(context, SpanContext):
            _logger.warning("Link needs a SpanContext; got %r", context)
            return None
        if not context.is_valid and not context.trace_state and not isinstance(attributes, Mapping):
            return None  # spec: keep invalid-context links only if they carry data
        if attributes is not None:  # clean_attributes reads a hostile __bool__ safely
            cleaned, dropped = clean_attributes(
                attributes, self.max_link_attrs, self.max_attr_len_general
            )
            if cleaned or dropped:
                return Link(context, cleaned, dropped)
            if not context.is_valid and not context.trace_state:
                return None
        return Link(context)
