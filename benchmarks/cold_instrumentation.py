"""What ``requests.get``'s instrumentation costs when the CPU caches are cold, counted.

Through a real socket each request runs after the kernel's and urllib3's work has pushed
the instrumentation's code and data out of the CPU caches, so its added time is well
above what its instructions take in a warm loop (``bench_instrumentation.py`` measures
that time; it moves with the machine's load). This script counts the two things that
time is made of, load-independently, under ``valgrind --tool=callgrind --cache-sim=yes``
with a last-level cache the size of one core's L2 (2 MiB):

- instructions added per call (instrumented minus plain), and
- last-level misses added per call (instruction fetches, data reads and writes), with a
  16 MiB sweep between calls so that every call starts with cold caches, as it does
  behind a socket.

Each side (otel in ``.venv``, the official contrib instrumentation in
``benchmarks/.venv-official-contrib``) runs ``Session.get`` through the in-process adapter
of ``bench_instrumentation.py`` (no socket: the counts are exact), plain and instrumented,
with 0 and ``--calls`` timed calls after a warm-up; the difference over ``--calls`` is the
figure. Four callgrind runs per side, two at a time::

    .venv/bin/python benchmarks/cold_instrumentation.py [--calls 300] [--otel-src DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_instrumentation import PYTHONS  # noqa: E402

EVENTS = ("Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw")
_SWEEP_BYTES = 16 * 1024 * 1024
_LAST_LEVEL = "--LL=2097152,16,64"  # one core's L2 of the development machine
_WARM_UP_CALLS = 600  # more than a span batch (512): the export queue has cycled once


def _child(impl: str, instrumented: bool, calls: int) -> None:
    """The measured process: ``calls`` plain or instrumented ``Session.get``, each after
    a sweep of a 16 MiB buffer."""
    from bench_instrumentation import _requests_subject

    plain, _, on, _ = _requests_subject(impl, None)
    sweep = bytearray(_SWEEP_BYTES)
    ones = b"\1" * (_SWEEP_BYTES // 64)
    if instrumented:
        on()
    for _ in range(_WARM_UP_CALLS):
        plain()
    for _ in range(calls):
        sweep[::64] = ones  # one write per cache line: every line of the caches replaced
        plain()


def _totals(impl: str, instrumented: bool, calls: int, otel_src: str | None) -> list[int]:
    env = dict(os.environ, PYTHONHASHSEED="0")
    if otel_src and impl == "otel":
        env["PYTHONPATH"] = otel_src
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        args = ["--child", impl, "--calls", str(calls)] + ["--instrumented"] * instrumented
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--cache-sim=yes",
                _LAST_LEVEL,
                f"--callgrind-out-file={out}",
                str(PYTHONS[impl]),
                str(Path(__file__)),
                *args,
            ],
            env=env,
            cwd=HERE,
            check=True,
            capture_output=True,
        )
        for line in out.read_text().splitlines():
            if line.startswith("summary:"):
                return [int(word) for word in line.split()[1:]]
    raise RuntimeError(f"no callgrind summary for {impl}")


def added_per_call(impl: str, calls: int, otel_src: str | None) -> dict[str, float]:
    """Events per call of the instrumented minus the plain ``Session.get``."""
    runs = [(instrumented, n) for instrumented in (False, True) for n in (0, calls)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda run: _totals(impl, *run, otel_src), runs))
    plain0, plain, instr0, instr = results
    added = {
        event: ((i - i0) - (p - p0)) / calls
        for event, p0, p, i0, i in zip(EVENTS, plain0, plain, instr0, instr, strict=True)
    }
    added["LL misses"] = added["ILmr"] + added["DLmr"] + added["DLmw"]
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--otel-src", help="run the otel side from this source tree")
    parser.add_argument("--child", choices=["otel", "official"], help=argparse.SUPPRESS)
    parser.add_argument("--instrumented", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.instrumented, args.calls)
        return 0
    sides = {impl: added_per_call(impl, args.calls, args.otel_src) for impl in PYTHONS}
    shown = ("Ir", "ILmr", "DLmr", "DLmw", "LL misses")
    print(f"{'added per call':<16}" + "".join(f"{name:>12}" for name in shown))
    for impl, added in sides.items():
        print(f"{impl:<16}" + "".join(f"{added[name]:>12,.0f}" for name in shown))
    ratios = [sides["otel"][name] / max(sides["official"][name], 1.0) for name in shown]
    print(f"{'otel/official':<16}" + "".join(f"{ratio:>12.3f}" for ratio in ratios))
    return 0


if __name__ == "__main__":
    sys.exit(main())
