"""``python exit_paths.py PATH``: configure otel from OTEL_*, record one span, one counter
increment and one log record (all still queued: the schedule delays are long), print
``ready`` and leave by PATH: ``end`` (falls off the end: atexit), ``sys.exit``, ``sigterm``
(SIGTERM to itself while blocked in ``time.sleep``), ``exception`` (uncaught)."""

from __future__ import annotations

import logging
import os
import signal
import sys
import time

from otel import metrics, trace
from otel.sdk._configuration import configure_sdk

configure_sdk()
trace.get_tracer("exit").start_span("pending-span").end()
metrics.get_meter("exit").create_counter("pending.counter").add(1)
logging.getLogger("exit").warning("pending-log")
print("ready", flush=True)
path = sys.argv[1]
if path == "sys.exit":
    sys.exit(0)
elif path == "sigterm":
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(30)
elif path == "exception":
    raise RuntimeError("the application failed")
