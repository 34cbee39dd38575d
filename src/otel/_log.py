"""Diagnostics loggers that import ``logging`` only when something is logged.

``logging`` (with ``traceback``, ``re``, ``string`` ...) is about half of what a bare
``import otel.sdk.trace`` would otherwise cost, yet otel logs only when something goes
wrong. ``get_logger(name)`` returns a :class:`LazyLogger` that resolves
``logging.getLogger(name)`` on its first call and delegates to it: the logger names (the
``otel.*`` hierarchy that handlers, filters, ``caplog`` and the logs bridge's own-record
exclusion rely on) and the records are exactly those of a module-level
``logging.getLogger``. Records name the caller's file, function and line, not this module.

Modules that genuinely use the logging machinery (the logs bridge, ``LoggingHandler``,
the logging instrumentation) import ``logging`` themselves.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging
    from typing import Any


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
        self.logger.debug(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def info(self, msg: object, *args: object, stacklevel: int = 1, **kwargs: Any) -> None:
        self.logger.info(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def warning(self, msg: object, *args: object, stacklevel: int = 1, **kwargs: Any) -> None:
        self.logger.warning(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def error(self, msg: object, *args: object, stacklevel: int = 1, **kwargs: Any) -> None:
        self.logger.error(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def exception(
        self, msg: object, *args: object, exc_info: Any = True, stacklevel: int = 1, **kwargs: Any
    ) -> None:
        self.logger.exception(msg, *args, exc_info=exc_info, stacklevel=stacklevel + 1, **kwargs)

    def critical(self, msg: object, *args: object, stacklevel: int = 1, **kwargs: Any) -> None:
        self.logger.critical(msg, *args, stacklevel=stacklevel + 1, **kwargs)

    def log(
        self, level: int, msg: object, *args: object, stacklevel: int = 1, **kwargs: Any
    ) -> None:
        self.logger.log(level, msg, *args, stacklevel=stacklevel + 1, **kwargs)

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


__all__ = ["LazyLogger", "get_logger"]
