"""Span, API, metrics and logs hot paths of two source trees, alternated, in thread CPU.

    .venv/bin/python benchmarks/alternate_span.py ROUNDS OLD_SRC [NEW_SRC] [CASE_SUBSTRING]
    .venv/bin/python benchmarks/alternate_span.py opcodes OLD_SRC [NEW_SRC]

OLD_SRC is e.g. main's ``src`` (``git archive main src | tar -x -C /tmp/old``); NEW_SRC
defaults to this checkout's. Each round runs one child per tree (order swapped every
round); a child times every case 8 x 5,000 calls with ``time.thread_time_ns`` and keeps
its best (the cases interleaved within a round); the report is each tree's best over
the rounds. ``opcodes`` prints the bytecodes one call executes, per function. The cases
are the topic benchmarks' own (``bench_trace``, ``bench_api``, ``bench_metrics``,
``bench_logs``; the two that attach a context keep it to their own calls) plus the
floor of ``bench_floor`` as the control (identical code on both sides: its spread is the
noise). Per-thread CPU time, because wall time on a shared machine moves by tens of
percent.
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

CHILD = r"""
import contextvars
import json
import sys
import time

import bench_api
import bench_floor
import bench_logs
import bench_metrics
import bench_trace



def _in_own_context(setup):
    # the case attaches a span context when set up: keep it to its own calls, so that the
    # other cases start root spans, as in their topic benchmarks
    context = contextvars.copy_context()
    run = context.run(setup, "otel")
    return lambda: context.run(run)


CASES = {
    "SDK: span + 4 set_attribute": bench_trace.with_current_4_attributes("otel"),
    "SDK: with start_as_current_span": bench_trace.with_current("otel"),
    "SDK: start_span().end()": bench_trace.start_end("otel"),
    "SDK: parent with 3 children": bench_trace.parent_3_children("otel"),
    "SDK: add_event + set_status": bench_trace.event_and_status("otel"),
    "no SDK: with start_as_current_span": bench_api._with_current("otel"),
    "no SDK: start_span().end()": bench_api._start_end("otel"),
    "no SDK: with, remote parent": _in_own_context(bench_api._nested_with_remote_parent),
    "counter.add(1, {route, code})": bench_metrics._counter_add("otel"),
    "histogram.record(12.5, {route, code})": bench_metrics._histogram_record("otel"),
    "logs: API Logger.emit": bench_logs.api_emit("otel"),
    "logs: logger.info in a span": _in_own_context(bench_logs.info_in_span),
    "control: floor span + 4 attributes": bench_floor._span_floor(),
    "control: floor no-SDK with": bench_floor._no_sdk_floor(),
}
only = sys.argv[2] if len(sys.argv) > 2 else ""
CASES = {k: v for k, v in CASES.items() if only in k or k.startswith("control")}
out = {}
if sys.argv[1] == "opcodes":  # bytecodes one call executes, per function (the case's own too)
    for name, fn in CASES.items():
        for _ in range(3):
            fn()
        per_function = {}

        def count(frame, event, arg):
            frame.f_trace_opcodes = True
            if event == "opcode":
                code = frame.f_code.co_qualname
                per_function[code] = per_function.get(code, 0) + 1
            return count

        sys.settrace(count)
        fn()
        sys.settrace(None)
        out[name] = per_function
    print(json.dumps(out))
    sys.exit()
# interleaved: every case once per round, so a slow moment of the machine hits them all
out = dict.fromkeys(CASES, float("inf"))
for _ in range(int(sys.argv[1])):
    for name, fn in CASES.items():
        start = time.thread_time_ns()
        for _ in range(5000):
            fn()
        out[name] = min(out[name], (time.thread_time_ns() - start) / 5000)
print(json.dumps(out))
"""
ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def _run(tree: str, *args: str) -> dict[str, Any]:
    env = {"PYTHONPATH": f"{tree}:{ROOT / 'benchmarks'}", "PATH": "/usr/bin"}
    out = subprocess.check_output([PYTHON, "-c", CHILD, *args], env=env, cwd=ROOT / "benchmarks")
    return json.loads(out.decode().strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    trees = {"old": sys.argv[2], "new": sys.argv[3] if len(sys.argv) > 3 else str(ROOT / "src")}
    only = sys.argv[4] if len(sys.argv) > 4 else ""
    if sys.argv[1] == "opcodes":  # deterministic: total, then per function, old and new
        got: dict[str, Any] = {label: _run(tree, "opcodes", only) for label, tree in trees.items()}
        for name, old in got["old"].items():
            new = got["new"][name]
            print(f"{name:45s} {sum(old.values()):6d} {sum(new.values()):6d}")
            for function in sorted(set(old) | set(new)):
                print(f"    {function:41s} {old.get(function, 0):6d} {new.get(function, 0):6d}")
        return
    rounds = int(sys.argv[1])
    best: dict[str, dict[str, float]] = {"old": {}, "new": {}}
    for rnd in range(rounds):
        for label in ("old", "new") if rnd % 2 == 0 else ("new", "old"):
            for name, ns in _run(trees[label], "8", only).items():
                best[label][name] = min(best[label].get(name, float("inf")), ns)
    print(f"{'case':45s} {'old ns':>8s} {'new ns':>8s} {'new/old':>8s}")
    for name, old in best["old"].items():
        new = best["new"][name]
        print(f"{name:45s} {old:8.0f} {new:8.0f} {new / old:8.2f}")


if __name__ == "__main__":
    main()
