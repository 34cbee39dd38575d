"""Flask instrumentation, built on the WSGI middleware.

``instrument_app(app)`` wraps ``app.wsgi_app`` in :class:`OpenTelemetryMiddleware`
(tracer scope ``otel.instrumentation.flask``, excluded URLs from
``OTEL_PYTHON_FLASK_EXCLUDED_URLS``) and adds two tiny callbacks to the app: one before
each request that reports the matched route template (``request.url_rule.rule``, e.g.
``/users/<id>``) so the span is named ``GET /users/<id>`` and the duration metric gets
``http.route``; one at teardown that records an unhandled exception on the span.
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
    __slots__ = ("before", "original_wsgi_app", "teardown")

    def __init__(self, original: Any, before: Any, teardown: Any) -> None:
        self.original_wsgi_app = original
        self.before = before
        self.teardown = teardown


_request_proxy: Any = None


def _current_request() -> Any:
    """The current ``flask.Request`` (resolving the proxy once per call, not per attribute)."""
    global _request_proxy
    proxy = _request_proxy
    if proxy is None:
        import flask

        proxy = _request_proxy = flask.request
    return proxy._get_current_object()


def _report_route() -> None:
    try:
        request = _current_request()
        rule = request.url_rule
        if rule is not None:
            state = get_request(request.environ)
            if state is not None:
                state.set_route(rule.rule)
    except Exception:
        _logger.exception("Failed to report the Flask route")


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
            )
            state = _AppState(app.wsgi_app, _report_route, _record_error)
            app.wsgi_app = middleware
            app.before_request_funcs.setdefault(None, []).insert(0, _report_route)
            app.teardown_request_funcs.setdefault(None, []).append(_record_error)
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
            for funcs, func in (
                (app.before_request_funcs.get(None, []), state.before),
                (app.teardown_request_funcs.get(None, []), state.teardown),
            ):
                if func in funcs:
                    funcs.remove(func)
            delattr(app, _ATTR)
        except Exception:
            _logger.exception("Failed to uninstrument Flask app %r", app)
