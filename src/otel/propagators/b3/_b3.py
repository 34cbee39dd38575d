"""Zipkin B3 propagation: the single ``b3`` header and the ``X-B3-*`` headers.

Both propagators read both encodings (the single header wins when it holds ids) and
differ only in what they write. A 64-bit trace id is left-padded to 128 bits; the
debug flag (``d`` / ``X-B3-Flags: 1``) means sampled and is
kept in the Context, so inject sends it on; ``true``/``false`` are accepted
for ``X-B3-Sampled``. Ids must be lower-hex of the right length and not all zero;
anything else means "no remote parent" and the Context is returned unchanged.
"""

from __future__ import annotations

import re

from otel._log import get_logger
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
from otel.trace._context_helpers import get_current_span
from otel.trace._span_context import DEFAULT_TRACE_STATE, SpanContext, trace_flags

_logger = get_logger("otel.propagators.b3")

SINGLE_HEADER_KEY = "b3"
TRACE_ID_KEY = "x-b3-traceid"
SPAN_ID_KEY = "x-b3-spanid"
PARENT_SPAN_ID_KEY = "x-b3-parentspanid"
SAMPLED_KEY = "x-b3-sampled"
FLAGS_KEY = "x-b3-flags"

_TRACE_ID_RE = re.compile(r"(?:[0-9a-f]{16}){1,2}\Z")
_SPAN_ID_RE = re.compile(r"[0-9a-f]{16}\Z")
_SAMPLED = frozenset({"1", "true"})
_NOT_SAMPLED = frozenset({"0", "false"})
_OWS = " \t"
# Set in the extracted Context when the caller sent the debug flag, so inject keeps it.
_DEBUG_KEY = create_key("b3-debug")


def _span_context(trace_hex: str, span_hex: str, sampled: bool) -> SpanContext | None:
    if _TRACE_ID_RE.match(trace_hex) is None or _SPAN_ID_RE.match(span_hex) is None:
        return None
    trace_id = int(trace_hex, 16)
    span_id = int(span_hex, 16)
    if trace_id == 0 or span_id == 0:
        return None
    return SpanContext(trace_id, span_id, True, trace_flags(sampled), DEFAULT_TRACE_STATE)


def _parse_single(value: str) -> tuple[SpanContext, bool] | None:
    """``{trace}-{span}[-{1|0|d}[-{parent}]]`` -> (span context, debug); a sampling-only
    value carries no ids and gives None."""
    fields = value.strip(_OWS).split("-")
    if len(fields) < 2 or len(fields) > 4:
        return None
    debug = False
    if len(fields) >= 3:
        state = fields[2]
        if state == "d":
            debug = True
        elif state != "1" and state != "0":
            return None
        if len(fields) == 4 and _SPAN_ID_RE.match(fields[3]) is None:
            return None
    span_context = _span_context(fields[0], fields[1], debug or fields[2:3] == ["1"])
    return None if span_context is None else (span_context, debug)


def _first(getter: Getter[CarrierT], carrier: CarrierT, key: str) -> str | None:
    values = getter.get(carrier, key)
    return values[0].strip(_OWS) if values else None


def _parse_multi(getter: Getter[CarrierT], carrier: CarrierT) -> tuple[SpanContext, bool] | None:
    trace_hex = _first(getter, carrier, TRACE_ID_KEY)
    span_hex = _first(getter, carrier, SPAN_ID_KEY)
    if trace_hex is None or span_hex is None:
        return None
    debug = _first(getter, carrier, FLAGS_KEY) == "1"  # debug implies accept
    sampled = debug
    if not debug:
        state = _first(getter, carrier, SAMPLED_KEY)
        if state is not None:
            state = state.lower()
            sampled = state in _SAMPLED
            if not sampled and state not in _NOT_SAMPLED:
                _logger.debug("Malformed %s header %r: sampling deferred", SAMPLED_KEY, state)
    span_context = _span_context(trace_hex, span_hex, sampled)
    return None if span_context is None else (span_context, debug)


class _B3Base(TextMapPropagator):
    SINGLE_HEADER_KEY = SINGLE_HEADER_KEY
    TRACE_ID_KEY = TRACE_ID_KEY
    SPAN_ID_KEY = SPAN_ID_KEY
    PARENT_SPAN_ID_KEY = PARENT_SPAN_ID_KEY
    SAMPLED_KEY = SAMPLED_KEY
    FLAGS_KEY = FLAGS_KEY

    def extract(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        getter: Getter[CarrierT] = default_getter,
    ) -> Context:
        """Context (default: a new root Context) with the remote parent from ``carrier``.

        A received debug flag is kept in the Context and injected again.
        """
        if context is None:
            context = Context()
        try:
            parsed = None
            single = getter.get(carrier, SINGLE_HEADER_KEY)
            if single:
                parsed = _parse_single(single[0])
            if parsed is None:
                parsed = _parse_multi(getter, carrier)
            if parsed is None:
                return context
            span_context, debug = parsed
            return with_remote_parent(context, span_context, _DEBUG_KEY, debug)
        except Exception:
            _logger.exception("Failed to extract B3 context; starting a new trace")
            return context


class B3MultiFormat(_B3Base):
    """Writes ``X-B3-TraceId``, ``X-B3-SpanId`` and ``X-B3-Sampled`` (or ``X-B3-Flags: 1``
    for a debug trace); reads both encodings."""

    def inject(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        setter: Setter[CarrierT] = default_setter,
    ) -> None:
        try:
            span_context = get_current_span(context).get_span_context()
            if not span_context.is_valid:
                return
            setter.set(carrier, TRACE_ID_KEY, "%032x" % span_context[0])  # noqa: UP031 - %-format is 1.6x faster here
            setter.set(carrier, SPAN_ID_KEY, "%016x" % span_context[1])  # noqa: UP031 - %-format is 1.6x faster here
            if is_debug(context, _DEBUG_KEY):
                setter.set(carrier, FLAGS_KEY, "1")  # debug implies accept: no X-B3-Sampled
            else:
                setter.set(carrier, SAMPLED_KEY, "1" if span_context[3] & 1 else "0")
        except Exception:
            _logger.exception("Failed to inject B3 headers")

    @property
    def fields(self) -> set[str]:
        return {TRACE_ID_KEY, SPAN_ID_KEY, SAMPLED_KEY, FLAGS_KEY}


class B3SingleFormat(_B3Base):
    """Writes the single ``b3: {trace}-{span}-{1|0|d}`` header; reads both encodings."""

    def inject(
        self,
        carrier: CarrierT,
        context: Context | None = None,
        setter: Setter[CarrierT] = default_setter,
    ) -> None:
        try:
            span_context = get_current_span(context).get_span_context()
            if not span_context.is_valid:
                return
            state = "d" if is_debug(context, _DEBUG_KEY) else "1" if span_context[3] & 1 else "0"
            setter.set(
                carrier,
                SINGLE_HEADER_KEY,
                "%032x-%016x-%s" % (span_context[0], span_context[1], state),  # noqa: UP031 - %-format is 1.6x faster here
            )
        except Exception:
            _logger.exception("Failed to inject B3 header")

    @property
    def fields(self) -> set[str]:
        return {SINGLE_HEADER_KEY}


# The name older official releases used for the multi-header format.
B3Format = B3MultiFormat
