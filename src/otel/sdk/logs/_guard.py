"""Per-thread re-entrancy flag shared by the logging bridge and the export paths.

While it is set in a thread, ``LoggingHandler`` drops records: whatever otel (or an
exporter's HTTP library) logs while a record is being emitted or exported in that thread
must not come back into the pipeline, or a failing exporter that logs about its failure
would feed itself forever.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Hashable

from otel._once import FirstSeen


class _Guard(threading.local):
    busy: bool = False


GUARD = _Guard()


_reported = FirstSeen(256)


def report_once(logger: logging.Logger, key: Hashable, message: str, *args: object) -> None:
    """Log ``message`` with the current exception's traceback, once per ``key``.

    A component that fails on every record (a broken processor, a bad exporter) must not
    turn each log call into a traceback of its own.
    """
    if _reported.first(key):
        logger.exception(message + " (reported once)", *args)


def _reset_reported() -> None:
    """Forget what was reported (tests)."""
    _reported.clear()
