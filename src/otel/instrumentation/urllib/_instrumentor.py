"""urllib.request instrumentation: one CLIENT span per HTTP(S) hop of ``urlopen``.

``OpenerDirector._open`` is wrapped (each redirect hop passes through it, so each hop
gets its own span). The trace context goes into the request as unredirected headers;
HTTP instrumentation is suppressed while urllib sends, so an instrumented
``http.client`` below adds no second span. Schemes other than http/https (``file:``,
``data:``, ``ftp:``) are not traced.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Collection
from typing import Any

from otel.instrumentation._base import BaseInstrumentor
from otel.instrumentation._http import HttpTelemetry
from otel.instrumentation._http._client import ClientRequest
from otel.instrumentation._http._semconv import url_parts
from otel.propagators.textmap import Setter

_logger = logging.getLogger("otel.instrumentation.urllib")
_VERSIONS: dict[object, str] = {10: "1.0", 11: "1.1"}  # looked up with any .version


class _RequestSetter(Setter[Any]):
    def set(self, carrier: Any, key: str, value: str) -> None:
        carrier.add_unredirected_header(key, value)


_request_setter = _RequestSetter()


def _status(response: Any) -> int:
    status = getattr(response, "status", None)
    if isinstance(status, int):
        return status
    code = getattr(response, "code", None)
    return code if isinstance(code, int) else 0


class URLLibInstrumentor(BaseInstrumentor):
    """Traces ``urllib.request`` (official name). ``instrument(tracer_provider=,
    meter_provider=, excluded_urls=, request_hook=(span, request),
    response_hook=(span, request, response))``."""

    _original_open: Any = None

    def instrumentation_dependencies(self) -> Collection[str]:
        return ()

    def _instrument(self, **kwargs: Any) -> None:
        import urllib.request

        telemetry = HttpTelemetry.for_client("urllib", kwargs)
        director: Any = urllib.request.OpenerDirector
        original = director._open
        URLLibInstrumentor._original_open = original
        director._open = _wrap_open(
            original, telemetry, kwargs.get("request_hook"), kwargs.get("response_hook")
        )

    def _uninstrument(self, **kwargs: Any) -> None:
        import urllib.request

        if URLLibInstrumentor._original_open is not None:
            director: Any = urllib.request.OpenerDirector
            director._open = URLLibInstrumentor._original_open
            URLLibInstrumentor._original_open = None


def _wrap_open(
    original: Callable[..., Any],
    telemetry: HttpTelemetry,
    request_hook: Callable[[Any, Any], None] | None,
    response_hook: Callable[[Any, Any, Any], None] | None,
) -> Callable[..., Any]:
    @functools.wraps(original)
    def _open(self: Any, req: Any, *args: Any, **kwargs: Any) -> Any:
        traced = None
        try:
            url = req.full_url
            parts = url_parts(url)
            if parts[0] in ("http", "https"):
                traced = ClientRequest.begin(telemetry, req.get_method(), url, parts)
        except Exception:
            _logger.exception("Failed to trace a urllib request")
        if traced is None:
            return original(self, req, *args, **kwargs)
        traced.inject(req, _request_setter)
        if request_hook is not None:
            try:
                request_hook(traced.span, req)
            except Exception:
                _logger.exception("urllib request_hook raised; ignored")
        token = traced.quiet()
        try:
            response = original(self, req, *args, **kwargs)
        except BaseException as exc:
            status = getattr(exc, "code", None)
            if isinstance(status, int):
                traced.response(status)
            else:
                traced.fail(exc)
            traced.end()
            raise
        finally:
            traced.restore(token)
        try:
            headers = getattr(response, "headers", None)
            traced.response(
                _status(response),
                headers.items() if headers is not None else None,
                _VERSIONS.get(getattr(response, "version", None)),
            )
            if response_hook is not None:
                try:
                    response_hook(traced.span, req, response)
                except Exception:
                    _logger.exception("urllib response_hook raised; ignored")
        finally:
            traced.end()
        return response

    return _open
