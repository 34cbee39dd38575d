"""histogram.record / counter.add of two source trees, alternated, in thread CPU time.

    .venv/bin/python benchmarks/alternate_record.py ROUNDS OLD_SRC [NEW_SRC]
    .venv/bin/python benchmarks/alternate_record.py opcodes OLD_SRC [NEW_SRC]

OLD_SRC is e.g. main's ``src`` (``git archive main src | tar -x -C /tmp/old``); NEW_SRC
defaults to this checkout's. Each round runs one child per tree (order swapped every
round); a child times 15 x 20,000 calls with ``time.thread_time_ns`` and keeps its best.
Per-thread CPU time, because wall time on a shared machine moves by tens of percent.
"""

import json
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json
import sys
import time

from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import InMemoryMetricReader

provider = MeterProvider(metric_readers=[InMemoryMetricReader()], shutdown_on_exit=False)
meter = provider.get_meter("bench")
histogram = meter.create_histogram("http.server.duration", unit="ms")
counter = meter.create_counter("http.server.requests")
CASES = {
    "histogram.record(12.5, {route, code})": lambda: histogram.record(
        12.5, {"route": "/api/users", "code": 200}
    ),
    "histogram.record(7, {route, code})": lambda: histogram.record(
        7, {"route": "/api/users", "code": 200}
    ),
    "counter.add(1, {route, code})": lambda: counter.add(1, {"route": "/api/users", "code": 200}),
}
out = {}
if sys.argv[1] == "opcodes":  # bytecodes executed by one call, and Python frames entered
    for name, fn in CASES.items():
        fn()
        seen = [0, 0]

        def tracer(frame, event, arg):
            frame.f_trace_opcodes = True
            seen[event == "call"] += event in ("call", "opcode")
            return tracer

        sys.settrace(tracer)
        fn()
        sys.settrace(None)
        out[name] = seen
    print(json.dumps(out))
    sys.exit()
for name, fn in CASES.items():
    best = float("inf")
    for _ in range(int(sys.argv[1])):
        start = time.thread_time_ns()
        for _ in range(20000):
            fn()
        best = min(best, (time.thread_time_ns() - start) / 20000)
    out[name] = best
print(json.dumps(out))
"""
ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def main() -> None:
    trees = {"old": sys.argv[2], "new": sys.argv[3] if len(sys.argv) > 3 else str(ROOT / "src")}
    if sys.argv[1] == "opcodes":  # deterministic: [bytecodes, frames] per call (the lambda's too)
        for label, tree in trees.items():
            env = {"PYTHONPATH": tree, "PATH": "/usr/bin"}
            out = subprocess.check_output([PYTHON, "-c", CHILD, "opcodes"], env=env)
            print(label, out.decode().strip())
        return
    rounds = int(sys.argv[1])
    best: dict[str, dict[str, list[float]]] = {}
    for rnd in range(rounds):
        for label in ("old", "new") if rnd % 2 == 0 else ("new", "old"):
            env = {"PYTHONPATH": trees[label], "PATH": "/usr/bin"}
            out = subprocess.check_output([PYTHON, "-c", CHILD, "15"], env=env)
            for case, ns in json.loads(out).items():
                best.setdefault(case, {}).setdefault(label, []).append(ns)
    for case, runs in best.items():
        old, new = min(runs["old"]), min(runs["new"])
        mid_old = sorted(runs["old"])[len(runs["old"]) // 2]
        mid_new = sorted(runs["new"])[len(runs["new"]) // 2]
        print(
            f"{case}: best old {old:.0f} ns, new {new:.0f} ns (new/old {new / old:.3f}); "
            f"median old {mid_old:.0f}, new {mid_new:.0f}"
        )


if __name__ == "__main__":
    main()
