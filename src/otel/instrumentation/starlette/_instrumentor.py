"""``StarletteInstrumentor``: every Starlette (and FastAPI) app wrapped in the ASGI middleware.

``instrument()`` patches ``Starlette.build_middleware_stack`` so the stack an application
builds on its first request sits inside ``otel.instrumentation.asgi``'s
``OpenTelemetryMiddleware`` (outermost, so it sees the 500 answers of Starlette's error
middleware); subclasses with their own ``build_middleware_stack`` (FastAPI) likewise.
Applications keep their class (no subclass swap), and apps created before
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
_INIT_SUBCLASS = "__init_subclass__"  # hooked on Starlette so later subclasses get patched


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


def _patch_class(cls: Any, options: dict[str, Any], patched: list[tuple[type, Any]]) -> None:
    """Wrap ``cls.build_middleware_stack`` when ``cls`` defines its own (FastAPI does)."""
    original = cls.__dict__.get("build_middleware_stack")
    if original is None or getattr(original, _MARK, False):
        return

    def build_middleware_stack(self: Any) -> Any:
        stack = original(self)
        if getattr(self, _MARK, False):
            return stack  # instrument_app() wraps this one itself
        try:
            return _wrap(stack, options)
        except Exception:
            _logger.exception("Could not instrument a Starlette app; it runs untraced")
            return stack

    setattr(build_middleware_stack, _MARK, True)
    cls.build_middleware_stack = build_middleware_stack
    patched.append((cls, original))


def _subclasses(cls: Any) -> list[Any]:
    found = [cls]
    for sub in cls.__subclasses__():
        found.extend(_subclasses(sub))
    return found


class StarletteInstrumentor(BaseInstrumentor):
    """Traces Starlette applications (official: ``opentelemetry.instrumentation.starlette``).

    Subclasses that build their own middleware stack (``fastapi.FastAPI``) are patched
    too: those that exist at ``instrument()`` and those defined afterwards (through
    ``__init_subclass__``).
    """

    _patched: list[tuple[type, Any]] = []

    def instrumentation_dependencies(self) -> Collection[str]:
        return ("starlette >= 0.13",)

    def _instrument(self, **kwargs: Any) -> None:
        from starlette.applications import Starlette

        options = {key: value for key, value in kwargs.items() if value is not None}
        patched: list[tuple[type, Any]] = []
        for cls in _subclasses(Starlette):
            _patch_class(cls, options, patched)
        previous_hook = Starlette.__dict__.get(_INIT_SUBCLASS)

        def init_subclass(cls: type[Starlette], /, **class_kwargs: Any) -> None:
            if previous_hook is not None:
                previous_hook.__func__(cls, **class_kwargs)
            else:
                super(Starlette, cls).__init_subclass__(**class_kwargs)
            _patch_class(cls, options, patched)

        setattr(Starlette, _INIT_SUBCLASS, classmethod(init_subclass))
        patched.append((Starlette, (_INIT_SUBCLASS, previous_hook)))
        StarletteInstrumentor._patched = patched

    def _uninstrument(self, **kwargs: Any) -> None:
        for cls, original in reversed(StarletteInstrumentor._patched):
            if isinstance(original, tuple):
                name, previous = original
                if previous is None:
                    delattr(cls, name)
                else:
                    setattr(cls, name, previous)
            else:
                cls.build_middleware_stack = original
        StarletteInstrumentor._patched = []

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
