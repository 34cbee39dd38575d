"""Diagnostics loggers that import ``logging`` only when something is logged.

``logging`` (with ``traceback``, ``re``, ``string`` ...) is about half of what a bare
``import otel.sdk.trace`` would otherwise cost, yet otel logs only when something goes
wrong. ``get_logger(name)`` returns a :class:`LazyLogger` that resolves
``logging.getLogger(name)`` on its first call and delegates to it: the logger names (the
``otel.*`` hierarchy that handlers, filters, ``caplog`` and the logs bridge's own-record
exclusion rely on) and the records are exactly those of a module-level
``logging.getLogger``. Records name the caller's file, function and line, not this module.

Arguments are rendered lazily, as ``logging`` does, but a user object whose
``__repr__``/``__str__`` raises never turns a diagnostic into a "--- Logging error ---"
traceback: when ``msg % args`` fails, the record carries safe renderings instead.

Modules that genuinely use the logging machinery (the logs bridge, ``LoggingHandler``,
the logging instrumentation) import ``logging`` themselves.
"""

from __future__ import annotations

from _collections_abc import Mapping  # already loaded by the interpreter at start-up

TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging
    from typing import Any


def safe_repr(obj: object) -> str:
    """``repr(obj)``, or a placeholder naming the type when that raises. Never raises."""
    try:
        return repr(obj)
    except Exception:
        try:
            return f"<{type(obj).__qualname__} object (repr failed)>"
        except Exception:  # pragma: no cover - a type without a name
            return "<object (repr failed)>"


def safe_str(obj: object) -> str:
    """``str(obj)``, or :func:`safe_repr` when that raises. Never raises."""
    try:
        return str(obj)
    except Exception:
        return safe_repr(obj)


# the ``logging`` level numbers, without importing ``logging``
DEBUG, INFO, WARNING, ERROR, CRITICAL = 10, 20, 30, 40, 50


class _Shown:
    """Stands in for an argument whose ``str``/``repr`` raises."""

    __slots__ = ("_obj",)

    def __init__(self, obj: object) -> None:
        self._obj = obj

    def __str__(self) -> str:
        return safe_str(self._obj)

    def __repr__(self) -> str:
        return safe_repr(self._obj)


def safe_args(msg: object, args: tuple[object, ...]) -> tuple[object, tuple[object, ...]]:
    """``(msg, args)`` such that ``msg % args`` cannot raise (rendered once to check)."""
    if not args:
        return msg, args
    if len(args) == 1 and isinstance(args[0], Mapping):
        # ``logging`` reads a lone mapping argument as ``%(name)s`` arguments and tests
        # its truth first; otel never logs that way, so show it as a plain value
        return msg, (_Shown(args[0]),)
    try:
        str(msg) % args
        return msg, args
    except Exception:
        pass
    shown = tuple(_Shown(arg) for arg in args)
    try:
        str(msg) % shown
        return msg, shown
    except Exception:
        text = " ".join(safe_repr(arg) for arg in args)
        return f"{safe_str(msg)} [arguments: {text}]", ()


class LazyLogger:
    """A stand-in for ``logging.getLogger(name)`` that imports ``logging`` on first use."""

    __slots__ = ("_logger", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self._logger: logging.Logger | None = None

    @property
    def logger(self) -> logging.Logger:
        """The real ``logging.Logger`` (imports ``logging`` the first time)."""
        logger = self._logger
        if logger is None:
            import logging

            logger = self._logger = logging.getLogger(self.name)
        return logger

    # stacklevel + 1: the record names the caller of these methods, not this module.
    def debug(self, msg: object, *args: object, stacklevel: int = 1, **kwargs: Any) -> None:
        logger = self.logger
        if args and logger.isEnabledFor(DEBUG):
            msg, args = safe_args(msg, args)
        logger.debug(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def info(self, msg: object, *args: object, stacklevel: int = 1, **kwargs: Any) -> None:
        logger = self.logger
        if args and logger.isEnabledFor(INFO):
            msg, args = safe_args(msg, args)
        logger.info(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def warning(self, msg: object, *args: object, stacklevel: int = 1, **kwargs: Any) -> None:
        logger = self.logger
        if args and logger.isEnabledFor(WARNING):
            msg, args = safe_args(msg, args)
        logger.warning(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def error(self, msg: object, *args: object, stacklevel: int = 1, **kwargs: Any) -> None:
        logger = self.logger
        if args and logger.isEnabledFor(ERROR):
            msg, args = safe_args(msg, args)
        logger.error(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def exception(
        self, msg: object, *args: object, exc_info: Any = True, stacklevel: int = 1, **kwargs: Any
    ) -> None:
        logger = self.logger
        if args and logger.isEnabledFor(ERROR):
            msg, args = safe_args(msg, args)
        logger.exception(msg, *args, exc_info=exc_info, stacklevel=stacklevel + 1, **kwargs)

    def critical(self, msg: object, *args: object, stacklevel: int = 1, **kwargs: Any) -> None:
        logger = self.logger
        if args and logger.isEnabledFor(CRITICAL):
            msg, args = safe_args(msg, args)
        logger.critical(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def log(
        self, level: int, msg: object, *args: object, stacklevel: int = 1, **kwargs: Any
    ) -> None:
        logger = self.logger
        if args and logger.isEnabledFor(level):
            msg, args = safe_args(msg, args)
        logger.log(level, msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def isEnabledFor(self, level: int) -> bool:
        return self.logger.isEnabledFor(level)

    def getEffectiveLevel(self) -> int:
        return self.logger.getEffectiveLevel()

    def __getattr__(self, name: str) -> Any:
        # anything else public (level, handlers, setLevel, ...) is the real logger's
        if name.startswith("_"):  # never for our own unset slot, copy/pickle probes
            raise AttributeError(name)
        return getattr(self.logger, name)

    def __repr__(self) -> str:
        return f"<LazyLogger {self.name}>"


def get_logger(name: str) -> LazyLogger:
    """A lazy ``logging.getLogger(name)`` for otel's own diagnostics."""
    return LazyLogger(name)


__all__ = ["LazyLogger", "get_logger", "safe_args", "safe_repr", "safe_str"]
