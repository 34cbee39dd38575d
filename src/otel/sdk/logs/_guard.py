"""Per-thread re-entrancy flag shared by the logging bridge and the export paths.

While it is set in a thread, ``LoggingHandler`` drops records: whatever otel (or an
exporter's HTTP library) logs while a record is being emitted or exported in that thread
must not come back into the pipeline, or a failing exporter that logs about its failure
would feed itself forever.
"""

from __future__ import annotations

import logging
import os
import threading


class _Guard(threading.local):
    busy: bool = False


GUARD = _Guard()


_MAX_REPORTED = 256
_reported: set[object] = set()
_reported_lock = threading.Lock()


def _renew_reported_lock() -> None:
    """In a forked child: a fresh lock (another thread may have held it at fork time)."""
    global _reported_lock
    _reported_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_renew_reported_lock)


def report_once(logger: logging.Logger, key: object, message: str, *args: object) -> None:
    """Log ``message`` with the current exception's traceback, once per ``key``.

    A component that fails on every record (a broken processor, a bad exporter) must not
    turn each log call into a traceback of its own.
    """
    if key in _reported:
        return
    with _reported_lock:
        if key in _reported or len(_reported) >= _MAX_REPORTED:
            return
        _reported.add(key)
    logger.exception(message + " (reported once)", *args)


def _reset_reported() -> None:
    """Forget what was reported (tests)."""
    with _reported_lock:
        _reported.clear()
