"""http.client instrumentation: one CLIENT span per request on an ``HTTPConnection``.

Three methods of ``http.client.HTTPConnection`` are wrapped: ``putrequest`` starts the
span and writes the trace context headers (so every way of sending — ``request()``,
``putrequest``/``putheader``/``endheaders``, urllib3's own ``request`` — is covered),
``endheaders`` ends it with the error if sending fails (connection refused, timeout),
and ``getresponse`` ends it with the response status. The span ends when the status
line and headers are read; reading the body is not part of it.

A request is not traced while HTTP instrumentation is suppressed: otel's exporters
suppress it while they send, and the urllib and requests instrumentations while they
run, so a request is never traced twice. The in-flight span lives in one attribute of
the connection object (one request at a time per connection, as http.client allows).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Collection
from typing import Any

from otel.instrumentation._base import BaseInstrumentor
from otel.instrumentation._http import HttpTelemetry
from otel.instrumentation._http._client import ClientRequest
from otel.propagators.textmap import Setter

_logger = logging.getLogger("otel.instrumentation.http_client")

_ATTR = "_otel_client_request"
_VERSIONS = {10: "1.0", 11: "1.1"}


class _PutHeader(Setter[Any]):
    """Writes injected headers with ``connection.putheader`` (after ``putrequest``)."""

    def set(self, carrier: Any, key: str, value: str) -> None:
        carrier.putheader(key, value)


_put_header = _PutHeader()


def _url(connection: Any, target: str, https: bool) -> tuple[str, str, str, int | None]:
    scheme = "https" if https else "http"
    host = str(connection.host)
    port = connection.port
    if target.startswith(("http://", "https://")):  # absolute form (through a proxy)
        return target, scheme, host, port
    shown = f"[{host}]" if ":" in host else host
    default = 443 if https else 80
    authority = shown if port in (None, default) else f"{shown}:{port}"
    return f"{scheme}://{authority}{target}", scheme, host, port


def _finish_pending(connection: Any) -> None:
    pending = connection.__dict__.pop(_ATTR, None)
    if pending is not None:
        pending.end()


class HTTPClientInstrumentor(BaseInstrumentor):
    """Traces ``http.client`` requests (``instrument(tracer_provider=,
    meter_provider=, excluded_urls=)``; excluded URLs also from
    ``OTEL_PYTHON_HTTP_CLIENT_EXCLUDED_URLS``)."""

    _originals: dict[str, Any] = {}

    def instrumentation_dependencies(self) -> Collection[str]:
        return ()

    def _instrument(self, **kwargs: Any) -> None:
        import http.client

        telemetry = HttpTelemetry.for_client("http_client", kwargs)
        cls = http.client.HTTPConnection
        https = getattr(http.client, "HTTPSConnection", None)
        originals: dict[str, Any] = {
            "putrequest": cls.putrequest,
            "endheaders": cls.endheaders,
            "getresponse": cls.getresponse,
        }
        HTTPClientInstrumentor._originals = originals
        wrappers = {
            "putrequest": _wrap_putrequest(originals["putrequest"], telemetry, https),
            "endheaders": _wrap_endheaders(originals["endheaders"]),
            "getresponse": _wrap_getresponse(originals["getresponse"]),
        }
        for name, wrapper in wrappers.items():
            setattr(cls, name, wrapper)

    def _uninstrument(self, **kwargs: Any) -> None:
        import http.client

        for name, original in HTTPClientInstrumentor._originals.items():
            setattr(http.client.HTTPConnection, name, original)
        HTTPClientInstrumentor._originals = {}


def _wrap_putrequest(
    original: Callable[..., Any], telemetry: HttpTelemetry, https_cls: Any
) -> Callable[..., Any]:
    @functools.wraps(original)
    def putrequest(self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        result = original(self, method, url, *args, **kwargs)
        try:
            _finish_pending(self)
            https = https_cls is not None and isinstance(self, https_cls)
            full, scheme, host, port = _url(self, url, https)
            traced = ClientRequest.begin(telemetry, method, full, (scheme, host, port))
            if traced is not None:
                self.__dict__[_ATTR] = traced
                traced.inject(self, _put_header)
        except Exception:
            _logger.exception("Failed to trace an http.client request")
        return result

    return putrequest


def _wrap_endheaders(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def endheaders(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, *args, **kwargs)
        except BaseException as exc:
            traced = self.__dict__.pop(_ATTR, None)
            if traced is not None:
                traced.fail(exc)
                traced.end()
            raise

    return endheaders


def _wrap_getresponse(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def getresponse(self: Any, *args: Any, **kwargs: Any) -> Any:
        traced = self.__dict__.pop(_ATTR, None)
        if traced is None:
            return original(self, *args, **kwargs)
        try:
            response = original(self, *args, **kwargs)
        except BaseException as exc:
            traced.fail(exc)
            traced.end()
            raise
        try:
            traced.response(response.status, response.getheaders(), _VERSIONS.get(response.version))
        finally:
            traced.end()
        return response

    return getresponse
