"""Translation to Prometheus per the OpenTelemetry compatibility specification."""

from __future__ import annotations

import logging

import pytest
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_om

from otel.exporter.prometheus import CollectorRegistry, PrometheusMetricReader
from otel.exporter.prometheus._encode import _bucket_exemplars, encode
from otel.exporter.prometheus._model import Exposition, merge_histograms
from otel.exporter.prometheus._names import (
    family_name,
    prometheus_unit,
    sanitize_label_name,
    sanitize_metric_name,
)
from otel.exporter.prometheus._translate import Translator
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import (
    AggregationTemporality,
    Metric,
    MetricsData,
    NumberDataPoint,
    ResourceMetrics,
    ScopeMetrics,
    Sum,
)
from otel.sdk.resources import Resource
from otel.sdk.util.instrumentation import InstrumentationScope


def _scrape(
    build: object, openmetrics: bool = False, resource: Resource | None = None, **options: object
) -> str:
    registry = CollectorRegistry()
    reader = PrometheusMetricReader(registry=registry, **options)  # type: ignore[arg-type]
    provider = MeterProvider(
        metric_readers=[reader], resource=resource or Resource({}), shutdown_on_exit=False
    )
    build(provider)  # type: ignore[operator]
    try:
        return registry.generate_latest(openmetrics).decode()
    finally:
        provider.shutdown()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("http.server.duration", "http_server_duration"),
        ("a..b--c", "a_b_c"),
        ("0day", "_0day"),
        ("ns:metric", "ns:metric"),
        ("ünïcode", "_n_code"),
    ],
)
def test_metric_names_are_sanitized(name: str, expected: str) -> None:
    assert sanitize_metric_name(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [("http.method", "http_method"), ("a:b", "a_b"), ("9x", "_9x"), ("__x", "_x")],
)
def test_label_names_are_sanitized(name: str, expected: str) -> None:
    assert sanitize_label_name(name) == expected


@pytest.mark.parametrize(
    ("unit", "gauge", "expected"),
    [
        ("s", False, "seconds"),
        ("ms", False, "milliseconds"),
        ("By", False, "bytes"),
        ("KiBy", False, "kibibytes"),
        ("{request}", False, ""),
        ("{packet}/s", False, "per_second"),
        ("By/s", False, "bytes_per_second"),
        ("m/s", False, "meters_per_second"),
        ("1", True, "ratio"),
        ("1", False, ""),
        ("%", False, "percent"),
        ("Cel", True, "celsius"),
        ("widgets", False, "widgets"),
        ("", False, ""),
    ],
)
def test_units_become_name_suffixes(unit: str, gauge: bool, expected: str) -> None:
    assert prometheus_unit(unit, is_gauge=gauge) == expected


def test_a_name_already_ending_with_its_unit_is_not_suffixed_twice() -> None:
    assert family_name("duration_seconds", "seconds", counter=False) == "duration_seconds"


def test_a_counter_name_ending_in_total_gets_its_unit_before_total() -> None:
    assert family_name("sent_total", "bytes", counter=True) == "sent_bytes"


def test_monotonic_sums_get_the_total_suffix() -> None:
    text = _scrape(lambda p: p.get_meter("m").create_counter("jobs", unit="s").add(2))
    assert "# TYPE jobs_seconds_total counter\n" in text
    assert 'jobs_seconds_total{otel_scope_name="m",otel_scope_version=""} 2\n' in text


def test_non_monotonic_sums_are_gauges() -> None:
    text = _scrape(lambda p: p.get_meter("m").create_up_down_counter("items").add(-4))
    assert "# TYPE items gauge\n" in text
    assert "items_total" not in text


def test_one_help_and_type_per_family_whatever_the_scopes_and_label_sets() -> None:
    def build(provider: MeterProvider) -> None:
        for scope in ("a", "b"):
            counter = provider.get_meter(scope).create_counter("hits", description="Hits")
            counter.add(1, {"x": "1"})
            counter.add(1, {"y": "2", "z": "3"})

    for openmetrics in (False, True):
        text = _scrape(build, openmetrics)
        assert text.count("# TYPE hits") == 1
        assert text.count("# HELP hits") == 1
        assert text.count("hits_total{") == 4


def test_a_metric_whose_type_conflicts_is_dropped_with_a_logged_reason(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def build(provider: MeterProvider) -> None:
        provider.get_meter("a").create_counter("clash").add(1)
        provider.get_meter("b").create_histogram("clash").record(1)

    with caplog.at_level(logging.WARNING, "otel.exporter.prometheus"):
        text = _scrape(build, True)
    assert "clash_total" in text and "clash_bucket" not in text
    assert "one TYPE per family" in caplog.text
    assert parse_om(text)


def test_colliding_attribute_keys_are_merged_with_semicolons_in_key_order() -> None:
    text = _scrape(
        lambda p: p.get_meter("m").create_counter("c").add(1, {"a.b": "dot", "a_b": "under"})
    )
    assert 'a_b="dot;under"' in text


def test_an_attribute_named_like_a_reserved_label_is_renamed() -> None:
    text = _scrape(lambda p: p.get_meter("m").create_histogram("h").record(1, {"le": "x"}))
    assert '_le="x"' in text
    assert parse_om(_scrape(lambda p: p.get_meter("m").create_histogram("h").record(1), True))


def test_label_values_are_escaped() -> None:
    text = _scrape(lambda p: p.get_meter("m").create_counter("c").add(1, {"v": 'a"b\\c\nd'}))
    assert 'v="a\\"b\\\\c\\nd"' in text


def test_non_string_attribute_values_become_strings() -> None:
    text = _scrape(
        lambda p: (
            p.get_meter("m")
            .create_counter("c")
            .add(1, {"b": True, "i": 3, "f": 0.5, "s": ("x", "y")})
        )
    )
    assert 'b="true",f="0.5",i="3",s="[\\"x\\",\\"y\\"]"' in text


def test_an_empty_description_uses_the_metric_name_as_help() -> None:
    text = _scrape(lambda p: p.get_meter("m").create_counter("my.count").add(1))
    assert "# HELP my_count_total my.count\n" in text


def test_target_info_carries_the_resource_and_can_be_disabled() -> None:
    resource = Resource({"service.name": "shop", "host.name": "h1"})

    def build(provider: MeterProvider) -> None:
        provider.get_meter("m").create_counter("c").add(1)

    text = _scrape(build, resource=resource)
    assert 'target_info{host_name="h1",service_name="shop"} 1\n' in text
    assert "target_info" not in _scrape(build, resource=resource, disable_target_info=True)


def test_scope_labels_can_be_disabled() -> None:
    text = _scrape(
        lambda p: p.get_meter("m", "1").create_counter("c").add(1), scope_info_enabled=False
    )
    assert "c_total 1\n" in text


def test_the_prefix_is_prepended_to_every_name() -> None:
    text = _scrape(lambda p: p.get_meter("m").create_counter("c").add(1), prefix="app")
    assert "app_c_total{" in text


def test_selected_resource_attributes_are_copied_as_labels() -> None:
    text = _scrape(
        lambda p: p.get_meter("m").create_counter("c").add(1),
        resource=Resource({"service.name": "shop", "other": "no"}),
        resource_attribute_filter=lambda key: key == "service.name",
    )
    assert 'c_total{service_name="shop",otel_scope_name="m"' in text


def test_a_histogram_with_negative_values_has_no_sum() -> None:
    def build(provider: MeterProvider) -> None:
        gauge = provider.get_meter("m").create_histogram(
            "h", explicit_bucket_boundaries_advisory=[-1.0, 0.0, 1.0]
        )
        gauge.record(0.5)

    text = _scrape(build, True)
    assert "h_sum" not in text and "h_count" in text
    assert parse_om(text)


def test_delta_data_is_dropped_with_a_logged_reason(caplog: pytest.LogCaptureFixture) -> None:
    point = NumberDataPoint({}, 1, 2, 5)
    data = MetricsData(
        [
            ResourceMetrics(
                Resource({}),
                [
                    ScopeMetrics(
                        InstrumentationScope("s"),
                        [Metric("d", "", "", Sum([point], AggregationTemporality.DELTA, True))],
                    )
                ],
            )
        ]
    )
    out = Exposition()
    with caplog.at_level(logging.WARNING, "otel.exporter.prometheus"):
        Translator().translate(data, out)
    assert not out.families
    assert "delta temporality" in caplog.text


def test_each_bucket_shows_its_largest_exemplar_or_the_one_below() -> None:
    chosen = _bucket_exemplars([1.0, 2.0, 3.0], [[0.5, "a"], [0.7, "b"], [2.5, "c"]])
    assert chosen == ["b", "b", "c", "c"]


def test_exponential_histograms_of_different_scales_merge_at_the_lower_scale() -> None:
    a = ["e", 1, 0, 0.0, 0, [1, 1], 0, [], 3.0, 2, None, False, []]
    b = ["e", 0, 1, 0.0, 0, [2], 0, [], 2.0, 3, None, False, []]
    merged = merge_histograms(a, b)
    assert merged is not None
    assert merged[1] == 0 and merged[5] == [4] and merged[2] == 1 and merged[9] == 5
    out = Exposition()
    family = out.family("x", "histogram", "X", "")
    assert family is not None
    out.add(family, "", merged)
    assert 'x_bucket{le="2.0"} 5\n' in encode(out, False)
