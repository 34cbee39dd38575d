"""Jaeger propagation: ``uber-trace-id`` and ``uberctx-*`` / ``jaeger-baggage`` baggage.

``uber-trace-id: {trace-id}:{span-id}:{parent-span-id}:{flags}`` (the value may be
URL-encoded). Ids are hex of variable length (shorter ids are zero-padded on the left),
the trace id up to 128 and the span ids up to 64 bits; flags is a hex byte where bit 0
is *sampled* and bit 1 *debug* (debug means sampled, and is kept in the Context so
that inject sends it on). Baggage travels one entry per
``uberctx-{key}`` header with a URL-encoded value; ``jaeger-baggage: k1=v1, k2=v2`` is
read too. A malformed ``uber-trace-id`` means "no remote parent".
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from otel._log import get_logger
from otel.baggage._baggage import _entries, _metadata, _set_all, get_all
from otel.context import Context, create_key
from otel.propagators._remote import is_debug, with_remote_parent
from otel.propagators._textmap import (
    CarrierT,
    Getter,
    Setter,
    TextMapPropagator,
    default_getter,
    default_setter,
)
from otel.propagators._warn import baggage_text, warn_once
from otel.trace._context_helpers import get_current_span
from otel.trace._span_context import DEFAULT_TRACE_STATE, SpanContext, trace_flags

_logger = get_logger("otel.propagators.jaeger")

TRACE_ID_KEY = "uber-trace-id"
BAGGAGE_PREFIX = "uberctx-"
BAGGAGE_HEADER = "jaeger-baggage"
_PREFIX_LEN = len(BAGGAGE_PREFIX)
DEBUG_FLAG = 0x02
_SAMPLED_FLAG = 0x01

_UBER_TRACE_ID_RE = re.compile(
    r"([0-9a-fA-F]{1,32}):([0-9a-fA-F]{1,16}):([0-9a-fA-F]{1,16}):([0-9a-fA-F]{1,2})\Z"
)
_HEADER_TOKEN_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
_VALUE_SAFE = "!#$&'()*-./:<=>?@[]^_`{|}~"
_OWS = " \t"
# Set in the extracted Context when the caller sent the debug flag, so inject keeps it.
_DEBUG_KEY = create_key("jaeger-debug")


def _parse_uber_trace_id(value: str) -> tuple[SpanContext, bool] | None:
    """(span context, debug) from one ``uber-trace-id`` value, or None when malformed."""
    value = value.strip(_OWS)
    if "%" in value:
        value = unquote(value)
    match = _UBER_TRACE_ID_RE.match(value)
    if match is None:
        return None
    trace_hex, span_hex, _parent_hex, flags_hex = match.groups()
    trace_id = int(trace_hex, 16)
    span_id = int(span_hex, 16)
    if trace_id == 0 or span_id == 0:
        return None
    flags = int(flags_hex, 16)
    debug = bool(flags & DEBUG_FLAG)
    sampled = debug or bool(flags & _SAMPLED_FLAG)
    return (
        SpanContext(trace_id, span_id, True, trace_flags(sampled), DEFAULT_TRACE_STATE),
        debug,
    )


class JaegerPropagator(TextMapPropagator):
    """Propagates the span context and baggage in Jaeger's native headers."""

    TRACE_ID_KEY = TRACE_ID_KEY
    BAGGAGE_PREFIX = BAGGAGE_PREFIX
    DEBUG_FLAG = DEBUG_FLAG

    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
        """Context (default: a new root Context) with the remote parent and baggage.

        Baggage is read even when ``uber-trace-id`` is missing or malformed.
        """
        if context is None:
            context = Context()
        try:
            result = context
            headers = getter.get(carrier, TRACE_ID_KEY)
            if headers:
                parsed = _parse_uber_trace_id(headers[0])
                if parsed is not None:
                    span_context, debug = parsed
                    result = with_remote_parent(context, span_context, _DEBUG_KEY, debug)
            return self._extract_baggage(carrier, result, getter)
        except Exception:
            _logger.exception("Failed to extract Jaeger context; starting a new trace")
            return context

    @staticmethod
    def _extract_baggage(carrier: CarrierT, context: Context, getter: Getter[CarrierT]) -> Context:
        found: dict[str, str] = {}
        for key in getter.keys(carrier):
            if len(key) > _PREFIX_LEN and key[:_PREFIX_LEN].lower() == BAGGAGE_PREFIX:
                values = getter.get(carrier, key)
                if values:
                    found[key[_PREFIX_LEN:]] = unquote(values[0].strip(_OWS))
        for header in getter.get(carrier, BAGGAGE_HEADER) or ():
            for item in header.split(","):
                name, sep, value = item.partition("=")
                name = name.strip(_OWS)
                if sep and name:
                    found[name] = unquote(value.strip(_OWS))
        if not found:
            return context
        entries = dict(_entries(context))
        metadata = dict(_metadata(context))
        for name in found:
            entries[name] = found[name]
            metadata.pop(name, None)
        return _set_all(context, entries, metadata)

    def inject(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        setter: Setter[CarrierT] = default_setter,
    ) -> None:
        """Set ``uber-trace-id`` for a valid span context and one ``uberctx-*`` per entry."""
        try:
            span_context = get_current_span(context).get_span_context()
            if span_context.is_valid:
                flags = span_context[3] & _SAMPLED_FLAG
                if is_debug(context, _DEBUG_KEY):
                    flags |= DEBUG_FLAG | _SAMPLED_FLAG
                setter.set(
                    carrier,
                    TRACE_ID_KEY,
                    "%032x:%016x:0:%x" % (span_context[0], span_context[1], flags),  # noqa: UP031 - %-format is 1.6x faster here
                )
            for name, value in get_all(context).items():
                if not isinstance(name, str) or _HEADER_TOKEN_RE.match(name) is None:
                    warn_once(
                        _logger,
                        repr(name),
                        "Baggage name %r is not a valid header name; not sent",
                        name,
                    )
                    continue
                text = baggage_text(_logger, name, value)
                if text is None:
                    continue
                setter.set(
                    carrier, BAGGAGE_PREFIX + name, quote(text, safe=_VALUE_SAFE, errors="replace")
                )
        except Exception:
            _logger.exception("Failed to inject Jaeger headers")

    @property
    def fields(self) -> set[str]:
        return {TRACE_ID_KEY}
