"""Explicit-bucket histogram aggregation."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable, Mapping, Sequence
from time import time_ns
from typing import TYPE_CHECKING, Any

from otel.context import Context
from otel.sdk.metrics._aggregation._base import (
    _DELTA,
    _EX_TRACE,
    GIL_ATOMIC,
    ReaderState,
    _Entry,
    _get_context,
    _logger,
    _Snap,
    _Stream,
    raw_key,
)
from otel.sdk.metrics._aggregation._config import StreamConfig
from otel.sdk.metrics._exemplar import ExemplarReservoir
from otel.sdk.metrics._point import DataT, Histogram, HistogramDataPoint

if TYPE_CHECKING:
    from otel.attributes import Attributes

_INF = float("inf")


class HistogramTotals:
    """Bucket counts, sum, min and max of one series: what a collection takes from a live
    cell, and what a reader state accumulates (``add`` folds one into another)."""

    __slots__ = ("counts", "max", "min", "sum")

    def __init__(
        self, counts: list[int], total: int | float, low: int | float, high: int | float
    ) -> None:
        self.counts = counts
        self.sum = total
        self.min = low
        self.max = high

    def merge(self, other: HistogramTotals) -> None:
        mine = self.counts
        for i, count in enumerate(other.counts):
            if count:
                mine[i] += count
        self.sum += other.sum
        if other.min < self.min:
            self.min = other.min
        if other.max > self.max:
            self.max = other.max


class _HistogramCell:
    __slots__ = (
        "attributes",
        "counts",
        "idle",
        "max",
        "min",
        "reservoir",
        "start",
        "sum",
        "touched",
    )

    def __init__(self, attributes: dict[str, Any], buckets: int) -> None:
        self.attributes = attributes
        self.counts = [0] * buckets
        self.sum: int | float = 0
        self.min: int | float = _INF
        self.max: int | float = -_INF
        self.touched = False
        self.reservoir: ExemplarReservoir | None = None
        self.start = time_ns()
        self.idle = 0


class HistogramRecord:
    """``record`` of an explicit-bucket histogram: its one definition, shared by
    :class:`HistogramStream` and the SDK ``Histogram`` instrument.

    The instrument holds the parts of its single stream (``_fast_cache``, ``_cell_for``,
    ``_bounds``, ``_ex_mode``, ``_offer``: see ``_Stream._inline_parts``), so a measurement
    is one call; with ``_fast_cache`` None (several streams, another aggregation, no GIL)
    ``_record`` takes it. A value that is not a non-negative finite int or float goes to
    ``_rejected``. Never raises (a failing ``_record`` goes to ``_failed``). Lock-free under
    the GIL: ``+=`` and comparisons on ints and floats run no Python code, and the bucket
    index is computed before ``cell.counts`` is loaded, so a collection swapping the list
    cannot fall between the load and the store.
    """

    __slots__ = ()

    if TYPE_CHECKING:
        _fast_cache: dict[Hashable, Any] | None
        _bounds: tuple[float, ...]
        _ex_mode: int
        _cell_for: Callable[[Any], Any]
        _offer: Callable[[Any, int | float, Any, Context | None], None]
        _record: Callable[[Any, Any, Any], None]

        def _failed(self) -> None: ...

        def _rejected(
            self, amount: object, attributes: Attributes, context: Context | None
        ) -> None: ...

    def record(
        self, amount: int | float, attributes: Attributes = None, context: Context | None = None
    ) -> None:
        t = type(amount)
        if (0.0 <= amount < _INF) if t is float else (t is int and amount >= 0):
            cache = self._fast_cache
            if cache is not None:
                try:
                    a = attributes  # the key is raw_key(a), built inline for dicts and None
                    key = tuple(a.items()) if type(a) is dict else () if a is None else raw_key(a)
                    cell = cache[key]
                except Exception:  # new, unhashable or hostile: the slow path sorts it out
                    cell = self._cell_for(attributes)
                index = bisect_left(self._bounds, amount)
                cell.counts[index] += 1
                cell.sum += amount
                if amount < cell.min:
                    cell.min = amount
                if amount > cell.max:
                    cell.max = amount
                mode = self._ex_mode
                if mode and (
                    mode != _EX_TRACE or (context if context is not None else _get_context())
                ):
                    self._offer(cell, amount, attributes, context)
                return
            try:
                self._record(amount, attributes, context)
            except Exception:
                self._failed()
            return
        self._rejected(amount, attributes, context)


class HistogramStream(HistogramRecord, _Stream):
    """Explicit-bucket histogram aggregation: bucket i holds (bounds[i-1], bounds[i]]."""

    __slots__ = ("_bounds", "_fast_cache", "_record", "_record_min_max")

    def __init__(
        self, config: StreamConfig, *, boundaries: Sequence[float], record_min_max: bool
    ) -> None:
        super().__init__(config)
        self._bounds = tuple(boundaries)
        self._record_min_max = record_min_max
        # ``record`` (from HistogramRecord) updates cells lock-free under the GIL; without
        # one, it hands every measurement to the locked ``_record_locked``.
        self._fast_cache = self._cache if GIL_ATOMIC else None
        self._record = self._record_locked

    @property
    def bounds(self) -> tuple[float, ...]:
        """The bucket boundaries: bucket i holds (bounds[i-1], bounds[i]]."""
        return self._bounds

    def _failed(self) -> None:
        _logger.exception("Recording on %s failed; measurement dropped", self.name)

    def _rejected(self, amount: object, attributes: Attributes, context: Context | None) -> None:
        """Not reached: the instrument passes on checked values only."""

    def _new_cell(self, attributes: dict[str, Any]) -> _HistogramCell:
        return _HistogramCell(attributes, len(self._bounds) + 1)

    def _apply(self, cell: _HistogramCell, value: int | float) -> None:
        cell.counts[bisect_left(self._bounds, value)] += 1
        cell.sum += value
        cell.min = min(cell.min, value)
        cell.max = max(cell.max, value)
        cell.touched = True

    _update_cell = _apply

    def _take(self, cells: dict[frozenset[tuple[str, Any]], Any]) -> list[_Snap]:
        snaps: list[_Snap] = []
        buckets = len(self._bounds) + 1
        for key, cell in cells.items():
            if cell.max > -_INF:  # any finite value recorded sets max: "touched"
                fresh = [0] * buckets
                # swap with no call or allocation in between: atomic against GIL recorders
                counts = cell.counts
                cell.counts = fresh
                total = cell.sum
                cell.sum = 0
                low = cell.min
                cell.min = _INF
                high = cell.max
                cell.max = -_INF
                payload = HistogramTotals(counts, total, low, high)
                snaps.append(
                    (key, cell.attributes, payload, self._take_exemplars(cell), cell.start)
                )
        return snaps

    def _new_entry(self, attributes: Mapping[str, Any], start: int) -> _Entry:
        entry = _Entry(attributes, start)
        entry.value = HistogramTotals([0] * (len(self._bounds) + 1), 0, _INF, -_INF)
        return entry

    _merge = _Stream._merge_totals

    def _report(self, state: ReaderState, now: int) -> DataT | None:
        points = []
        delta = state.temporality is _DELTA
        record_min_max = self._record_min_max
        bounds = self._bounds
        for entry in state.entries.values():
            totals: HistogramTotals = entry.value
            counts, total, low, high = totals.counts, totals.sum, totals.min, totals.max
            count = sum(counts)
            has = record_min_max and count > 0
            points.append(
                HistogramDataPoint(
                    entry.attributes,
                    state.last_collect_ns if delta else entry.start,
                    now,
                    count,
                    total,
                    list(counts),
                    bounds,
                    low if has else None,
                    high if has else None,
                    entry.exemplars,
                )
            )
            entry.exemplars = []
        if delta:
            state.entries.clear()
        if not points:
            return None
        return Histogram(points, state.temporality)
