"""Instructions per operation under ``valgrind --tool=callgrind``: a load-independent figure.

Wall and CPU times on a shared 2-core machine move by 2x between runs of identical code;
the number of machine instructions an operation executes does not (±0.1% for one tree,
a few % between trees from memory layout). Each case of a topic module (``bench_<topic>``)
runs in its own interpreter (otel in ``.venv``, the official SDK in
``benchmarks/.venv-official``) under callgrind twice, with 0 and with N calls after a
warm-up; the difference divided by N is the figure.

    .venv/bin/python benchmarks/instructions.py propagation [--only extract] [-n 2000]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHONS = {
    "otel": ROOT / ".venv" / "bin" / "python",
    "official": HERE / ".venv-official" / "bin" / "python",
}
_CHILD = """
import sys
sys.path[:0] = [{here!r}, {src!r}]
import bench_{topic} as topic
case = [c for c in topic.CASES if c.name == {name!r}][0]
run = getattr(case, {side!r})()
for _ in range(50):
    run()
for _ in range({calls}):
    run()
"""


def count_instructions(
    argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> int:
    """Instructions ``argv`` executes under callgrind (``PYTHONHASHSEED=0`` added to
    ``env``, default this process's environment); the other benchmark scripts use it too."""
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        capture_output=True,
        text=True,
        env={**(os.environ if env is None else env), "PYTHONHASHSEED": "0"},
        cwd=cwd,
        check=True,
    ).stderr
    found = re.search(r"refs:\s*([\d,]+)", out)
    if found is None:
        raise RuntimeError(f"no callgrind total in: {out[-500:]}")
    return int(found.group(1).replace(",", ""))


def per_call(topic: str, name: str, side: str, calls: int) -> int:
    """Instructions per call of case ``name`` of ``bench_<topic>``, ``side`` otel/official."""
    fields = {"here": str(HERE), "src": str(ROOT / "src"), "topic": topic, "name": name}
    python = str(PYTHONS[side])
    base = count_instructions([python, "-c", _CHILD.format(**fields, side=side, calls=0)])
    full = count_instructions([python, "-c", _CHILD.format(**fields, side=side, calls=calls)])
    return (full - base) // calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("topic", help="bench_<topic>.py, e.g. propagation")
    parser.add_argument("--only", default="", help="cases whose name contains this")
    parser.add_argument("-n", "--calls", type=int, default=2000)
    args = parser.parse_args()
    sys.path[:0] = [str(HERE), str(ROOT / "src")]
    module = __import__(f"bench_{args.topic}")
    print(f"{'case':66} {'otel':>9} {'official':>9}  otel/official (instructions per call)")
    for case in module.CASES:
        if args.only not in case.name or case.kind != "time":
            continue
        otel = per_call(args.topic, case.name, "otel", args.calls)
        official = per_call(args.topic, case.name, "official", args.calls) if case.official else 0
        ratio = f"{otel / official:.3f} (1/{official / otel:.1f})" if official else "-"
        print(f"{case.name:66} {otel:>9,} {official:>9,}  {ratio}", flush=True)


if __name__ == "__main__":
    main()
