"""API names and signatures kept for code written against the official metrics API."""

from __future__ import annotations

from otel import metrics
from otel.attributes import Attributes
from otel.context import Context


class _MyHistogram(metrics.Histogram):
    def record(
        self, amount: int | float, attributes: Attributes = None, context: Context | None = None
    ) -> None:
        return None


def test_histogram_subclass_takes_bucket_boundaries_advisory_as_fourth_argument() -> None:
    histogram = _MyHistogram("latency", "ms", "request latency", [1.0, 5.0])
    assert (histogram.name, histogram.unit, histogram.description) == (
        "latency",
        "ms",
        "request latency",
    )


def test_noop_histogram_takes_bucket_boundaries_advisory_by_keyword() -> None:
    histogram = metrics.NoOpHistogram("h", explicit_bucket_boundaries_advisory=[1.0])
    histogram.record(3)
    assert histogram.name == "h"


def test_private_noop_gauge_name_is_the_noop_gauge() -> None:
    assert metrics._NoOpGauge is metrics.NoOpGauge
    assert "_NoOpGauge" in metrics.__all__
