"""Instructions executed per span operation, under valgrind's callgrind: a deterministic
figure on a shared machine (repeats to ±0.1% within one source tree).

    .venv/bin/python benchmarks/callgrind_span.py SRC [CASE ...]

SRC is a source tree (this checkout's ``src``, or e.g. main's from ``git archive``);
CASE is one of ``span4`` (``with start_as_current_span`` + 4 ``set_attribute``, the
default), ``with``, ``startend``, ``children``, ``event``, ``floor``. Each case runs
twice under callgrind, with 0 and N operations (batch worker threads never started, their
queues emptied every 100 operations, ``PYTHONHASHSEED=0``), and prints
(instructions of N - instructions of 0) / N. Needs ``valgrind`` (Debian package).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from instructions import count_instructions

HERE = Path(__file__).resolve().parent
PYTHON = str(HERE.parent / ".venv" / "bin" / "python")
CALLS = 2000

CHILD = r"""
import gc, sys, threading
threading.Thread.start = lambda self: None  # no batch worker thread: one path, one thread
import bench_floor, bench_trace
case, calls = sys.argv[1], int(sys.argv[2])
fn = {
    "span4": lambda: bench_trace.with_current_4_attributes("otel"),
    "with": lambda: bench_trace.with_current("otel"),
    "startend": lambda: bench_trace.start_end("otel"),
    "children": lambda: bench_trace.parent_3_children("otel"),
    "event": lambda: bench_trace.event_and_status("otel"),
    "floor": bench_floor._span_floor,
}[case]()
from otel.sdk._batch import BatchWorker
queues = [o.queue for o in gc.get_objects() if isinstance(o, BatchWorker)]
queues.append(bench_floor._q)
for _ in range(300):
    fn()
for q in queues:
    q.clear()
for _ in range(calls // 100):
    for _ in range(100):
        fn()
    for q in queues:
        q.clear()
"""


def _instructions(src: str, case: str, calls: int) -> int:
    env = dict(os.environ, PYTHONPATH=f"{src}:{HERE}")
    return count_instructions([PYTHON, "-c", CHILD, case, str(calls)], env, HERE)


def main() -> None:
    src = sys.argv[1]
    for case in sys.argv[2:] or ["span4"]:
        per_op = (_instructions(src, case, CALLS) - _instructions(src, case, 0)) / CALLS
        print(f"{case:10s} {per_op:10,.0f} instructions per operation")


if __name__ == "__main__":
    main()
