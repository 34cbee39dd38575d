"""otel against the pure-Python floor: the least any faithful implementation must do.

Each case runs otel and the official SDK exactly as the topic benchmarks do
(``bench_trace``, ``bench_api``, ``bench_metrics``) and, in the otel interpreter, the
floor of the same operation, timed alternately with otel (see ``_harness.Case.floor``).
The table's ``otel/floor`` column is the figure issue 17 sets targets on (span + 4
attributes <= 1.5x the floor).

The two span floors (``_span_floor``, ``_no_sdk_floor``) are the project's shared floor
definition, ``/work/shared/bench/floor_span.py``, copied here unchanged in substance so
every ``make bench`` prints them. The metric floors are written the same way: what a
``counter.add`` / ``histogram.record`` with an attribute dict has to do at the least (a
value check, a hashable key from a fresh dict, one series lookup, the update).
"""

from __future__ import annotations

import collections
import contextvars
import random
import time
from bisect import bisect_left
from collections.abc import Callable
from typing import Any

import bench_api
import bench_metrics
import bench_trace
from _harness import Case

# --- the shared span floor (/work/shared/bench/floor_span.py) -------------------------------
# The pure-Python floor of one recorded span: ids, two timestamps, a slots object, context
# set/reset, 4 attributes, hand-off to a queue.

_cv: contextvars.ContextVar[Any] = contextvars.ContextVar("cv", default=None)
_q: collections.deque[Any] = collections.deque()


class _S:
    __slots__ = ("attrs", "end", "name", "parent", "sid", "start", "tid")

    def __init__(self, name: str, tid: int, sid: int, parent: Any) -> None:
        self.name = name
        self.tid = tid
        self.sid = sid
        self.parent = parent
        self.start = time.time_ns()
        self.end = 0
        self.attrs: dict[str, Any] = {}

    def set_attribute(self, k: str, v: Any) -> None:
        self.attrs[k] = v


class _CM:
    __slots__ = ("name", "span", "tok")

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> _S:
        p = _cv.get()
        s = self.span = _S(self.name, random.getrandbits(128), random.getrandbits(64), p)
        self.tok = _cv.set(s)
        return s

    def __exit__(self, *a: object) -> None:
        _cv.reset(self.tok)
        s = self.span
        s.end = time.time_ns()
        _q.append(s)
        if len(_q) > 2048:
            _q.clear()


def _span_floor() -> Callable[[], object]:
    def case_floor() -> None:
        with _CM("x") as s:
            s.set_attribute("a", "v")
            s.set_attribute("b", 1)
            s.set_attribute("c", 1.5)
            s.set_attribute("d", True)

    return case_floor


# The floor of a no-SDK `with start_as_current_span`: a class context manager that looks up
# the current context once (the span it hands back must carry the parent's context).
class _NoopCM:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> Any:
        return _cv.get()

    def __exit__(self, *a: object) -> None:
        return None


def _no_sdk_floor() -> Callable[[], object]:
    def case_noop_floor() -> None:
        with _NoopCM("x"):
            pass

    return case_noop_floor


# --- metric floors (ours, written the same way) ----------------------------------------------


class _SumSeries:
    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0


class _FloorCounter:
    """A counter: non-negative check, series by attribute set, one add."""

    __slots__ = ("_series",)

    def __init__(self) -> None:
        self._series: dict[tuple[tuple[str, Any], ...], _SumSeries] = {}

    def add(self, amount: int | float, attributes: dict[str, Any]) -> None:
        if amount >= 0:
            key = tuple(attributes.items())
            series = self._series.get(key)
            if series is None:
                series = self._series[key] = _SumSeries()
            series.value += amount


_BOUNDS = (0.0, 5.0, 10.0, 25.0, 50.0, 75.0, 100.0, 250.0, 500.0, 750.0, 1000.0, 2500.0)
_BOUNDS += (5000.0, 7500.0, 10000.0)


class _HistogramSeries:
    __slots__ = ("counts", "max", "min", "sum")

    def __init__(self) -> None:
        self.counts = [0] * (len(_BOUNDS) + 1)
        self.sum: float = 0
        self.min = float("inf")
        self.max = float("-inf")


class _FloorHistogram:
    """A histogram: non-negative check, series by attribute set, bucket, sum, min, max."""

    __slots__ = ("_series",)

    def __init__(self) -> None:
        self._series: dict[tuple[tuple[str, Any], ...], _HistogramSeries] = {}

    def record(self, amount: float, attributes: dict[str, Any]) -> None:
        if amount >= 0:
            key = tuple(attributes.items())
            series = self._series.get(key)
            if series is None:
                series = self._series[key] = _HistogramSeries()
            series.counts[bisect_left(_BOUNDS, amount)] += 1
            series.sum += amount
            if amount < series.min:
                series.min = amount
            if amount > series.max:
                series.max = amount


def _counter_floor() -> Callable[[], object]:
    counter = _FloorCounter()

    def run() -> None:
        counter.add(1, {"route": "/api/users", "code": 200})

    return run


def _histogram_floor() -> Callable[[], object]:
    histogram = _FloorHistogram()

    def run() -> None:
        histogram.record(12.5, {"route": "/api/users", "code": 200})

    return run


CASES = [
    Case(
        "floor: SDK with start_as_current_span + 4 set_attribute",
        lambda: bench_trace.with_current_4_attributes("otel"),
        lambda: bench_trace.with_current_4_attributes("official"),
        floor=_span_floor,
    ),
    Case(
        "floor: no SDK with start_as_current_span",
        lambda: bench_api._with_current("otel"),
        lambda: bench_api._with_current("official"),
        floor=_no_sdk_floor,
    ),
    Case(
        "floor: counter.add(1, {route, code})",
        lambda: bench_metrics._counter_add("otel"),
        lambda: bench_metrics._counter_add("official"),
        floor=_counter_floor,
    ),
    Case(
        "floor: histogram.record(12.5, {route, code})",
        lambda: bench_metrics._histogram_record("otel"),
        lambda: bench_metrics._histogram_record("official"),
        floor=_histogram_floor,
    ),
]
