"""Aggregations: one stream class per aggregation, each in its own module.

- ``_base``: what they share (``_Stream``: attribute-set cache, cardinality limit and
  overflow series, exemplars, the collection protocol; ``ReaderState``; ``GIL_ATOMIC``).
- ``_config``: ``StreamConfig``, the typed settings a stream is built from.
- ``sum`` (with ``SumRecord``: the one ``add`` of the stream and of the SDK counters),
  ``last_value``, ``histogram`` (with ``HistogramTotals``, and ``HistogramRecord``:
  the one ``record`` of the stream and of the SDK ``Histogram`` instrument), ``exponential``.

A stream's ``record(value, attributes, context)`` is the measurement hot path: lock-free
under the GIL (see ``_base``). The provider builds one stream per instrument x view x
aggregation and calls ``collect`` per reader.
"""

from otel.sdk.metrics._aggregation._base import (
    DEFAULT_CARDINALITY_LIMIT,
    GIL_ATOMIC,
    ReaderState,
    _Stream,
)
from otel.sdk.metrics._aggregation._config import StreamConfig
from otel.sdk.metrics._aggregation.exponential import ExponentialHistogramStream
from otel.sdk.metrics._aggregation.histogram import HistogramRecord, HistogramStream
from otel.sdk.metrics._aggregation.last_value import LastValueStream
from otel.sdk.metrics._aggregation.sum import LOWEST_UP_DOWN, SumRecord, SumStream

__all__ = [
    "DEFAULT_CARDINALITY_LIMIT",
    "GIL_ATOMIC",
    "LOWEST_UP_DOWN",
    "ExponentialHistogramStream",
    "HistogramRecord",
    "HistogramStream",
    "LastValueStream",
    "ReaderState",
    "StreamConfig",
    "SumRecord",
    "SumStream",
    "_Stream",
]
