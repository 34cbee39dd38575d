"""The attribute-set cache key: ``raw_key`` and the copies the record paths inline.

Each record path looks a measurement's series up in its stream's cache by an inlined
copy of ``raw_key``; the slow path (``_find_cell``) stores the series under ``raw_key``.
If a copy computed another key, every measurement would take the slow path: these tests
record twice and count the slow path, for every stream kind and attribute form.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import pytest

from otel.attributes import CheckedAttributes
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics._aggregation._base import _Stream, raw_key
from otel.sdk.metrics.export import InMemoryMetricReader
from otel.sdk.metrics.view import ExponentialBucketHistogramAggregation, View
from otel.testing import point_values

ATTRIBUTE_FORMS: dict[str, Callable[[], Any]] = {
    "none": lambda: None,
    "empty dict": dict,
    "dict": lambda: {"http.request.method": "GET", "server.port": 80},
    "checked": lambda: CheckedAttributes({"http.request.method": "GET", "server.port": 80}),
    "other mapping": lambda: MappingProxyType({"http.request.method": "GET"}),
}


def _recorders(provider: MeterProvider) -> dict[str, Callable[[float, Any], None]]:
    meter = provider.get_meter("m")
    return {
        "counter": meter.create_counter("counter").add,
        "histogram": meter.create_histogram("histogram").record,
        "exponential histogram": meter.create_histogram("exponential").record,
        "gauge": meter.create_gauge("gauge").set,
    }


def test_raw_key_is_the_items_or_the_checked_mappings_own_key() -> None:
    checked = CheckedAttributes({"a": 1})
    assert raw_key(None) == () and raw_key({}) == ()
    assert raw_key({"a": 1, "b": "x"}) == (("a", 1), ("b", "x"))
    assert raw_key(MappingProxyType({"a": 1})) == (("a", 1),)
    assert raw_key(checked) is checked.cache_key


def test_equal_checked_mappings_have_distinct_keys() -> None:
    first, second = CheckedAttributes({"a": 1}), CheckedAttributes({"a": 1})
    assert first == second and first.cache_key != second.cache_key


@pytest.mark.parametrize("form", ATTRIBUTE_FORMS)
@pytest.mark.parametrize("kind", ["counter", "histogram", "exponential histogram", "gauge"])
def test_a_second_measurement_finds_its_series_without_the_slow_path(
    kind: str, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow_paths: list[object] = []
    find_cell = _Stream._find_cell

    def counting(self: _Stream, attributes: Any) -> Any:
        slow_paths.append(attributes)
        return find_cell(self, attributes)

    monkeypatch.setattr(_Stream, "_find_cell", counting)
    reader = InMemoryMetricReader()
    exponential = View(
        instrument_name="exponential", aggregation=ExponentialBucketHistogramAggregation()
    )
    provider = MeterProvider(metric_readers=[reader], views=[exponential])
    record = _recorders(provider)[kind]
    attributes = ATTRIBUTE_FORMS[form]()
    record(2, attributes)
    record(3, attributes)
    assert len(slow_paths) == 1
    name = kind.split()[0]
    assert len(point_values(reader, name)) == 1
