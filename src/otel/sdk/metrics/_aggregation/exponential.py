"""Base-2 exponential bucket histogram aggregation (bucket math in ``_exponential``)."""

from __future__ import annotations

from collections.abc import Mapping
from time import time_ns
from typing import Any

from otel.context import Context
from otel.sdk.metrics._aggregation._base import (
    _DELTA,
    _EX_TRACE,
    ReaderState,
    _Entry,
    _get_context,
    _Snap,
    _Stream,
    raw_key,
)
from otel.sdk.metrics._aggregation._config import StreamConfig
from otel.sdk.metrics._exemplar import ExemplarReservoir
from otel.sdk.metrics._exponential import ExponentialHistogramAccumulator
from otel.sdk.metrics._point import (
    Buckets,
    DataT,
    ExponentialHistogram,
    ExponentialHistogramDataPoint,
)


class _ExpCell:
    __slots__ = ("accumulator", "attributes", "idle", "reservoir", "start", "touched")

    def __init__(self, attributes: dict[str, Any], accumulator: ExponentialHistogramAccumulator):
        self.attributes = attributes
        self.accumulator = accumulator
        self.touched = False
        self.reservoir: ExemplarReservoir | None = None
        self.start = time_ns()
        self.idle = 0


class ExponentialHistogramStream(_Stream):
    """Base-2 exponential bucket histogram aggregation (bucket math in ``_exponential``)."""

    __slots__ = ("_max_scale", "_max_size", "_record_min_max")

    def __init__(
        self, config: StreamConfig, *, max_size: int, max_scale: int, record_min_max: bool = True
    ) -> None:
        super().__init__(config)
        self._max_size = max_size
        self._max_scale = max_scale
        self._record_min_max = record_min_max

    def _accumulator(self) -> ExponentialHistogramAccumulator:
        return ExponentialHistogramAccumulator(
            self._max_size, self._max_scale, self._record_min_max
        )

    def record(self, value: int | float, attributes: Any, context: Context | None) -> None:
        try:
            cell = self._cache[raw_key(attributes)]
        except (KeyError, TypeError, AttributeError):
            cell = self._cell_for(attributes)
        lock = self._lock
        lock.acquire()
        try:
            cell.accumulator.record(value)
            cell.touched = True
        finally:
            lock.release()
        mode = self._ex_mode
        if mode and (mode != _EX_TRACE or (context if context is not None else _get_context())):
            self._offer(cell, value, attributes, context)

    def _new_cell(self, attributes: dict[str, Any]) -> _ExpCell:
        return _ExpCell(attributes, self._accumulator())

    def _apply(self, cell: _ExpCell, value: int | float) -> None:
        cell.accumulator.record(value)
        cell.touched = True

    def _take(self, cells: dict[frozenset[tuple[str, Any]], Any]) -> list[_Snap]:
        snaps: list[_Snap] = []
        for key, cell in cells.items():
            if cell.touched:
                snap = cell.accumulator.snapshot_and_reset()
                snaps.append((key, cell.attributes, snap, self._take_exemplars(cell), cell.start))
                cell.touched = False
        return snaps

    def _new_entry(self, attributes: Mapping[str, Any], start: int) -> _Entry:
        entry = _Entry(attributes, start)
        entry.value = self._accumulator()
        return entry

    _merge = _Stream._merge_totals

    def _report(self, state: ReaderState, now: int) -> DataT | None:
        points = []
        delta = state.temporality is _DELTA
        for entry in state.entries.values():
            snap = entry.value.snapshot()
            points.append(
                ExponentialHistogramDataPoint(
                    entry.attributes,
                    state.last_collect_ns if delta else entry.start,
                    now,
                    snap.count,
                    snap.sum,
                    snap.scale,
                    snap.zero_count,
                    Buckets(snap.positive_offset, snap.positive_bucket_counts),
                    Buckets(snap.negative_offset, snap.negative_bucket_counts),
                    0,
                    snap.min,
                    snap.max,
                    entry.exemplars,
                    snap.zero_threshold,
                )
            )
            entry.exemplars = []
        if delta:
            state.entries.clear()
        if not points:
            return None
        return ExponentialHistogram(points, state.temporality)
