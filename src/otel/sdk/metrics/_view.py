"""Views and the aggregation choices they (or readers) make for instruments."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from otel._log import get_logger
from otel.metrics._instruments import (
    Counter,
    Gauge,
    Histogram,
    Instrument,
    ObservableCounter,
    ObservableGauge,
    ObservableUpDownCounter,
    UpDownCounter,
)

if TYPE_CHECKING:
    from otel.sdk.metrics._exemplar import ExemplarReservoir
    from otel.sdk.util.instrumentation import InstrumentationScope

_logger = get_logger("otel.sdk.metrics")

# Spec default bucket boundaries of the explicit-bucket histogram.
_DEFAULT_BOUNDARIES: tuple[float, ...] = (
    0.0,
    5.0,
    10.0,
    25.0,
    50.0,
    75.0,
    100.0,
    250.0,
    500.0,
    750.0,
    1000.0,
    2500.0,
    5000.0,
    7500.0,
    10000.0,
)


class Aggregation:
    """How a view turns measurements into points. Use one of the subclasses."""

    __slots__ = ()

    def _key(self) -> tuple[object, ...]:
        """Equal keys mean the same configuration (streams are shared between readers)."""
        return (type(self),)


class DefaultAggregation(Aggregation):
    """Sum for counters, LastValue for gauges, ExplicitBucketHistogram for histograms."""

    __slots__ = ()


class DropAggregation(Aggregation):
    """Discard the instrument's measurements."""

    __slots__ = ()


class SumAggregation(Aggregation):
    """Arithmetic sum of the measurements."""

    __slots__ = ()


class LastValueAggregation(Aggregation):
    """The last measurement (a gauge)."""

    __slots__ = ()


class ExplicitBucketHistogramAggregation(Aggregation):
    """Counts per bucket ``(b[i-1], b[i]]`` of ``boundaries``, plus count, sum, min, max."""

    __slots__ = ("_boundaries", "_record_min_max")

    def __init__(
        self,
        boundaries: Sequence[float] | None = None,
        record_min_max: bool = True,
    ) -> None:
        self._boundaries = _clean_boundaries(boundaries)
        self._record_min_max = bool(record_min_max)

    @property
    def boundaries(self) -> tuple[float, ...]:
        return self._boundaries

    @property
    def record_min_max(self) -> bool:
        return self._record_min_max

    def _key(self) -> tuple[object, ...]:
        return (type(self), self._boundaries, self._record_min_max)


class ExponentialBucketHistogramAggregation(Aggregation):
    """Base-2 exponential buckets, at most ``max_size`` per sign, scale at most ``max_scale``.

    ``record_min_max=False`` leaves the points' ``min`` and ``max`` unset.
    """

    __slots__ = ("_max_scale", "_max_size", "_record_min_max")

    def __init__(
        self, max_size: int = 160, max_scale: int = 20, record_min_max: bool = True
    ) -> None:
        if not isinstance(max_size, int) or max_size < 2:
            _logger.warning("Invalid max_size %r (must be an int >= 2); using 160", max_size)
            max_size = 160
        if not isinstance(max_scale, int) or not -10 <= max_scale <= 20:
            _logger.warning("Invalid max_scale %r (must be -10..20); using 20", max_scale)
            max_scale = 20
        self._max_size = max_size
        self._max_scale = max_scale
        self._record_min_max = bool(record_min_max)

    @property
    def max_size(self) -> int:
        return self._max_size

    @property
    def max_scale(self) -> int:
        return self._max_scale

    @property
    def record_min_max(self) -> bool:
        return self._record_min_max

    def _key(self) -> tuple[object, ...]:
        return (type(self), self._max_size, self._max_scale, self._record_min_max)


def _clean_boundaries(boundaries: Iterable[float] | None) -> tuple[float, ...]:
    if boundaries is None:
        return _DEFAULT_BOUNDARIES
    try:
        result = tuple(float(b) for b in boundaries)
    except (TypeError, ValueError):
        _logger.warning("Invalid histogram boundaries %r; using the defaults", boundaries)
        return _DEFAULT_BOUNDARIES
    if any(math.isnan(b) or math.isinf(b) for b in result) or any(
        a >= b for a, b in itertools.pairwise(result)
    ):
        _logger.warning(
            "Histogram boundaries %r must be finite and strictly increasing; using the defaults",
            boundaries,
        )
        return _DEFAULT_BOUNDARIES
    return result


def _resolve_default(instrument: Instrument, advisory: Sequence[float] | None) -> Aggregation:
    """The concrete aggregation DefaultAggregation means for ``instrument``."""
    if isinstance(
        instrument,
        (Counter, UpDownCounter, ObservableCounter, ObservableUpDownCounter),
    ):
        return SumAggregation()
    if isinstance(instrument, Histogram):
        return ExplicitBucketHistogramAggregation(advisory)
    if isinstance(instrument, (Gauge, ObservableGauge)):
        return LastValueAggregation()
    return DropAggregation()


def _wildcard_regex(pattern: str) -> re.Pattern[str]:
    parts = []
    for char in pattern:
        if char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


ExemplarReservoirBuilder = Callable[..., "ExemplarReservoir"]
ExemplarReservoirFactory = Callable[[type[Aggregation]], ExemplarReservoirBuilder]


class View:
    """Select instruments and say how to report them (name, attributes, aggregation).

    Selection criteria are combined with AND; ``instrument_name`` accepts ``*`` and ``?``
    wildcards (case-insensitive). A view with no criterion, or one that renames
    (``name=``) while its name pattern can match several instruments, is logged and
    ignored rather than raising into the application.
    """

    def __init__(
        self,
        instrument_type: type | None = None,
        instrument_name: str | None = None,
        meter_name: str | None = None,
        meter_version: str | None = None,
        meter_schema_url: str | None = None,
        name: str | None = None,
        description: str | None = None,
        attribute_keys: Iterable[str] | None = None,
        aggregation: Aggregation | None = None,
        exemplar_reservoir_factory: ExemplarReservoirFactory | None = None,
        instrument_unit: str | None = None,
        aggregation_cardinality_limit: int | None = None,
    ) -> None:
        self._valid = True
        if (
            instrument_type is None
            and instrument_name is None
            and meter_name is None
            and meter_version is None
            and meter_schema_url is None
            and instrument_unit is None
        ):
            _logger.error("View ignored: it needs at least one instrument selection criterion")
            self._valid = False
        if (
            name is not None
            and instrument_name is not None
            and ("*" in instrument_name or "?" in instrument_name)
        ):
            _logger.error(
                "View ignored: name=%r renames every instrument matching the wildcard %r",
                name,
                instrument_name,
            )
            self._valid = False
        if aggregation_cardinality_limit is not None and (
            not isinstance(aggregation_cardinality_limit, int) or aggregation_cardinality_limit < 2
        ):
            _logger.warning(
                "Invalid aggregation_cardinality_limit %r (an int >= 2); using the reader's",
                aggregation_cardinality_limit,
            )
            aggregation_cardinality_limit = None
        self._instrument_type = instrument_type
        self._instrument_name = instrument_name
        self._name_regex = None if instrument_name is None else _wildcard_regex(instrument_name)
        self._meter_name = meter_name
        self._meter_version = meter_version
        self._meter_schema_url = meter_schema_url
        self._instrument_unit = instrument_unit
        self._name = name
        self._description = description
        self._attribute_keys = None if attribute_keys is None else frozenset(attribute_keys)
        self._aggregation = aggregation if aggregation is not None else DefaultAggregation()
        self._exemplar_reservoir_factory = exemplar_reservoir_factory
        self._aggregation_cardinality_limit = aggregation_cardinality_limit

    def _match(self, instrument: Instrument, scope: InstrumentationScope) -> bool:
        if not self._valid:
            return False
        if self._instrument_type is not None and not isinstance(instrument, self._instrument_type):
            return False
        if self._name_regex is not None and not self._name_regex.fullmatch(instrument.name):
            return False
        if self._instrument_unit is not None and self._instrument_unit != instrument.unit:
            return False
        if self._meter_name is not None and self._meter_name != scope.name:
            return False
        if self._meter_version is not None and self._meter_version != scope.version:
            return False
        return not (
            self._meter_schema_url is not None and self._meter_schema_url != scope.schema_url
        )

    def __repr__(self) -> str:
        return (
            f"View(instrument_name={self._instrument_name!r}, "
            f"instrument_type={self._instrument_type!r}, name={self._name!r})"
        )
