"""The viewer's protobuf-to-rows decode (``decode_trace_rows``, the receiving threads' GIL
work), this tree against another one, alternated in one process.

    benchmarks/.venv-official/bin/python benchmarks/viewer_decode.py --other-src DIR

``DIR`` is another checkout's ``src`` (e.g. ``git archive main src | tar -x -C /tmp/main``
then ``/tmp/main/src``). Both modules are loaded side by side, their memos warmed on the
same ``viewer.py`` requests (512 spans, 6 attributes each), then timed in turn, order swapped
every round: thread CPU per span, best and median of ``--rounds``. Alternating inside one
process keeps a shared machine's load from favouring either side.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from viewer import build_batches  # noqa: E402


def _load(src: str) -> Callable[[bytes], Any]:
    """``decode_trace_rows`` of the otel package under ``src`` (a fresh import)."""
    for name in [n for n in sys.modules if n == "otel" or n.startswith("otel.")]:
        del sys.modules[name]
    sys.path.insert(0, src)
    try:
        module = importlib.import_module("otel.viewer._receiver._otlp_rows")
    finally:
        sys.path.remove(src)
    decode: Callable[[bytes], Any] = module.decode_trace_rows
    return decode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--other-src", required=True, help="another tree's src directory")
    parser.add_argument("--batches", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    batches = build_batches(args.batches)
    spans = args.batches * 512
    sides = {"other": _load(args.other_src), "this": _load(str(ROOT / "src"))}
    for decode in sides.values():
        for body in batches:
            decode(body)  # memos of attributes and names filled
    times: dict[str, list[float]] = {name: [] for name in sides}
    for round_number in range(args.rounds):
        order = list(sides.items())
        if round_number % 2:
            order.reverse()
        for name, decode in order:
            gc.collect()
            start = time.thread_time()
            for body in batches:
                decode(body)
            times[name].append((time.thread_time() - start) / spans * 1e6)
    for name, values in times.items():
        print(
            f"{name}: best {min(values):.2f}, median {statistics.median(values):.2f} "
            f"us of thread CPU per span ({args.rounds} rounds of {spans} spans)"
        )


if __name__ == "__main__":
    main()
