"""requests instrumentation: one CLIENT span per ``Session.send``.

``Session.send`` is wrapped: the trace context is injected into the prepared request's
headers with the global propagator, and HTTP instrumentation is suppressed while
requests runs, so an instrumented ``http.client`` below adds no second span (redirects
followed inside ``send`` are part of the same span). Nothing is traced while otel's
exporters send (they suppress instrumentation). requests is imported only when
instrumenting.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Collection
from typing import Any

from otel.context._context import _CURRENT
from otel.instrumentation._base import BaseInstrumentor
from otel.instrumentation._http import HttpTelemetry
from otel.instrumentation._http._client import ClientRequest

_logger = logging.getLogger("otel.instrumentation.requests")

_VERSIONS = {10: "1.0", 11: "1.1", 20: "2", 30: "3"}


class RequestsInstrumentor(BaseInstrumentor):
    """Traces every request made with ``requests`` (official name).

    ``instrument(tracer_provider=, meter_provider=, excluded_urls=,
    request_hook=(span, prepared_request), response_hook=(span, prepared_request,
    response))``. Hooks that raise are logged and ignored.
    """

    _original_send: Any = None

    def instrumentation_dependencies(self) -> Collection[str]:
        return ("requests >= 2.0",)

    def _instrument(self, **kwargs: Any) -> None:
        from requests.sessions import Session

        telemetry = HttpTelemetry.for_client("requests", kwargs)
        original = Session.send
        RequestsInstrumentor._original_send = original
        Session.send = _wrap_send(  # type: ignore[method-assign]
            original, telemetry, kwargs.get("request_hook"), kwargs.get("response_hook")
        )

    def _uninstrument(self, **kwargs: Any) -> None:
        from requests.sessions import Session

        if RequestsInstrumentor._original_send is not None:
            Session.send = RequestsInstrumentor._original_send  # type: ignore[method-assign]
            RequestsInstrumentor._original_send = None


def _wrap_send(
    original: Callable[..., Any],
    telemetry: HttpTelemetry,
    request_hook: Callable[[Any, Any], None] | None,
    response_hook: Callable[[Any, Any, Any], None] | None,
) -> Callable[..., Any]:
    begin = ClientRequest.begin
    capture_request = telemetry.capture_request.active
    capture_response = telemetry.capture_response.active
    set_context = _CURRENT.set
    reset_context = _CURRENT.reset
    restore = ClientRequest.restore

    @functools.wraps(original)
    def send(self: Any, request: Any, **kwargs: Any) -> Any:
        traced = begin(telemetry, request.method, request.url)
        if traced is None:
            return original(self, request, **kwargs)
        headers = request.headers
        traced.inject(headers)
        if capture_request:
            traced.capture_request_headers(headers)
        if request_hook is not None:
            try:
                request_hook(traced.span, request)
            except Exception:
                _logger.exception("requests request_hook raised; ignored")
        token = set_context(traced.context)  # traced.quiet() without its call
        try:
            response = original(self, request, **kwargs)
        except BaseException as exc:
            traced.fail(exc)
            traced.end()
            raise
        finally:
            try:
                reset_context(token)
            except Exception:  # a stale or foreign token: logged, never raised
                restore(token)
        try:
            try:
                version = _VERSIONS.get(response.raw.version)
            except Exception:  # no urllib3 response below (a test adapter, a mock)
                version = None
            traced.response(
                response.status_code,
                response.headers.items() if capture_response else None,
                version,
            )
            if response_hook is not None:
                try:
                    response_hook(traced.span, request, response)
                except Exception:
                    _logger.exception("requests response_hook raised; ignored")
        finally:
            traced.end()
        return response

    return send
