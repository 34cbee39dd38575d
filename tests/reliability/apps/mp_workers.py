"""``python mp_workers.py METHOD N``: configure otel from OTEL_*, then run N
``multiprocessing`` workers with start method METHOD (``forkserver-preload``: the fork
server imports and configures otel before it forks the children); each records one span, one counter
increment and one log record carrying its pid (as prefork_app does per request)."""

from __future__ import annotations

import multiprocessing
import sys

from prefork_app import app


def work(_: int) -> None:
    app({}, lambda *args: None)


if __name__ == "__main__":
    method, count = sys.argv[1], int(sys.argv[2])
    context = multiprocessing.get_context(method.split("-")[0])
    if method == "forkserver-preload":
        context.set_forkserver_preload(["prefork_app"])
    processes = [context.Process(target=work, args=(i,)) for i in range(count)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    sys.exit(max(abs(p.exitcode or 0) for p in processes))
