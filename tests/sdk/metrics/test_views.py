"""Views: rename, attribute filter, drop, wildcards, meter selection, several streams."""

from __future__ import annotations

from typing import Any

from otel.sdk.metrics import Counter, Histogram, MeterProvider
from otel.sdk.metrics.export import InMemoryMetricReader
from otel.sdk.metrics.view import DropAggregation, SumAggregation, View


def _collect(views: list[View], record: Any, meter_name: str = "test") -> dict[str, Any]:
    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader], views=views, shutdown_on_exit=False)
    record(provider.get_meter(meter_name))
    data = reader.get_metrics_data()
    assert data is not None
    metrics: dict[str, Any] = {}
    for rm in data.resource_metrics:
        for sm in rm.scope_metrics:
            for metric in sm.metrics:
                metrics[metric.name] = metric
    return metrics


def test_rename_and_describe() -> None:
    view = View(instrument_name="requests", name="http.requests", description="All requests")
    metrics = _collect([view], lambda m: m.create_counter("requests", "1", "x").add(1))
    assert list(metrics) == ["http.requests"]
    assert metrics["http.requests"].description == "All requests"
    assert metrics["http.requests"].unit == "1"


def test_attribute_keys_filter_merges_series() -> None:
    view = View(instrument_name="requests", attribute_keys={"route"})

    def record(meter: Any) -> None:
        counter = meter.create_counter("requests")
        counter.add(1, {"route": "/a", "user": "u1"})
        counter.add(1, {"route": "/a", "user": "u2"})
        counter.add(1, {"route": "/b", "user": "u1"})

    points = _collect([view], record)["requests"].data.data_points
    assert {p.attributes["route"]: p.value for p in points} == {"/a": 2, "/b": 1}
    assert all(set(p.attributes) == {"route"} for p in points)


def test_drop_aggregation_removes_the_instrument() -> None:
    view = View(instrument_name="noisy", aggregation=DropAggregation())

    def record(meter: Any) -> None:
        meter.create_counter("noisy").add(1)
        meter.create_counter("kept").add(1)

    assert list(_collect([view], record)) == ["kept"]


def test_wildcard_matches_several_instruments() -> None:
    view = View(instrument_name="http.*", aggregation=DropAggregation())

    def record(meter: Any) -> None:
        meter.create_counter("http.requests").add(1)
        meter.create_counter("HTTP.errors").add(1)
        meter.create_counter("db.calls").add(1)

    assert list(_collect([view], record)) == ["db.calls"]


def test_question_mark_wildcard_matches_one_character() -> None:
    view = View(instrument_name="q?", aggregation=DropAggregation())

    def record(meter: Any) -> None:
        meter.create_counter("q1").add(1)
        meter.create_counter("q12").add(1)

    assert list(_collect([view], record)) == ["q12"]


def test_instrument_type_and_meter_name_select() -> None:
    views = [
        View(instrument_type=Histogram, aggregation=DropAggregation()),
        View(meter_name="other", aggregation=DropAggregation()),
    ]

    def record(meter: Any) -> None:
        meter.create_histogram("h").record(1)
        meter.create_counter("c").add(1)

    assert list(_collect(views, record)) == ["c"]
    assert _collect(views, record, meter_name="other") == {}


def test_two_matching_views_give_two_streams() -> None:
    views = [
        View(instrument_type=Counter, name="copy_one"),
        View(instrument_name="c", name="copy_two", aggregation=SumAggregation()),
    ]
    metrics = _collect(views, lambda m: m.create_counter("c").add(3))
    assert sorted(metrics) == ["copy_one", "copy_two"]
    assert all(m.data.data_points[0].value == 3 for m in metrics.values())


def test_view_without_criteria_is_ignored_not_raised() -> None:
    metrics = _collect([View(name="x")], lambda m: m.create_counter("c").add(1))
    assert list(metrics) == ["c"]


def test_rename_with_wildcard_is_ignored_not_raised() -> None:
    metrics = _collect(
        [View(instrument_name="*", name="same")], lambda m: m.create_counter("c").add(1)
    )
    assert list(metrics) == ["c"]
