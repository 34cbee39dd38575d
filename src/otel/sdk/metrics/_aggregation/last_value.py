"""Last-value aggregation: gauges, synchronous and observable."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from otel.context import Context
from otel.sdk.metrics._aggregation._base import (
    _CUMULATIVE,
    _EX_TRACE,
    GIL_ATOMIC,
    NumberCell,
    ReaderState,
    _get_context,
    _Snap,
    _Stream,
    raw_key,
)
from otel.sdk.metrics._point import DataT, Gauge, NumberDataPoint


class LastValueStream(_Stream):
    """LastValue aggregation (gauges)."""

    __slots__ = ()

    def record(self, value: int | float, attributes: Any, context: Context | None) -> None:
        try:
            cell = self._cache[raw_key(attributes)]
        except (KeyError, TypeError, AttributeError):
            cell = self._cell_for(attributes)
        if GIL_ATOMIC:
            cell.value = value
            cell.touched = True
        else:
            lock = self._lock
            lock.acquire()
            cell.value = value
            cell.touched = True
            lock.release()
        mode = self._ex_mode
        if mode and (mode != _EX_TRACE or (context if context is not None else _get_context())):
            self._offer(cell, value, attributes, context)

    def _new_cell(self, attributes: dict[str, Any]) -> NumberCell:
        return NumberCell(attributes)

    def _apply(self, cell: NumberCell, value: int | float) -> None:
        cell.value = value
        cell.touched = True

    def _take(self, cells: dict[frozenset[tuple[str, Any]], Any]) -> list[_Snap]:
        snaps: list[_Snap] = []
        for key, cell in cells.items():
            if cell.touched:
                value = cell.value
                cell.touched = False
                snaps.append((key, cell.attributes, value, self._take_exemplars(cell), cell.start))
        return snaps

    def _merge_observations(
        self, state: ReaderState, observations: Sequence[tuple[int | float, Any]], now: int
    ) -> None:
        entries = state.entries
        canonical = self._canonical_cached
        start = state.last_collect_ns
        for value, attributes in observations:
            key, cleaned = canonical(attributes)
            entry = entries.get(key)
            if entry is None:
                entry = self._entry(state, key, cleaned, start)
            entry.value = value
            entry.touched = True

    def _merge(self, state: ReaderState, snaps: list[_Snap], now: int) -> None:
        for key, attributes, value, exemplars, _start in snaps:
            entry = self._entry(state, key, attributes, state.last_collect_ns)
            entry.value = value
            entry.touched = True
            if exemplars:
                entry.exemplars = exemplars

    def _report(self, state: ReaderState, now: int) -> DataT | None:
        points = []
        is_async = self._is_async
        report_all = state.temporality is _CUMULATIVE and not is_async
        start = state.last_collect_ns
        stale = []
        for key, entry in state.entries.items():
            if entry.touched or report_all:
                points.append(
                    NumberDataPoint(entry.attributes, start, now, entry.value, entry.exemplars)
                )
                entry.touched = False
                entry.exemplars = []
            elif is_async:
                stale.append(key)
        for key in stale:  # an observable gauge reports what this round observed, no more
            del state.entries[key]
        if not points:
            return None
        return Gauge(points)
