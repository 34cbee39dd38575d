"""One outgoing HTTP request as every client instrumentation traces it.

``ClientRequest.begin(...)`` returns None (untraced) while HTTP instrumentation is
suppressed — otel's own exporters suppress it while they send — or when the URL is
excluded; otherwise a CLIENT span named ``{method}`` with the stable attributes.
``context`` (attached by ``quiet()``) makes the span current *and* suppresses HTTP
instrumentation while the library below runs, so a lower layer (``http.client`` under
``requests`` or ``urllib``) records no second CLIENT span. None of the methods raise
into the caller.

What repeats for every request to the same method and URL — the span name, the start
attributes (URL parsed and redacted, method normalised, exclusion decided) and the
metric attribute set of each outcome — is worked out once and kept in the
instrumentation's :class:`~otel.instrumentation._http._telemetry.HttpTelemetry` (a
bounded cache, see :class:`ClientTarget`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, MutableMapping
from time import perf_counter
from typing import Any

from otel.attributes import CheckedAttributes
from otel.baggage._baggage import _BAGGAGE_KEY
from otel.baggage.propagation import W3CBaggagePropagator
from otel.context import (
    _SUPPRESS_HTTP_INSTRUMENTATION_KEY,
    _SUPPRESS_INSTRUMENTATION_KEY,
    Context,
    detach,
    get_current,
)
from otel.context._context import _CURRENT
from otel.instrumentation._http._semconv import (
    OTHER,
    client_error_type,
    error_type_of,
    normalize_method,
    redact_url,
    url_parts,
)
from otel.instrumentation._http._telemetry import HttpTelemetry
from otel.propagate import _propagate as _global_propagation
from otel.propagate import get_global_textmap
from otel.propagators.composite import CompositePropagator
from otel.propagators.textmap import Setter, TextMapPropagator, default_setter
from otel.trace import Span, SpanKind, StatusCode
from otel.trace._context_helpers import _SPAN_KEY
from otel.trace._span_context import DEFAULT_TRACE_STATE
from otel.trace.propagation._tracecontext import (
    _TRACEPARENT,
    TraceContextTextMapPropagator,
    traceparent_header,
)

_logger = logging.getLogger("otel.instrumentation")
_CLIENT = SpanKind.CLIENT
_ERROR = StatusCode.ERROR
_new = object.__new__
_dict_set = dict.__setitem__
_dict_get = dict.get

# At most this many (method, URL) targets per instrumentation, and this many outcome
# attribute sets per target; a full cache is emptied and refilled (URLs with ids in
# them would otherwise grow it without bound), a full outcome table builds uncached.
# URLs longer than _MAX_CACHED_URL_CHARS are never cached.
_MAX_TARGETS = 512
_MAX_OUTCOMES = 32
_MAX_CACHED_URL_CHARS = 2048

_NO_OUTCOME = (0, None, None)

# One CheckedAttributes per distinct metric attribute set, shared by every target: the
# metric streams find a CheckedAttributes' series by its identity, so a target built anew
# (the target cache is emptied when full) must hand them the same object for the same set.
# Past _MAX_METRIC_SETS sets, plain dicts (found by their items, no identity key kept).
_MAX_METRIC_SETS = 1024
_metric_sets: dict[tuple[tuple[str, Any], ...], CheckedAttributes] = {}


def shared_metric_set(attributes: dict[str, Any]) -> Mapping[str, Any]:
    """The one CheckedAttributes of this attribute set (values hashable), or the dict
    itself once _MAX_METRIC_SETS sets are known."""
    key = tuple(attributes.items())
    found = _metric_sets.get(key)
    if found is not None:
        return found
    if len(_metric_sets) >= _MAX_METRIC_SETS:
        return attributes
    return _metric_sets.setdefault(key, CheckedAttributes(attributes))


EXCLUDED: Any = object()
"""Cached in place of a target for a URL the instrumentation must not trace."""


# The global propagator last looked at, and whether it writes nothing but what W3C Trace
# Context and W3C Baggage write (the default, ``tracecontext,baggage``).
_seen_textmap: tuple[object, bool] = (None, False)


def _plain_w3c(textmap: TextMapPropagator | None) -> bool:
    """Whether ``textmap`` is W3C Trace Context, alone or in a composite with W3C Baggage
    (exactly those classes: a subclass may inject differently); remembered for the last
    propagator asked about."""
    global _seen_textmap
    parts = textmap._propagators if type(textmap) is CompositePropagator else (textmap,)
    kinds = {type(part) for part in parts}
    plain = TraceContextTextMapPropagator in kinds and kinds <= {
        TraceContextTextMapPropagator,
        W3CBaggagePropagator,
    }
    if textmap is not None:
        _seen_textmap = (textmap, plain)
    return plain


def http_enabled(context: Context) -> bool:
    """False while ``context`` suppresses all instrumentation or HTTP instrumentation."""
    return not (
        context.get(_SUPPRESS_INSTRUMENTATION_KEY)
        or context.get(_SUPPRESS_HTTP_INSTRUMENTATION_KEY)
    )


class ClientTarget:
    """What every request with one method and URL shares: the span name, the span's
    start attributes (read-only), and the duration metric's attribute set for each
    outcome ``(status code, protocol version, error.type)``, built on first use.
    Immutable once built apart from the outcome table (GIL-atomic dict operations), so
    threads share it freely."""

    __slots__ = ("attributes", "metric", "name", "outcomes", "responses")

    def __init__(self, method: object, url: str, parts: tuple[str, str, int | None]) -> None:
        scheme, host, port = parts
        name, original = normalize_method(method)
        attributes: dict[str, Any] = {"http.request.method": name, "url.full": redact_url(url)}
        metric: dict[str, Any] = {"http.request.method": name}
        if original is not None:
            attributes["http.request.method_original"] = original
        if host:
            attributes["server.address"] = metric["server.address"] = host
        if port is not None:
            attributes["server.port"] = metric["server.port"] = port
        if scheme:
            metric["url.scheme"] = scheme
        self.name = "HTTP" if name == OTHER else name
        self.attributes = CheckedAttributes(attributes)
        self.metric = metric
        self.outcomes: dict[tuple[int, str | None, str | None], Mapping[str, Any]] = {}
        self.responses: dict[tuple[int, str | None, str | None], CheckedAttributes] = {}

    def response_attributes(self, key: tuple[int, str | None, str | None]) -> CheckedAttributes:
        """The span attributes a response adds, for ``key`` ``(status code, protocol
        version, error.type)``; kept, so later responses reuse the mapping."""
        checked = CheckedAttributes(_outcome_attributes({}, *key))
        if len(self.responses) < _MAX_OUTCOMES:
            self.responses[key] = checked
        return checked

    def outcome(
        self, status_code: int, protocol_version: str | None, error_type: str | None
    ) -> Mapping[str, Any]:
        """The metric attributes of a request that ended so: the same read-only mapping
        every time (see :func:`shared_metric_set`)."""
        key = (status_code, protocol_version, error_type)
        found = self.outcomes.get(key)
        if found is not None:
            return found
        attributes = shared_metric_set(_outcome_attributes(dict(self.metric), *key))
        if len(self.outcomes) < _MAX_OUTCOMES:
            self.outcomes[key] = attributes
        return attributes


def _outcome_attributes(
    attributes: dict[str, Any],
    status_code: int,
    protocol_version: str | None,
    error_type: str | None,
) -> dict[str, Any]:
    """``attributes`` with those of an outcome added (the ones it has)."""
    if protocol_version:
        attributes["network.protocol.version"] = protocol_version
    if status_code:
        attributes["http.response.status_code"] = status_code
    if error_type is not None:
        attributes["error.type"] = error_type
    return attributes


def client_target(
    telemetry: HttpTelemetry,
    key: tuple[Any, ...] | None,
    method: object,
    url: object,
    parts: tuple[str, str, int | None] | None,
) -> ClientTarget:
    """Build and cache the target of ``key`` (``(method, url[, parts])``; None: not
    cached): a :class:`ClientTarget`, or :data:`EXCLUDED` when the URL is excluded."""
    text = url if type(url) is str else (str(url) if url else "")
    excluded = telemetry.excluded.search
    target: ClientTarget
    if excluded is not None and excluded(text) is not None:
        target = EXCLUDED
    else:
        target = ClientTarget(method, text, parts if parts is not None else url_parts(text))
    if key is None or len(text) > _MAX_CACHED_URL_CHARS:
        return target  # huge URLs kept out: a few would hold on to megabytes
    targets = telemetry.client_targets
    if len(targets) >= _MAX_TARGETS:
        targets.clear()
    targets[key] = target
    return target


class ClientRequest:
    """A traced outgoing request: its span, the Context that holds the span, start time
    and outcome. ``response()`` or ``fail()`` notes the outcome, ``end()`` ends the span
    and records ``http.client.request.duration`` (once)."""

    __slots__ = ("_ended", "context", "outcome", "span", "start", "target", "telemetry")

    _ended: bool
    context: Context
    outcome: tuple[int, str | None, str | None]
    """``(http.response.status_code or 0, network.protocol.version, error.type)``"""
    span: Span
    start: float
    target: ClientTarget
    telemetry: HttpTelemetry

    @classmethod
    def begin(
        cls,
        telemetry: HttpTelemetry,
        method: object,
        url: object,
        parts: tuple[str, str, int | None] | None = None,
    ) -> ClientRequest | None:
        """Start tracing a request, or None when it is to stay untraced.

        ``parts`` is ``(url.scheme, server.address, server.port)`` when the caller knows
        them better than the URL does (``http.client``: the connection's); by default
        they are parsed from ``url``.
        """
        try:
            current: Any = _CURRENT.get()
            if type(current) is list:  # a span frame: the Context it stands for
                current = get_current()
            if current and (
                current.get(_SUPPRESS_INSTRUMENTATION_KEY)
                or current.get(_SUPPRESS_HTTP_INSTRUMENTATION_KEY)
            ):
                return None
            key: tuple[Any, ...] | None = (method, url) if parts is None else (method, url, parts)
            try:
                target = telemetry.client_targets.get(key)  # type: ignore[arg-type]
            except TypeError:  # an unhashable method: worked out for this request alone
                target = key = None
            if target is None:
                target = client_target(telemetry, key, method, url, parts)
            if target is EXCLUDED:
                return None
            span = telemetry.tracer.start_span(target.name, current, _CLIENT, target.attributes)
            # One Context serves both injection and the library call below: the span
            # current, HTTP instrumentation suppressed (propagators ignore the key).
            context = Context(current)
            _dict_set(context, _SPAN_KEY, span)
            _dict_set(context, _SUPPRESS_HTTP_INSTRUMENTATION_KEY, True)
            self = _new(cls)  # __init__'s work without its call
            self.telemetry = telemetry
            self.target = target
            self.span = span
            self.context = context
            self.outcome = _NO_OUTCOME
            self._ended = False
            self.start = perf_counter()
            return self
        except Exception:
            _logger.exception("Failed to start tracing an HTTP client request")
            return None

    def inject(self, carrier: Any, setter: Setter[Any] = default_setter) -> None:
        """Write the trace context of this request's span into ``carrier`` (headers),
        with the global propagator. Under the default W3C propagators, for a context
        without baggage and a span without trace state (the usual request), the
        ``traceparent`` those propagators would write is written here directly: same
        header, same value, none of their calls."""
        try:
            context = self.context
            textmap = _global_propagation._textmap
            seen, plain = _seen_textmap
            if textmap is not seen:
                plain = _plain_w3c(textmap)
            if plain and setter is default_setter and not _dict_get(context, _BAGGAGE_KEY):
                span_context = self.span.get_span_context()
                state = span_context[4]
                if state is DEFAULT_TRACE_STATE or not state:
                    if span_context[5]:  # is_valid: an invalid span context injects nothing
                        carrier[_TRACEPARENT] = traceparent_header(
                            span_context[0], span_context[1], span_context[3]
                        )
                    return
            get_global_textmap().inject(carrier, context, setter)
        except Exception:
            _logger.exception("Failed to inject trace context into an HTTP request")

    def capture_request_headers(self, headers: MutableMapping[str, Any] | None) -> None:
        capture = self.telemetry.capture_request
        if capture.active and headers is not None and self.span.is_recording():
            try:
                self.span.set_attributes(capture.capture_mapping(headers))
            except Exception:
                _logger.exception("Failed to capture HTTP request headers")

    def quiet(self) -> object:
        """Attach this request's context with HTTP instrumentation suppressed; returns the
        token for :meth:`restore`."""
        return _CURRENT.set(self.context)

    @staticmethod
    def restore(token: object) -> None:
        try:
            _CURRENT.reset(token)  # type: ignore[arg-type]
        except Exception:  # a stale or foreign token: logged, never raised
            detach(token)  # type: ignore[arg-type]

    def response(
        self,
        status_code: int,
        headers: Iterable[tuple[Any, Any]] | None = None,
        protocol_version: str | None = None,
    ) -> None:
        """Note the response: its status (ERROR for 4xx and 5xx, ``error.type`` the
        code), protocol version and, when capture is configured, headers."""
        try:
            span = self.span
            error_type = (
                client_error_type(status_code) if status_code and status_code >= 400 else None
            )
            self.outcome = key = (status_code, protocol_version, error_type)
            target = self.target
            # network.protocol.version, http.response.status_code, error.type: one
            # checked mapping per outcome, stored by the SDK without a check per value
            attributes = target.responses.get(key)
            if attributes is None:
                attributes = target.response_attributes(key)
            span.set_attributes(attributes)
            if error_type is not None:
                span.set_status(_ERROR)
            if headers is not None:
                capture = self.telemetry.capture_response
                if capture.active and span.is_recording():
                    span.set_attributes(capture.capture(headers))
        except Exception:
            _logger.exception("Failed to record an HTTP response")

    def fail(self, exception: BaseException) -> None:
        """Record ``exception`` (the request did not complete): ``error.type`` is its
        class, the span gets the exception event and status ERROR."""
        error_type = error_type_of(exception)
        self.outcome = (0, None, error_type)
        try:
            span = self.span
            if span.is_recording():
                span.set_attribute("error.type", error_type)
                span.record_exception(exception)
                span.set_status(_ERROR, f"{type(exception).__name__}: {exception}")
        except Exception:
            _logger.exception("Failed to record an HTTP client exception")

    def end(self) -> None:
        """End the span and record the duration (once)."""
        if self._ended:
            return
        self._ended = True
        elapsed_s = perf_counter() - self.start
        try:
            self.span.end()
            target = self.target
            self.telemetry.duration.record(
                elapsed_s, target.outcomes.get(self.outcome) or target.outcome(*self.outcome)
            )
        except Exception:
            _logger.exception("Failed to finish an HTTP client span")
