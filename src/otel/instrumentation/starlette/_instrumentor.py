"""``StarletteInstrumentor``: every Starlette (and FastAPI) app wrapped in the ASGI middleware.

``instrument()`` patches ``Starlette.build_middleware_stack`` so the stack an application
builds on its first request sits inside ``otel.instrumentation.asgi``'s
``OpenTelemetryMiddleware`` (outermost, so it sees the 500 answers of Starlette's error
middleware). Applications keep their class (no subclass swap), and apps created before
``instrument()`` are covered as long as they have not served a request yet.
``instrument_app(app)`` does the same for one application. Keyword arguments of
``instrument()`` / ``instrument_app()`` go to the middleware.
"""

from __future__ import annotations

import importlib
from collections.abc import Collection
from typing import Any

from otel._log import get_logger
from otel.instrumentation.instrumentor import BaseInstrumentor

_logger = get_logger("otel.instrumentation.starlette")
_MARK = "_otel_starlette_instrumented"


def _middleware() -> Any:
    try:
        module = importlib.import_module("otel.instrumentation.asgi")
    except ImportError:  # this otel build has no ASGI instrumentation
        return None
    return getattr(module, "OpenTelemetryMiddleware", None)


def _wrap(stack: Any, options: dict[str, Any]) -> Any:
    middleware = _middleware()
    if middleware is None or getattr(stack, _MARK, False):
        return stack
    wrapped = middleware(stack, **options)
    try:
        setattr(wrapped, _MARK, True)
    except AttributeError:  # pragma: no cover - a middleware with __slots__
        pass
    return wrapped


class StarletteInstrumentor(BaseInstrumentor):
    """Traces Starlette applications (official: ``opentelemetry.instrumentation.starlette``)."""

    _original: Any = None

    def instrumentation_dependencies(self) -> Collection[str]:
        return ("starlette >= 0.13",)

    def _instrument(self, **kwargs: Any) -> None:
        from starlette.applications import Starlette

        original = Starlette.build_middleware_stack
        options = {key: value for key, value in kwargs.items() if value is not None}

        def build_middleware_stack(self: Any) -> Any:
            stack = original(self)
            if getattr(self, _MARK, False):
                return stack  # instrument_app() wraps this one itself
            try:
                return _wrap(stack, options)
            except Exception:
                _logger.exception("Could not instrument a Starlette app; it runs untraced")
                return stack

        StarletteInstrumentor._original = original
        Starlette.build_middleware_stack = build_middleware_stack  # type: ignore[method-assign]

    def _uninstrument(self, **kwargs: Any) -> None:
        from starlette.applications import Starlette

        if StarletteInstrumentor._original is not None:
            Starlette.build_middleware_stack = StarletteInstrumentor._original  # type: ignore[method-assign]
            StarletteInstrumentor._original = None

    @staticmethod
    def instrument_app(app: Any, **kwargs: Any) -> None:
        """Trace one application (before it serves its first request)."""
        if getattr(app, _MARK, False):
            return
        original = app.build_middleware_stack
        options = {key: value for key, value in kwargs.items() if value is not None}

        def build_middleware_stack() -> Any:
            return _wrap(original(), options)

        app.build_middleware_stack = build_middleware_stack
        setattr(app, _MARK, True)
