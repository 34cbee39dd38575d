"""Sum aggregation: counters, up-down counters and their observable forms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from otel.context import Context
from otel.sdk.metrics._aggregation._base import (
    _CUMULATIVE,
    _DELTA,
    _EX_TRACE,
    GIL_ATOMIC,
    NumberCell,
    ReaderState,
    _get_context,
    _Snap,
    _Stream,
)
from otel.sdk.metrics._aggregation._config import StreamConfig
from otel.sdk.metrics._point import DataT, NumberDataPoint, Sum


class SumStream(_Stream):
    """Sum aggregation (counters, up-down counters, and their observable forms)."""

    __slots__ = ("_monotonic",)

    def __init__(self, config: StreamConfig, *, monotonic: bool) -> None:
        super().__init__(config)
        self._monotonic = monotonic

    def record(self, value: int | float, attributes: Any, context: Context | None) -> None:
        try:
            cell = self._cache[tuple(attributes.items()) if attributes else ()]
        except (KeyError, TypeError, AttributeError):
            cell = self._cell_for(attributes)
        if GIL_ATOMIC:
            cell.value += value
            cell.touched = True
        else:
            lock = self._lock
            lock.acquire()
            cell.value += value
            cell.touched = True
            lock.release()
        mode = self._ex_mode
        if mode and (mode != _EX_TRACE or (context if context is not None else _get_context())):
            self._offer(cell, value, attributes, context)

    def _new_cell(self, attributes: dict[str, Any]) -> NumberCell:
        return NumberCell(attributes)

    def _apply(self, cell: NumberCell, value: int | float) -> None:
        # An observation is the series' current total; repeated series in one callback add.
        cell.value = cell.value + value if cell.touched else value
        cell.touched = True

    def _take(self, cells: dict[frozenset[tuple[str, Any]], Any]) -> list[_Snap]:
        snaps: list[_Snap] = []
        for key, cell in cells.items():
            if cell.touched:
                # read-and-reset with no call in between: atomic against GIL recorders
                value = cell.value
                cell.value = 0
                cell.touched = False
                snaps.append((key, cell.attributes, value, self._take_exemplars(cell), cell.start))
        return snaps

    def _merge_observations(
        self, state: ReaderState, observations: Sequence[tuple[int | float, Any]], now: int
    ) -> None:
        # Each observation is a series' current total; series folded together (view key
        # filter, overflow) add up within one round.
        entries = state.entries
        for entry in entries.values():
            entry.touched = False
        canonical = self._canonical_cached
        start = state.last_collect_ns
        for value, attributes in observations:
            key, cleaned = canonical(attributes)
            entry = entries.get(key)
            if entry is None:
                entry = self._entry(state, key, cleaned, start)
            if entry.touched:
                entry.current += value
            else:
                entry.current = value
                entry.touched = True

    def _merge(self, state: ReaderState, snaps: list[_Snap], now: int) -> None:
        cumulative = state.temporality is _CUMULATIVE
        for key, attributes, value, exemplars, start in snaps:
            entry = self._entry(
                state, key, attributes, start if cumulative else state.last_collect_ns
            )
            entry.value += value
            entry.touched = True
            if exemplars:
                entry.exemplars = exemplars

    def _report(self, state: ReaderState, now: int) -> DataT | None:
        points = []
        entries = state.entries
        if self._is_async:
            delta = state.temporality is _DELTA
            for entry in entries.values():
                if entry.touched:
                    if delta:
                        value = entry.current - entry.previous
                        start = state.last_collect_ns
                    else:
                        value = entry.current
                        start = entry.start
                    entry.previous = entry.current
                    points.append(NumberDataPoint(entry.attributes, start, now, value, []))
        elif state.temporality is _DELTA:
            start = state.last_collect_ns
            for entry in entries.values():
                points.append(
                    NumberDataPoint(entry.attributes, start, now, entry.value, entry.exemplars)
                )
            entries.clear()
        else:
            for entry in entries.values():
                points.append(
                    NumberDataPoint(
                        entry.attributes, entry.start, now, entry.value, entry.exemplars
                    )
                )
                entry.exemplars = []
        if not points:
            return None
        return Sum(points, state.temporality, self._monotonic)
