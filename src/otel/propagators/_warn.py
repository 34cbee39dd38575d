"""One warning per problem: inject runs per request, the log must not grow with traffic."""

from __future__ import annotations

import logging

_MAX_KEYS = 1024
_seen: set[tuple[str, str]] = set()


def warn_once(logger: logging.Logger, key: str, message: str, *args: object) -> None:
    """Log ``message`` at WARNING the first time ``key`` is seen for ``logger``.

    The set of remembered keys is bounded; once full, further new keys are logged at
    DEBUG only. Thread-safe enough: a race logs the same warning twice, never raises.
    """
    entry = (logger.name, key)
    if entry in _seen:
        return
    if len(_seen) >= _MAX_KEYS:
        logger.debug(message, *args)
        return
    _seen.add(entry)
    logger.warning(message, *args)


def _reset_warnings() -> None:
    """Forget which warnings were logged (for tests)."""
    _seen.clear()
