"""Per-thread re-entrancy flag shared by the logging bridge and the export paths.

While it is set in a thread, ``LoggingHandler`` drops records: whatever otel (or an
exporter's HTTP library) logs while a record is being emitted or exported in that thread
must not come back into the pipeline, or a failing exporter that logs about its failure
would feed itself forever.
"""

from __future__ import annotations

import threading

from otel._once import report_once
from otel._once import reset_reported as _reset_reported


class _Guard(threading.local):
    busy: bool = False


GUARD = _Guard()


__all__ = ["GUARD", "_reset_reported", "report_once"]
