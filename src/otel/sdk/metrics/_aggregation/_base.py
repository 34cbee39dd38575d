"""The part every aggregation shares: attribute sets, cardinality, exemplars, collection.

A stream (one per instrument x view x aggregation, see ``otel.sdk.metrics._aggregation``)
keeps *live cells*, one per attribute set. On GIL builds a measurement updates its cell
with straight-line code and no lock (see ``GIL_ATOMIC`` below); on free-threaded builds
under the stream's lock. The lock (``_lock``) is otherwise taken only to create a series,
to build a series' exemplar reservoir and by collection; ``_collect_lock`` serialises
collections.

A collection takes what the cells gathered since the previous collection (by any reader)
and merges it into one *reader state* per reader, which holds that reader's cumulative
totals or pending deltas. So a measurement costs the same whatever the number of readers,
and each reader gets the temporality it asked for.

Attribute sets are cached by ``tuple(attributes.items())``: a repeated attribute dict
costs one tuple build and one dict lookup. The first sight of a set validates it,
applies the view's key filter and the cardinality limit (overflow goes to the series
``otel.metric.overflow=true``). The cache holds at most ``2 * limit + 64`` raw dicts, so
its memory is bounded by the limit, not by traffic; once it is full (a per-request
attribute, say), an uncached dict is canonicalised and its series, or the overflow
series, is found with a lock-free ``dict.get``: the stream lock is only taken to create
a series.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Hashable, Mapping, Sequence
from time import time_ns
from typing import Any

from otel.attributes import CheckedAttributes, clean_attributes
from otel.context import Context
from otel.context._context import _CURRENT
from otel.sdk.metrics._aggregation._config import StreamConfig
from otel.sdk.metrics._exemplar import (
    AlignedHistogramBucketExemplarReservoir,
    AlwaysOffExemplarFilter,
    AlwaysOnExemplarFilter,
    ExemplarFilter,
    ExemplarReservoir,
    SimpleFixedSizeExemplarReservoir,
    TraceBasedExemplarFilter,
)
from otel.sdk.metrics._point import AggregationTemporality, DataT, Exemplar, Metric
from otel.trace import get_current_span

_logger = logging.getLogger("otel.sdk.metrics")

_DELTA = AggregationTemporality.DELTA
_CUMULATIVE = AggregationTemporality.CUMULATIVE
_INF = float("inf")
_get_context = _CURRENT.get

# With the GIL, a thread switch happens only at an "eval breaker" check (function calls,
# backward jumps). Straight-line attribute/int/float/list-item updates with no call in
# between are therefore atomic against other Python threads, and the record paths below
# rely on that instead of a lock. Free-threaded builds take the lock on every record.
# Two conditions keep it true: (1) values are exact int/float (the instruments coerce
# anything else, subclasses included, in ``_instrument._as_number``), so ``+=`` and ``<``
# run no Python code; (2) a container is loaded and updated with no call in between
# (the histogram bucket index is computed before ``cell.counts`` is read).
GIL_ATOMIC = bool(getattr(sys, "_is_gil_enabled", lambda: True)())

OVERFLOW_ATTRIBUTES: Mapping[str, Any] = {"otel.metric.overflow": True}
_OVERFLOW_NAME = "otel.metric.overflow"
_OVERFLOW_KEY = frozenset(OVERFLOW_ATTRIBUTES.items())
DEFAULT_CARDINALITY_LIMIT = 2000
_IDLE_COLLECTIONS = 2  # a live cell idle this many collections in a row is retired
_RETIRED_KEEP_NS = 30_000_000_000  # retired cells are still read for 30 s, then dropped

# Reservoirs whose offer/collect are atomic under the GIL (exact types: a subclass may
# override them with code that is not).
_LOCK_FREE_RESERVOIRS = frozenset(
    {SimpleFixedSizeExemplarReservoir, AlignedHistogramBucketExemplarReservoir}
)

_EX_OFF = 0
_EX_ON = 1
_EX_TRACE = 2
_EX_CUSTOM = 3

_Snap = tuple[frozenset[tuple[str, Any]], dict[str, Any], Any, list[Exemplar], int]


def raw_key(attributes: Any) -> Hashable:
    """The key of ``attributes`` in a stream's attribute-set cache (``_Stream._cache``): a
    :class:`CheckedAttributes`' ``cache_key``, else the tuple of the mapping's items, ``()``
    for none. Raises TypeError for unhashable values, AttributeError for what is not a
    mapping. The instruments' record paths build a dict's key inline and call this for
    anything else; tests/sdk/metrics/test_cache_keys.py checks every path finds its series."""
    if attributes is None:
        return ()
    if type(attributes) is CheckedAttributes:
        return attributes.cache_key
    return tuple(attributes.items()) if attributes else ()


def _exemplar_mode(exemplar_filter: ExemplarFilter) -> int:
    if type(exemplar_filter) is AlwaysOffExemplarFilter:
        return _EX_OFF
    if type(exemplar_filter) is AlwaysOnExemplarFilter:
        return _EX_ON
    if type(exemplar_filter) is TraceBasedExemplarFilter:
        return _EX_TRACE
    return _EX_CUSTOM


class ReaderState:
    """One reader's view of one stream: its totals (cumulative) or pending deltas."""

    __slots__ = ("entries", "last_collect_ns", "limit", "temporality")

    def __init__(self, temporality: AggregationTemporality, limit: int, start_ns: int) -> None:
        self.temporality = temporality
        self.limit = limit
        self.entries: dict[frozenset[tuple[str, Any]], Any] = {}
        self.last_collect_ns = start_ns


class _Entry:
    """A reader state's record of one series."""

    __slots__ = ("attributes", "current", "exemplars", "previous", "start", "touched", "value")

    def __init__(self, attributes: Mapping[str, Any], start: int) -> None:
        self.attributes = attributes
        self.start = start
        self.value: Any = 0
        self.current: Any = 0
        self.previous: Any = 0
        self.touched = False
        self.exemplars: list[Exemplar] = []


class _Stream:
    """Base: attribute handling, cardinality, exemplars and the collection protocol."""

    __slots__ = (
        "_cache",
        "_cache_max",
        "_cells",
        "_collect_lock",
        "_created_ns",
        "_ex_failed",
        "_ex_filter",
        "_ex_mode",
        "_is_async",
        "_keys",
        "_limit",
        "_lock",
        "_reservoir_builder",
        "_retired",
        "_states",
        "description",
        "name",
        "unit",
    )

    def __init__(self, config: StreamConfig) -> None:
        self.name = config.name
        self.description = config.description
        self.unit = config.unit
        self._keys = config.attribute_keys
        self._limit = max(2, config.limit)
        self._cache_max = 2 * self._limit + 64
        self._states = list(config.states)
        self._lock = threading.Lock()
        self._collect_lock = threading.Lock()
        self._cells: dict[frozenset[tuple[str, Any]], Any] = {}
        self._cache: dict[Hashable, Any] = {}
        self._retired: list[tuple[int, dict[frozenset[tuple[str, Any]], Any]]] = []
        self._created_ns = time_ns()
        is_async = self._is_async = config.is_async
        self._ex_filter = config.exemplar_filter
        self._ex_mode = (
            _EX_OFF
            if config.reservoir_builder is None or is_async
            else _exemplar_mode(config.exemplar_filter)
        )
        self._reservoir_builder = config.reservoir_builder
        self._ex_failed = False

    def _after_fork_in_child(self) -> None:
        self._lock = threading.Lock()
        self._collect_lock = threading.Lock()

    # --- attributes -------------------------------------------------------------------------

    def _canonical(self, attributes: object) -> tuple[frozenset[tuple[str, Any]], dict[str, Any]]:
        if not attributes:
            return frozenset(), {}
        if not isinstance(attributes, Mapping):
            _logger.warning(
                "Attributes must be a mapping, got %s; recorded without attributes",
                type(attributes).__name__,
            )
            return frozenset(), {}
        cleaned, _ = clean_attributes(attributes)
        keys = self._keys
        if keys is not None:
            cleaned = {k: v for k, v in cleaned.items() if k in keys}
        return frozenset(cleaned.items()), cleaned

    def _cell_for(self, attributes: Any) -> Any:
        """Slow path: first sight of an attribute dict (or an uncacheable one). Never raises."""
        try:
            return self._find_cell(attributes)
        except Exception:
            _logger.exception("Recording on %s failed; measurement dropped", self.name)
            return self._new_cell({})  # detached: what is recorded into it is dropped

    def _find_cell(self, attributes: Any) -> Any:
        key, cleaned = self._canonical(attributes)
        cells = self._cells
        if len(self._cache) >= self._cache_max:
            # The cache is full (more raw attribute dicts than 2*limit+64 were seen, e.g.
            # a per-request attribute): nothing more will be cached, so a known series or
            # the overflow series is found without the lock. ``dict.get`` is atomic under
            # the GIL; the lock below is left for creating a series. (The cache stays
            # capped: its memory is bounded by the limit, whatever the traffic.)
            cell = cells.get(key)
            if cell is None and len(cells) - (_OVERFLOW_KEY in cells) >= self._limit - 1:
                cell = cells.get(_OVERFLOW_KEY)
            if cell is not None:
                return cell
        with self._lock:
            cell = cells.get(key)
            if cell is None:
                if len(cells) - (_OVERFLOW_KEY in cells) >= self._limit - 1:
                    cell = cells.get(_OVERFLOW_KEY)
                    if cell is None:
                        _logger.warning(
                            "Metric %s reached its cardinality limit of %d series; new "
                            "attribute sets go to the otel.metric.overflow=true series",
                            self.name,
                            self._limit,
                        )
                        cell = cells[_OVERFLOW_KEY] = self._new_cell(dict(OVERFLOW_ATTRIBUTES))
                else:
                    cell = cells[key] = self._new_cell(cleaned)
            try:
                raw = raw_key(attributes)
                if len(self._cache) < self._cache_max:
                    self._cache[raw] = cell
            except (TypeError, AttributeError):
                pass  # unhashable values or not a mapping: no caching, still recorded
        return cell

    def _inline_parts(
        self,
    ) -> tuple[dict[Hashable, Any], Callable[[Any], Any], int, Callable[..., None]]:
        """The seam for instruments that run ``record`` on their stream's parts (one frame
        less per measurement): the attribute-set cache, the slow path for a set not in it,
        the exemplar mode and the exemplar offer. The histogram shares the stream's own
        ``HistogramRecord.record``, the counters the stream's ``SumRecord.add``."""
        return self._cache, self._cell_for, self._ex_mode, self._offer

    # --- exemplars --------------------------------------------------------------------------

    def _offer(
        self, cell: Any, value: int | float, attributes: Any, context: Context | None
    ) -> None:
        """A measurement passed the cheap pre-check; run the filter and the reservoir."""
        try:
            now = time_ns()
            mode = self._ex_mode
            ids: tuple[int, int] | None = None
            if mode == _EX_TRACE:
                # TraceBasedExemplarFilter's test, inline: the span is looked up once, for
                # the filter and for the exemplar's ids
                span_context = get_current_span(context).get_span_context()
                if not (span_context.is_valid and span_context.trace_flags & 1):
                    return
                ids = (span_context.trace_id, span_context.span_id)
            elif mode != _EX_ON and not self._ex_filter.should_sample(
                value, now, attributes, context
            ):
                return
            reservoir = cell.reservoir
            if reservoir is None:  # once per series: build it under the lock
                builder = self._reservoir_builder
                if builder is None:  # exemplars off: _ex_mode is _EX_OFF, not reached
                    return
                with self._lock:
                    reservoir = cell.reservoir
                    if reservoir is None:
                        reservoir = cell.reservoir = builder()
            if GIL_ATOMIC and type(reservoir) in _LOCK_FREE_RESERVOIRS:
                # Built-in reservoirs store a finished exemplar with one atomic
                # assignment into a preallocated slot: no lock on the request path.
                if ids is None:
                    reservoir.offer(value, now, attributes, context)
                    return
                if self._keys is None and _OVERFLOW_NAME not in cell.attributes:
                    # the point has every attribute of the measurement, so the exemplar
                    # keeps none of them (see ``_Slot.exemplar``): nothing to copy
                    attributes = None
                reservoir._offer_sampled(value, now, attributes, ids)
            else:  # a custom reservoir (maybe not thread-safe), or no GIL
                with self._lock:
                    reservoir.offer(value, now, attributes, context)
        except Exception:
            if not self._ex_failed:
                self._ex_failed = True
                _logger.exception("Exemplar sampling failed for %s (logged once)", self.name)

    @staticmethod
    def _take_exemplars(cell: Any) -> list[Exemplar]:
        reservoir = cell.reservoir
        if reservoir is None:
            return []
        try:
            exemplars: list[Exemplar] = reservoir.collect(cell.attributes)
            return exemplars
        except Exception:
            _logger.exception("Exemplar reservoir failed")
            return []

    # --- readers joining and leaving ----------------------------------------------------------

    def _add_state(self, state: ReaderState, now: int) -> None:
        """A reader joins: it must see only what is measured from now on.

        What the live cells gathered so far belongs to the readers already there, so it
        is merged into their states first; then the new state is added.
        """
        with self._collect_lock:
            if not self._is_async:
                with self._lock:
                    snaps = []
                    for _, retired in self._retired:
                        snaps += self._take(retired)
                    snaps += self._take(self._cells)
                for each in self._states:
                    self._merge(each, snaps, now)
            self._states = [*self._states, state]

    def _remove_state(self, state: ReaderState) -> int:
        """A reader leaves; returns how many reader states the stream still feeds."""
        with self._collect_lock:
            self._states = [each for each in self._states if each is not state]
            return len(self._states)

    # --- collection -------------------------------------------------------------------------

    def collect(
        self,
        state: ReaderState,
        now: int,
        observations: Sequence[tuple[int | float, Any]] | None = None,
    ) -> Metric | None:
        """The reader's metric for this stream at ``now`` (None when it has no points)."""
        with self._collect_lock:
            if self._is_async:
                self._merge_observations(state, observations or (), now)
            else:
                with self._lock:
                    snaps = []
                    for _, retired in self._retired:
                        snaps += self._take(retired)
                    snaps += self._take(self._cells)
                    self._retire_idle(snaps, now)
                for each in self._states:
                    self._merge(each, snaps, now)
            data = self._report(state, now)
            state.last_collect_ns = now
        if data is None:
            return None
        return Metric(self.name, self.description, self.unit, data)

    def _retire_idle(self, snaps: list[_Snap], now: int) -> None:
        """Retire live cells idle for two collections (caller holds ``_lock``).

        Reader states keep every series' totals, so a live cell is only the accumulator
        of the current interval: retiring idle ones frees cardinality for new attribute
        sets. A recorder that fetched a cell just before it was retired still lands in
        it, so retired cells are still taken at every collection for 30 seconds (a thread
        would have to stall that long between two bytecodes to lose an update).
        """
        touched = {snap[0] for snap in snaps}
        cells = self._cells
        retired: dict[frozenset[tuple[str, Any]], Any] = {}
        for key, cell in cells.items():
            if key in touched:
                cell.idle = 0
            else:
                cell.idle += 1
                if cell.idle >= _IDLE_COLLECTIONS:
                    retired[key] = cell
        keep = [batch for batch in self._retired if now - batch[0] < _RETIRED_KEEP_NS]
        if retired:
            for key in retired:
                del cells[key]
            cache = self._cache  # mutated in place: instruments hold a reference to it
            for raw in [raw for raw, cell in cache.items() if cell.idle >= _IDLE_COLLECTIONS]:
                del cache[raw]
            keep.append((now, retired))
        self._retired = keep

    def _canonical_cached(
        self, attributes: Any
    ) -> tuple[frozenset[tuple[str, Any]], dict[str, Any]]:
        """``_canonical`` with a cache (observable instruments report the same sets often)."""
        cache = self._cache  # unused by the record path of observable streams
        try:
            result: tuple[frozenset[tuple[str, Any]], dict[str, Any]] = cache[raw_key(attributes)]
            return result
        except (KeyError, TypeError, AttributeError):
            pass
        result = self._canonical(attributes)
        try:
            if len(cache) < self._cache_max:
                cache[raw_key(attributes)] = result
        except (TypeError, AttributeError):
            pass
        return result

    def _merge_observations(
        self, state: ReaderState, observations: Sequence[tuple[int | float, Any]], now: int
    ) -> None:
        """Observable instruments: fold one round of observations into ``state``."""
        self._merge(state, self._observe(observations), now)

    def _observe(self, observations: Sequence[tuple[int | float, Any]]) -> list[_Snap]:
        cells: dict[frozenset[tuple[str, Any]], Any] = {}
        for value, attributes in observations:
            key, cleaned = self._canonical_cached(attributes)
            cell = cells.get(key)
            if cell is None:
                cell = cells[key] = self._new_cell(cleaned)
            self._apply(cell, value)
        return self._take(cells)

    def _entry(
        self, state: ReaderState, key: Any, attributes: Mapping[str, Any], start: int
    ) -> Any:
        entries = state.entries
        entry = entries.get(key)
        if entry is None:
            if (
                key != _OVERFLOW_KEY
                and len(entries) - (_OVERFLOW_KEY in entries) >= state.limit - 1
            ):
                entry = entries.get(_OVERFLOW_KEY)
                if entry is not None:
                    return entry
                key, attributes = _OVERFLOW_KEY, dict(OVERFLOW_ATTRIBUTES)
            entry = entries[key] = self._new_entry(attributes, start)
        return entry

    def _new_entry(self, attributes: Mapping[str, Any], start: int) -> Any:
        return _Entry(attributes, start)

    # --- per aggregation ------------------------------------------------------------------

    def record(self, value: int | float, attributes: Any, context: Context | None, /) -> None:
        """One checked measurement (instruments call it positionally)."""
        raise NotImplementedError

    def _record_locked(self, value: int | float, attributes: Any, context: Context | None) -> None:
        """``record`` where ``+=`` is not atomic (no GIL): the cell is updated under the
        stream lock by ``_update_cell``; the exemplar pre-check is the lock-free path's."""
        try:
            cell = self._cache[raw_key(attributes)]
        except Exception:
            cell = self._cell_for(attributes)
        with self._lock:
            self._update_cell(cell, value)
        mode = self._ex_mode
        if mode and (mode != _EX_TRACE or (context if context is not None else _get_context())):
            self._offer(cell, value, attributes, context)

    def _update_cell(self, cell: Any, value: int | float) -> None:
        """Add one measurement to a live cell (under the lock, from ``_record_locked``)."""
        raise NotImplementedError

    def _new_cell(self, attributes: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _apply(self, cell: Any, value: int | float) -> None:
        raise NotImplementedError

    def _take(self, cells: dict[frozenset[tuple[str, Any]], Any]) -> list[_Snap]:
        raise NotImplementedError

    def _merge(self, state: ReaderState, snaps: list[_Snap], now: int) -> None:
        raise NotImplementedError

    def _report(self, state: ReaderState, now: int) -> DataT | None:
        raise NotImplementedError

    def _merge_totals(self, state: ReaderState, snaps: list[_Snap], now: int) -> None:
        """``_merge`` of the aggregations whose entries hold totals with a ``merge`` method
        (explicit and exponential histograms): each snapshot merged into its entry's totals."""
        cumulative = state.temporality is _CUMULATIVE
        for key, attributes, snap, exemplars, start in snaps:
            entry = self._entry(
                state, key, attributes, start if cumulative else state.last_collect_ns
            )
            entry.value.merge(snap)
            entry.touched = True
            if exemplars:
                entry.exemplars = exemplars


class NumberCell:
    """The live cell of a sum or last-value series."""

    __slots__ = ("attributes", "idle", "reservoir", "start", "touched", "value")

    def __init__(self, attributes: dict[str, Any]) -> None:
        self.attributes = attributes
        self.value: int | float = 0
        self.touched = False
        self.reservoir: ExemplarReservoir | None = None
        self.start = time_ns()
        self.idle = 0
