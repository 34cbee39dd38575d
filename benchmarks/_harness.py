"""Side-by-side benchmark harness: otel and the official OpenTelemetry SDK, one run.

A benchmark module ``bench_<topic>.py`` defines ``CASES``, a list of :class:`Case`.
Each case has one setup function per implementation; a setup returns either a
zero-argument callable to time (``kind="time"``, reported in ns/op) or, for
``kind="value"``, the measured number itself (e.g. KiB of RSS growth, ms of import).
Setups import what they need inside the function: the module is imported by both
interpreters, and only one of ``otel`` / ``opentelemetry`` exists in each.

The parent process runs every module twice, as a child of each interpreter
(``.venv`` for otel, ``benchmarks/.venv-official`` for the official SDK), and prints
one table with the ratio otel/official. ``make bench`` creates the official venv.

A case may also name a ``floor``: a setup (run in the otel interpreter) returning the
smallest faithful pure-Python implementation of the same operation (see
``bench_floor.py``). Otel and the floor are then alternated over many short rounds in
**thread CPU time** (``time.thread_time_ns``; order swapped every round), and the table
shows both medians (``otel cpu``, ``floor cpu``) and ``otel/floor``, the median of the
per-round ratios: a load change hits both sides of a round alike, so that ratio moves by a
few percent where wall time moves by 2x (see :func:`floor_ratio`). ``otel`` and
``otel/official`` stay wall time, as for every case.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OTEL_PYTHON = ROOT / ".venv" / "bin" / "python"
OFFICIAL_PYTHON = HERE / ".venv-official" / "bin" / "python"


@dataclass
class Case:
    """One measurement, done the same way for both implementations."""

    name: str
    otel: Callable[[], object]
    official: Callable[[], object] | None = None
    kind: str = "time"  # "time": setup returns a callable; "value": setup returns a number
    unit: str = "ns/op"
    repeat: int = 7
    target_seconds: float = 0.2
    notes: str = ""
    floor: Callable[[], object] | None = None  # pure-Python floor, timed beside otel
    extra: dict[str, object] = field(default_factory=dict)


def _time_callable(fn: Callable[[], object], repeat: int, target_seconds: float) -> float:
    """Best-of-``repeat`` ns per call, each repeat calibrated to ~target_seconds."""
    perf = time.perf_counter_ns
    number = 1
    while True:  # calibrate (also warms up)
        start = perf()
        for _ in range(number):
            fn()
        elapsed = perf() - start
        if elapsed >= target_seconds * 1e9 / 4 or number >= 1 << 24:
            break
        number *= 2
    number = max(1, int(number * (target_seconds * 1e9) / max(elapsed, 1)))
    best = float("inf")
    for _ in range(repeat):
        start = perf()
        for _ in range(number):
            fn()
        best = min(best, (perf() - start) / number)
    # subtract the loop overhead measured the same way
    start = perf()
    for _ in range(number):
        _noop()
    overhead = (perf() - start) / number
    return max(best - overhead, 0.0)


def best_seconds_per_call(
    fn: Callable[[], object], warmup: int, rounds: int, min_seconds: float = 0.3
) -> float:
    """Best-of-``rounds`` seconds per call of ``fn``, each round calling it for at least
    ``min_seconds`` (after ``warmup`` calls); for throughput rows (items per second)."""
    for _ in range(warmup):
        fn()
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        calls = 0
        while True:
            fn()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_seconds:
                break
        best = min(best, elapsed / calls)
    return best


def _noop() -> None:
    pass


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def floor_ratio(
    fn: Callable[[], object],
    floor_fn: Callable[[], object],
    rounds: int = 61,
    seconds_per_round: float = 0.004,
) -> dict[str, float]:
    """``fn`` against ``floor_fn`` in thread CPU: ``rounds`` short rounds, each timing one
    batch of calls of both (which one first alternates), ns per call.

    Returns the median of the per-round ratios (``floor_ratio``) and each side's median
    (``otel_cpu``, ``floor``). Thread CPU leaves out the time this thread waits for the
    cores (and other threads' work, e.g. a batch worker exporting); pairing the two sides
    within a round cancels what is left of the load (cache and frequency effects), and the
    median drops the rounds a preemption or a garbage collection hit.
    """
    clock = time.thread_time_ns
    for _ in range(2000):  # warm up both (caches, the batch queue's steady state)
        fn()
        floor_fn()
    calls = 1
    while True:  # calibrate on fn: a round of both sides takes ~2 x seconds_per_round
        start = clock()
        for _ in range(calls):
            fn()
        if clock() - start >= seconds_per_round * 1e9 or calls >= 1 << 20:
            break
        calls *= 2
    ratios: list[float] = []
    ours: list[float] = []
    floors: list[float] = []
    for number in range(rounds):
        pair = (fn, floor_fn) if number % 2 == 0 else (floor_fn, fn)
        spent: list[float] = []
        for side in pair:
            start = clock()
            for _ in range(calls):
                side()
            spent.append((clock() - start) / calls)
        ns, floor_ns = (spent[0], spent[1]) if number % 2 == 0 else (spent[1], spent[0])
        ours.append(ns)
        floors.append(floor_ns)
        ratios.append(ns / max(floor_ns, 1e-9))
    return {"floor_ratio": _median(ratios), "otel_cpu": _median(ours), "floor": _median(floors)}


def _child(module_name: str, impl: str, only: str | None) -> None:
    sys.path.insert(0, str(HERE))
    module = importlib.import_module(module_name)
    for case in module.CASES:
        if only and only not in case.name:
            continue
        setup = case.otel if impl == "otel" else case.official
        if setup is None:
            continue
        try:
            made = setup()
            if case.kind == "time":
                assert callable(made)
                value: float = _time_callable(made, case.repeat, case.target_seconds)
                if impl == "otel" and case.floor is not None:
                    floor_fn = case.floor()
                    assert callable(floor_fn)
                    row = {"case": case.name, "value": value, "unit": case.unit}
                    row.update(floor_ratio(made, floor_fn))
                    print(json.dumps(row), flush=True)
                    continue
            else:
                value = float(made)  # type: ignore[arg-type]
        except Exception as exc:  # report, keep going
            print(json.dumps({"case": case.name, "error": f"{type(exc).__name__}: {exc}"}))
            continue
        print(json.dumps({"case": case.name, "value": value, "unit": case.unit}), flush=True)


def _official_python(module_name: str) -> Path:
    """The official side's interpreter: a module may name its own venv with a line
    ``OFFICIAL_VENV = ".venv-official-legacy"`` (peers that pin older OpenTelemetry releases)."""
    source = (HERE / f"{module_name}.py").read_text()
    for line in source.splitlines():
        if line.startswith("OFFICIAL_VENV = "):
            return HERE / line.split("=", 1)[1].strip().strip("\"'") / "bin" / "python"
    return OFFICIAL_PYTHON


def _run_child(python: Path, module_name: str, impl: str, only: str | None) -> dict[str, dict]:
    cmd = [str(python), str(Path(__file__)), "--child", module_name, "--impl", impl]
    if only:
        cmd += ["--only", only]
    env = dict(os.environ, PYTHONHASHSEED="0")
    env.pop("OTEL_SDK_DISABLED", None)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=HERE, timeout=1800)
    results: dict[str, dict] = {}
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            results[row["case"]] = row
    if proc.returncode != 0:
        sys.stderr.write(f"[{impl}] {module_name} failed:\n{proc.stderr[-3000:]}\n")
    return results


def _fmt(row: dict | None) -> str:
    if row is None:
        return "-"
    if "error" in row:
        return "error"
    value = row["value"]
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="bench_<topic> names (default: all)")
    parser.add_argument("--only", help="run only cases whose name contains this text")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--impl", choices=["otel", "official"], help=argparse.SUPPRESS)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child, args.impl, args.only)
        return 0
    names = args.modules or sorted(p.stem for p in HERE.glob("bench_*.py"))
    names = [n if n.startswith("bench_") else f"bench_{n}" for n in names]
    if not OFFICIAL_PYTHON.exists():
        print(f"{OFFICIAL_PYTHON} is missing: run `make bench` (it creates it).")
        return 2
    all_rows = []
    header = (
        f"{'case':<58} {'otel':>12} {'official':>12} {'unit':>8} {'otel/official':>14}"
        f" {'otel cpu':>9} {'floor cpu':>9} {'otel/floor':>10}"
    )
    for name in names:
        print(f"\n## {name}\n{header}\n{'-' * len(header)}", flush=True)
        ours = _run_child(OTEL_PYTHON, name, "otel", args.only)
        theirs = _run_child(_official_python(name), name, "official", args.only)
        for case_name in list(ours) + [c for c in theirs if c not in ours]:
            o, t = ours.get(case_name), theirs.get(case_name)
            ratio = "-"
            if o and t and "value" in o and "value" in t and t["value"]:
                ratio = (
                    f"{o['value'] / t['value']:.3f} (1/{t['value'] / max(o['value'], 1e-9):.1f})"
                )
            unit = (o or t or {}).get("unit", "")
            cpu, floor, vs_floor = "-", "-", "-"
            if o and o.get("floor"):  # thread CPU, alternated with the floor (floor_ratio)
                cpu = _fmt({"value": o["otel_cpu"]})
                floor = _fmt({"value": o["floor"]})
                vs_floor = f"{o['floor_ratio']:.2f}x"
            print(
                f"{case_name:<58} {_fmt(o):>12} {_fmt(t):>12} {unit:>8} {ratio:>14}"
                f" {cpu:>9} {floor:>9} {vs_floor:>10}",
                flush=True,
            )
            all_rows.append({"module": name, "case": case_name, "otel": o, "official": t})
    if args.json:
        Path(args.json).write_text(json.dumps(all_rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
