"""``python fork_stress.py N``: fork N children while two threads keep ending spans and
recording logs (so the batch workers are often holding their locks or in the middle of an
OTLP export when the fork happens). Each child ends one span ``child`` with its index,
flushes spans and logs and leaves with ``os._exit``; a child that does not finish within
10 s is killed and counted as hung. Prints ``forks=N hung=H failed=F`` and exits 1 on
any hung or failed child."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time

from otel import _logs, trace
from otel.sdk._configuration import configure_sdk

components = configure_sdk()
tracer = trace.get_tracer("stress")
logger = logging.getLogger("stress")
stop = threading.Event()


def load() -> None:
    while not stop.is_set():
        with tracer.start_as_current_span("load"):
            logger.warning("load")
        time.sleep(0)


def wait_child(pid: int, timeout: float) -> int | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.002)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return None


def main(count: int) -> int:
    threads = [threading.Thread(target=load, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    hung = failed = 0
    for index in range(count):
        pid = os.fork()
        if pid == 0:
            code = 2
            try:
                tracer.start_span("child", attributes={"child.index": index}).end()
                logger.warning("child %d", index)
                spans = components.tracer_provider.force_flush(5000)
                logs = _logs.get_logger_provider().force_flush(5000)  # type: ignore[attr-defined]
                code = 0 if spans and logs else 3
            finally:
                os._exit(code)
        code = wait_child(pid, 10.0)
        if code is None:
            hung += 1
        elif code != 0:
            failed += 1
    stop.set()
    for thread in threads:
        thread.join(5)
    print(f"forks={count} hung={hung} failed={failed}", flush=True)
    return 1 if hung or failed else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
