"""StreamConfig: what every aggregation stream is built from, typed and named."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from otel.sdk.metrics._aggregation._base import ReaderState
    from otel.sdk.metrics._exemplar import ExemplarFilter, ExemplarReservoir


class StreamConfig:
    """The settings shared by every aggregation: identity, attribute filter, limits,
    reader states, exemplars and whether the instrument is observable. Read-only once
    built; one per stream (the provider builds it from the instrument and its view)."""

    __slots__ = (
        "attribute_keys",
        "description",
        "exemplar_filter",
        "is_async",
        "limit",
        "name",
        "reservoir_builder",
        "states",
        "unit",
    )

    def __init__(
        self,
        *,
        name: str,
        description: str,
        unit: str,
        attribute_keys: frozenset[str] | None,
        limit: int,
        states: Sequence[ReaderState],
        exemplar_filter: ExemplarFilter,
        reservoir_builder: Callable[[], ExemplarReservoir] | None,
        is_async: bool,
    ) -> None:
        self.name = name
        self.description = description
        self.unit = unit
        #: keys kept by the view (None: all)
        self.attribute_keys = attribute_keys
        #: cardinality limit: series per stream before the overflow series takes over
        self.limit = limit
        self.states = states
        self.exemplar_filter = exemplar_filter
        #: builds one exemplar reservoir per series; None: no exemplars
        self.reservoir_builder = reservoir_builder
        self.is_async = is_async
