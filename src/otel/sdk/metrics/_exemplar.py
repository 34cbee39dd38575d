"""Exemplar filters and reservoirs: sample measurements and link them to the current span."""

from __future__ import annotations

import itertools
import random
from abc import ABC, abstractmethod
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from typing import Any

from otel.context import Context
from otel.sdk.metrics._point import Exemplar
from otel.trace import get_current_span


def _sampled_span_ids(context: Context | None) -> tuple[int, int] | None:
    """(trace_id, span_id) of the span in ``context`` (default: current) if valid, else None."""
    span_context = get_current_span(context).get_span_context()
    if not span_context.is_valid:
        return None
    return span_context.trace_id, span_context.span_id


class ExemplarFilter(ABC):
    """Decides which measurements may become exemplars."""

    @abstractmethod
    def should_sample(
        self,
        value: int | float,
        time_unix_nano: int,
        attributes: Mapping[str, Any] | None,
        context: Context | None,
    ) -> bool:
        """True when this measurement is offered to the reservoir."""


class AlwaysOnExemplarFilter(ExemplarFilter):
    """Every measurement is offered."""

    def should_sample(
        self,
        value: int | float,
        time_unix_nano: int,
        attributes: Mapping[str, Any] | None,
        context: Context | None,
    ) -> bool:
        return True


class AlwaysOffExemplarFilter(ExemplarFilter):
    """No measurement is offered (no exemplars)."""

    def should_sample(
        self,
        value: int | float,
        time_unix_nano: int,
        attributes: Mapping[str, Any] | None,
        context: Context | None,
    ) -> bool:
        return False


class TraceBasedExemplarFilter(ExemplarFilter):
    """Measurements made inside a sampled span are offered (the spec default)."""

    def should_sample(
        self,
        value: int | float,
        time_unix_nano: int,
        attributes: Mapping[str, Any] | None,
        context: Context | None,
    ) -> bool:
        span_context = get_current_span(context).get_span_context()
        return bool(span_context.is_valid and span_context.trace_flags & 1)


class ExemplarReservoir(ABC):
    """Keeps some of the offered measurements until the next collection.

    The SDK calls ``offer`` and ``collect`` of a custom reservoir (subclasses of the
    built-in ones included) under its stream's lock, so it need not be thread-safe; the
    two built-in reservoirs are offered to without a lock (see their docstrings).
    """

    @abstractmethod
    def offer(
        self,
        value: int | float,
        time_unix_nano: int,
        attributes: Mapping[str, Any] | None,
        context: Context | None,
    ) -> None:
        """Consider one measurement (already accepted by the filter)."""

    @abstractmethod
    def collect(self, point_attributes: Mapping[str, Any] | None) -> list[Exemplar]:
        """The kept exemplars, then forget them (``point_attributes`` are left out)."""


_new = object.__new__
_NO_IDS = (None, None)


class _Slot:
    """One kept measurement: built by :func:`_slot` (no ``__init__``)."""

    __slots__ = ("attributes", "span_id", "time_unix_nano", "trace_id", "value")

    attributes: dict[str, Any] | None
    span_id: int | None
    time_unix_nano: int
    trace_id: int | None
    value: int | float

    def exemplar(self, point_attributes: Mapping[str, Any] | None) -> Exemplar:
        attributes = self.attributes
        if attributes and point_attributes:
            filtered = {k: v for k, v in attributes.items() if k not in point_attributes}
        else:
            filtered = attributes or {}
        return Exemplar(filtered, self.value, self.time_unix_nano, self.span_id, self.trace_id)


def _slot(
    value: int | float,
    time_unix_nano: int,
    attributes: Mapping[str, Any] | None,
    ids: tuple[int, int] | tuple[None, None],
) -> _Slot:
    """A slot for a measurement; ``attributes`` copied (the caller may change its dict),
    ``ids`` the ``(trace_id, span_id)`` of the span it was made in, or Nones."""
    slot: _Slot = _new(_Slot)
    slot.value = value
    slot.time_unix_nano = time_unix_nano
    slot.attributes = dict(attributes) if attributes else None
    slot.trace_id, slot.span_id = ids
    return slot


class _SampledReservoir(ExemplarReservoir):
    """A built-in reservoir: ``offer`` looks the span up and hands over to
    ``_offer_sampled``, which the SDK also calls itself when it has looked the span up."""

    def offer(
        self,
        value: int | float,
        time_unix_nano: int,
        attributes: Mapping[str, Any] | None,
        context: Context | None,
    ) -> None:
        self._offer_sampled(
            value, time_unix_nano, attributes, _sampled_span_ids(context) or _NO_IDS
        )

    @abstractmethod
    def _offer_sampled(
        self,
        value: int | float,
        time_unix_nano: int,
        attributes: Mapping[str, Any] | None,
        ids: tuple[int, int] | tuple[None, None],
    ) -> None:
        """``offer`` with the span already looked up (``ids``: see :func:`_slot`)."""


class SimpleFixedSizeExemplarReservoir(_SampledReservoir):
    """Uniform sample (reservoir sampling) of ``size`` measurements per collection.

    Safe to offer to from many threads without a lock (with the GIL): the offer count is
    an ``itertools.count`` (``next`` is one C call) and a measurement lands with one
    store into a preallocated slot list, loaded and written with no call in between;
    ``collect`` swaps the list out the same way. The exemplar is built before it is
    stored, so a slot always holds one whole measurement. Under contention the sampling
    is uniform up to the few offers racing a collection.
    """

    def __init__(self, size: int = 1, **kwargs: Any) -> None:
        self._size = max(1, int(size))
        self._slots: list[_Slot | None] = [None] * self._size
        self._counter = itertools.count(1)

    def _offer_sampled(
        self,
        value: int | float,
        time_unix_nano: int,
        attributes: Mapping[str, Any] | None,
        ids: tuple[int, int] | tuple[None, None],
    ) -> None:
        """``offer`` with the span already looked up (``ids``: see :func:`_slot`)."""
        seen = next(self._counter)
        size = self._size
        index = seen - 1 if seen <= size else random.randrange(seen)
        if index < size:
            slot = _slot(value, time_unix_nano, attributes, ids)
            self._slots[index] = slot  # one load and one store: atomic under the GIL

    def collect(self, point_attributes: Mapping[str, Any] | None) -> list[Exemplar]:
        fresh: list[_Slot | None] = [None] * self._size
        counter = itertools.count(1)
        slots = self._slots  # swap with no call in between: atomic against offers
        self._slots = fresh
        self._counter = counter
        return [slot.exemplar(point_attributes) for slot in slots if slot is not None]


class AlignedHistogramBucketExemplarReservoir(_SampledReservoir):
    """The last measurement of each histogram bucket.

    Lock-free under the GIL like ``SimpleFixedSizeExemplarReservoir``: one store into a
    preallocated slot per bucket, swapped out whole at ``collect``.
    """

    def __init__(self, boundaries: Sequence[float] = (), **kwargs: Any) -> None:
        self._boundaries = tuple(boundaries)
        self._buckets = len(self._boundaries) + 1
        self._slots: list[_Slot | None] = [None] * self._buckets

    def _offer_sampled(
        self,
        value: int | float,
        time_unix_nano: int,
        attributes: Mapping[str, Any] | None,
        ids: tuple[int, int] | tuple[None, None],
    ) -> None:
        """``offer`` with the span already looked up (``ids``: see :func:`_slot`)."""
        index = bisect_left(self._boundaries, value)
        slot = _slot(value, time_unix_nano, attributes, ids)
        self._slots[index] = slot  # one load and one store: atomic under the GIL

    def collect(self, point_attributes: Mapping[str, Any] | None) -> list[Exemplar]:
        fresh: list[_Slot | None] = [None] * self._buckets
        slots = self._slots  # swap with no call in between: atomic against offers
        self._slots = fresh
        return [slot.exemplar(point_attributes) for slot in slots if slot is not None]
