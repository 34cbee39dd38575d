"""One warning per problem: inject runs per request, the log must not grow with traffic."""

from __future__ import annotations

from otel._log import LazyLogger
from otel._once import FirstSeen

TYPE_CHECKING = False
if TYPE_CHECKING:
    import logging

_seen = FirstSeen(1024)


def warn_once(logger: logging.Logger | LazyLogger, key: str, message: str, *args: object) -> None:
    """Log ``message`` at WARNING the first time ``key`` is seen for ``logger``.

    The set of remembered keys is bounded; once full, further new keys are logged at
    DEBUG only. Thread-safe: a race never logs the same warning twice.
    """
    entry = (logger.name, key)
    if entry in _seen:
        return
    if _seen.first(entry):
        logger.warning(message, *args)
    elif _seen.full:
        logger.debug(message, *args)


def _reset_warnings() -> None:
    """Forget which warnings were logged (for tests)."""
    _seen.clear()


def baggage_text(logger: logging.Logger | LazyLogger, name: str, value: object) -> str | None:
    """A baggage value as the text to send, or None (warned once) when ``str()`` fails."""
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except Exception:
        warn_once(logger, repr(name), "Baggage value of %r has no str(); not sent", name)
        return None
