"""Error handlers: send exceptions to plugins instead of crashing (official name).

``with GlobalErrorHandler(): ...`` runs a block and never lets an ``Exception`` out of it.
The exception goes to every installed :class:`ErrorHandler` plugin whose class is a
subclass of the exception's type, as in the official SDK (a plugin
``class H(ErrorHandler, ZeroDivisionError)`` handles a ``ZeroDivisionError``, and also an
``ArithmeticError`` or plain ``Exception``, but not a subclass of ``ZeroDivisionError``
it does not derive from); when no plugin handles it, it is logged
with its traceback on the ``otel.sdk.error_handler`` logger. Plugins are found through
the ``otel_error_handler`` entry-point group (the official one is
``opentelemetry_error_handler``), once, the first time an error is handled, and can be
added at run time with :func:`register_error_handler`.

A plugin that raises while handling is logged and skipped; ``BaseException``s that are not
``Exception`` (``KeyboardInterrupt``, ``SystemExit``) pass through untouched.
"""

from __future__ import annotations

import threading
from types import TracebackType

from otel._log import get_logger

__all__ = ["ENTRY_POINT_GROUP", "ErrorHandler", "GlobalErrorHandler", "register_error_handler"]

ENTRY_POINT_GROUP = "otel_error_handler"

_logger = get_logger("otel.sdk.error_handler")


class ErrorHandler:
    """Base class of error-handler plugins; also inherit the exception types to handle."""

    def _handle(self, error: Exception, *args: object, **kwargs: object) -> None:
        """Handle ``error``; the default logs it with its traceback."""
        _logger.exception("Unhandled error", exc_info=error)


_lock = threading.Lock()
_registered: list[type[ErrorHandler]] = []
_loaded = False


def register_error_handler(handler_class: type[ErrorHandler]) -> None:
    """Add an error-handler plugin class without an entry point (e.g. in tests)."""
    if not (isinstance(handler_class, type) and issubclass(handler_class, ErrorHandler)):
        raise TypeError(f"{handler_class!r} is not an ErrorHandler subclass")
    with _lock:
        if handler_class not in _registered:
            _registered.append(handler_class)


def _load_entry_points() -> None:
    global _loaded
    with _lock:
        if _loaded:
            return
        _loaded = True
    try:
        from importlib.metadata import entry_points

        found = list(entry_points(group=ENTRY_POINT_GROUP))
    except Exception:
        _logger.exception("Listing the %s entry points failed", ENTRY_POINT_GROUP)
        return
    for entry_point in found:
        try:
            handler_class = entry_point.load()
            register_error_handler(handler_class)
        except Exception:
            _logger.exception("Error handler plugin %s could not be loaded", entry_point.name)


def _handlers() -> list[type[ErrorHandler]]:
    _load_entry_points()
    with _lock:
        return list(_registered)


def _reset() -> None:
    """Forget registered plugins and reload entry points next time (for tests)."""
    global _loaded
    with _lock:
        _registered.clear()
        _loaded = False


class GlobalErrorHandler:
    """Context manager that hands any ``Exception`` raised in its block to the plugins.

    A singleton, like the official one: every ``GlobalErrorHandler()`` is the same object.
    Thread-safe; never raises from ``__exit__``; the block's exception is swallowed.
    """

    _instance: GlobalErrorHandler | None = None

    def __new__(cls) -> GlobalErrorHandler:
        instance = cls._instance
        if instance is None:
            instance = cls._instance = super().__new__(cls)
        return instance

    def __enter__(self) -> GlobalErrorHandler:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool | None:
        if exc_value is None:
            return None
        if not isinstance(exc_value, Exception):
            return None  # KeyboardInterrupt, SystemExit, GeneratorExit: not ours to stop
        handled = False
        for handler_class in _handlers():
            try:
                if not issubclass(handler_class, type(exc_value)):
                    continue
                handled = True
                handler_class()._handle(exc_value)
            except Exception:
                _logger.exception("Error handler %s failed", handler_class.__name__)
        if not handled:
            _logger.exception("Unhandled error", exc_info=exc_value)
        return True
