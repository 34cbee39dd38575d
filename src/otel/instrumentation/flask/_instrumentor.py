"""Flask instrumentation, built on the WSGI middleware.

``instrument_app(app)`` wraps ``app.wsgi_app`` in :class:`OpenTelemetryMiddleware`
(tracer scope ``otel.instrumentation.flask``, excluded URLs from
``OTEL_PYTHON_FLASK_EXCLUDED_URLS``). Nothing runs inside Flask's request handling on
the common path: the app's ``request_context`` is wrapped to note the ``Request`` Flask
builds for the environ, and when the request ends the middleware reads the matched route
template from it (``url_rule.rule``, e.g. ``/users/<id>``), so the span is named
``GET /users/<id>`` and the duration metric gets ``http.route``; an unhandled
exception reaches the span through Flask's ``got_request_exception`` signal (a teardown
callback where Flask has no signals).
``instrument()`` replaces ``flask.Flask`` with a subclass that instruments every app
created afterwards. Flask is imported only when instrumenting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable
from typing import TYPE_CHECKING, Any

from otel.instrumentation._base import BaseInstrumentor
from otel.instrumentation.wsgi import OpenTelemetryMiddleware, get_request

if TYPE_CHECKING:  # Flask is imported only when instrumenting
    from flask import Flask

_FLASK = "Flask"  # the class instrument() replaces in the flask module

_logger = logging.getLogger("otel.instrumentation.flask")

_ATTR = "_otel_flask_instrumentation"


class _AppState:
    __slots__ = ("original_wsgi_app", "signal", "teardown")

    def __init__(self, original: Any, signal: Any, teardown: Any) -> None:
        self.original_wsgi_app = original
        self.signal = signal  # got_request_exception when connected to it, else None
        self.teardown = teardown  # the teardown callback added instead, else None


_request_proxy: Any = None


def _current_request() -> Any:
    """The current ``flask.Request`` (resolving the proxy once per call, not per attribute)."""
    global _request_proxy
    proxy = _request_proxy
    if proxy is None:
        import flask

        proxy = _request_proxy = flask.request
    return proxy._get_current_object()


_REQUEST_KEY = "otel.instrumentation.flask.request"


def _route_of(environ: dict[str, Any]) -> str | None:
    """The route template of the request Flask served with ``environ`` (None: no match).
    Takes the noted request out of the environ: ``request.environ`` and the environ would
    otherwise hold each other (the cycle Flask itself breaks by emptying
    ``environ["werkzeug.request"]``)."""
    rule = getattr(environ.pop(_REQUEST_KEY, None), "url_rule", None)
    return None if rule is None else rule.rule


def _noting_request_context(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``app.request_context`` that also notes the request in the environ for the route
    (Flask empties ``environ["werkzeug.request"]`` before the response is closed)."""

    def request_context(environ: Any) -> Any:
        context = original(environ)
        try:
            environ[_REQUEST_KEY] = context.request
        except Exception:
            _logger.exception("Failed to note the Flask request")
        return context

    request_context._otel_wrapper = True  # type: ignore[attr-defined]
    return request_context


def _on_exception(sender: Any, exception: BaseException | None = None, **extra: Any) -> None:
    _record_error(exception)


def _record_error(exc: BaseException | None) -> None:
    if exc is None:
        return
    try:
        state = get_request(_current_request().environ)
        if state is not None:
            state.record_exception(exc)
    except Exception:
        _logger.exception("Failed to record a Flask exception")


def _adapt_response_hook(
    hook: Callable[[Any, str, list[tuple[str, str]]], None] | None,
) -> Callable[[Any, dict[str, Any], str, list[tuple[str, str]]], None] | None:
    """Flask's response hook is ``(span, status, response_headers)`` (official)."""
    if hook is None:
        return None

    def response_hook(
        span: Any, environ: dict[str, Any], status: str, headers: list[tuple[str, str]]
    ) -> None:
        hook(span, status, headers)

    return response_hook


def _exception_signal() -> Any:
    """Flask's ``got_request_exception`` signal, or None where it cannot be connected
    (Flask before 2.3 without blinker installed)."""
    try:
        from flask import signals

        if getattr(signals, "signals_available", True):
            return signals.got_request_exception
    except Exception:
        pass
    return None


class FlaskInstrumentor(BaseInstrumentor):
    """Traces Flask apps (official name). Per app: ``instrument_app(app)``; every app
    created afterwards: ``instrument()``. Arguments: ``request_hook(span, environ)``,
    ``response_hook(span, status, response_headers)``, ``tracer_provider``,
    ``meter_provider``, ``excluded_urls`` (comma-separated regexes)."""

    _original_flask: type[Flask] | None = None

    def instrumentation_dependencies(self) -> Collection[str]:
        return ("flask >= 2.0",)

    def _instrument(self, **kwargs: Any) -> None:
        import flask

        original = flask.Flask
        options = dict(kwargs)

        class _InstrumentedFlask(flask.Flask):
            def __init__(self, *args: Any, **init_kwargs: Any) -> None:
                super().__init__(*args, **init_kwargs)
                FlaskInstrumentor.instrument_app(self, **options)

        _InstrumentedFlask.__name__ = original.__name__
        _InstrumentedFlask.__qualname__ = original.__qualname__
        FlaskInstrumentor._original_flask = original
        setattr(flask, _FLASK, _InstrumentedFlask)

    def _uninstrument(self, **kwargs: Any) -> None:
        import flask

        if FlaskInstrumentor._original_flask is not None:
            setattr(flask, _FLASK, FlaskInstrumentor._original_flask)
            FlaskInstrumentor._original_flask = None

    @staticmethod
    def instrument_app(
        app: Any,
        request_hook: Callable[[Any, dict[str, Any]], None] | None = None,
        response_hook: Callable[[Any, str, list[tuple[str, str]]], None] | None = None,
        tracer_provider: Any = None,
        excluded_urls: str | Iterable[str] | None = None,
        meter_provider: Any = None,
        **kwargs: Any,
    ) -> None:
        """Trace ``app``; a second call on the same app does nothing. Never raises."""
        if getattr(app, _ATTR, None) is not None:
            return
        try:
            middleware = OpenTelemetryMiddleware(
                app.wsgi_app,
                request_hook=request_hook,
                response_hook=_adapt_response_hook(response_hook),
                tracer_provider=tracer_provider,
                meter_provider=meter_provider,
                excluded_urls=excluded_urls,
                capture_request_headers=kwargs.get("capture_request_headers"),
                capture_response_headers=kwargs.get("capture_response_headers"),
                sanitize_headers=kwargs.get("sanitize_headers"),
                _library="FLASK",
                _scope_name="otel.instrumentation.flask",
                _route_of=_route_of,
            )
            signal = _exception_signal()
            if signal is not None:
                signal.connect(_on_exception, app, weak=False)
                state = _AppState(app.wsgi_app, signal, None)
            else:
                app.teardown_request_funcs.setdefault(None, []).append(_record_error)
                state = _AppState(app.wsgi_app, None, _record_error)
            app.request_context = _noting_request_context(app.request_context)
            app.wsgi_app = middleware
            setattr(app, _ATTR, state)
        except Exception:
            _logger.exception("Failed to instrument Flask app %r", app)

    @staticmethod
    def uninstrument_app(app: Any) -> None:
        """Undo ``instrument_app(app)``; a no-op for an app that is not instrumented."""
        state = getattr(app, _ATTR, None)
        if state is None:
            return
        try:
            app.wsgi_app = state.original_wsgi_app
            if getattr(vars(app).get("request_context"), "_otel_wrapper", False):
                del app.request_context
            if state.signal is not None:
                state.signal.disconnect(_on_exception, app)
            funcs = app.teardown_request_funcs.get(None, [])
            if state.teardown is not None and state.teardown in funcs:
                funcs.remove(state.teardown)
            delattr(app, _ATTR)
        except Exception:
            _logger.exception("Failed to uninstrument Flask app %r", app)
