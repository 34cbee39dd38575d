"""Our exposition checked by Prometheus's own tools and prometheus_client's parsers.

``promtool check metrics`` reads only the 0.0.4 text format (given OpenMetrics it reports
"no help text" for every counter: it does not understand ``# TYPE x counter`` with
``x_total`` samples, nor exemplars), so OpenMetrics output is validated with
prometheus_client's strict OpenMetrics parser, and by the real Prometheus server, which
negotiates OpenMetrics (test_real_prometheus.py).
"""

from __future__ import annotations

import subprocess

import pytest
from prom_peers import every_kind, require_binary
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse_om
from prometheus_client.parser import text_string_to_metric_families as parse_text

from otel.exporter.prometheus import CollectorRegistry
from otel.sdk.trace import TracerProvider

pytestmark = pytest.mark.interop

# The family each instrument of prom_peers.every_kind becomes (OpenMetrics name, type).
FAMILIES = {
    "requests": "counter",
    "queue_length": "gauge",
    "request_duration_seconds": "histogram",
    "exponential_size_bytes": "histogram",
    "temperature_celsius": "gauge",
    "cpu_time_seconds": "counter",
    "threads": "gauge",
    "memory_utilization_ratio": "gauge",
    "target": "info",
}


def _output(openmetrics: bool) -> str:
    registry = CollectorRegistry()
    provider, _ = every_kind(registry)
    try:
        return registry.generate_latest(openmetrics).decode()
    finally:
        provider.shutdown()


def test_promtool_finds_nothing_in_the_text_format_of_every_instrument_kind() -> None:
    promtool = require_binary("promtool")
    text = _output(openmetrics=False)
    proc = subprocess.run(
        [promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", ""), text


def test_promtool_cannot_read_openmetrics_so_the_strict_parser_does() -> None:
    promtool = require_binary("promtool")
    text = _output(openmetrics=True)
    proc = subprocess.run(
        [promtool, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode != 0  # promtool only knows the 0.0.4 text format
    assert {f.name for f in parse_om(text)} == set(FAMILIES)


def test_the_openmetrics_parser_accepts_every_instrument_kind_with_its_type() -> None:
    families = {f.name: f.type for f in parse_om(_output(openmetrics=True))}
    assert families == FAMILIES


def test_the_text_parser_accepts_every_instrument_kind_with_its_type() -> None:
    families = {f.name: f.type for f in parse_text(_output(openmetrics=False))}
    # The text parser names counters by their samples' base and shows info as a gauge.
    expected = {**FAMILIES, "target_info": "gauge"}
    del expected["target"]
    assert families == expected


def test_label_values_round_trip_through_both_parsers() -> None:
    for parse, text in ((parse_om, _output(True)), (parse_text, _output(False))):
        family = next(f for f in parse(text) if f.name == "requests")
        (sample,) = [s for s in family.samples if s.name == "requests_total"]
        assert sample.labels["odd"] == 'quote " back \\ nl \n'
        assert sample.labels["otel_scope_name"] == "test.meter"
        assert sample.value == 3


def test_the_exponential_histogram_is_exposed_as_classic_buckets() -> None:
    family = next(f for f in parse_om(_output(True)) if f.name == "exponential_size_bytes")
    buckets = [s for s in family.samples if s.name.endswith("_bucket")]
    bounds = [float(s.labels["le"]) for s in buckets]
    assert bounds == sorted(bounds) and bounds[-1] == float("inf")
    counts = {float(s.labels["le"]): s.value for s in buckets}
    assert counts[0.0] == 1  # the zero bucket
    assert counts[1.0] == 2
    assert counts[float("inf")] == 5
    # 100 sits in the bucket whose upper bound is the first >= 100
    first_at_least_100 = min(b for b in bounds if b >= 100)
    assert counts[first_at_least_100] == 4


def test_exemplars_parse_on_counters_and_buckets_with_trace_ids() -> None:
    tracer = TracerProvider().get_tracer("t")
    registry = CollectorRegistry()
    provider, _ = every_kind(registry)
    meter = provider.get_meter("exemplars")
    counter = meter.create_counter("sales", description="Sales")
    histogram = meter.create_histogram("latency", unit="s", description="Latency")
    gauge = meter.create_gauge("level", description="Level")
    with tracer.start_as_current_span("work") as span:
        counter.add(2)
        histogram.record(0.3)
        gauge.set(1)
        ids = span.get_span_context()
    text = registry.generate_latest(True).decode()
    provider.shutdown()
    families = {f.name: f for f in parse_om(text)}
    trace_id, span_id = format(ids.trace_id, "032x"), format(ids.span_id, "016x")
    (total,) = [s for s in families["sales"].samples if s.name == "sales_total"]
    assert total.exemplar is not None
    assert total.exemplar.labels == {"trace_id": trace_id, "span_id": span_id}
    with_exemplar = [s for s in families["latency_seconds"].samples if s.exemplar is not None]
    assert with_exemplar and all(s.exemplar.value == 0.3 for s in with_exemplar)
    assert float(with_exemplar[0].labels["le"]) >= 0.3
    # OpenMetrics has no exemplars on gauges, and the specification drops them.
    assert all(s.exemplar is None for s in families["level"].samples)


def test_created_samples_appear_only_in_openmetrics() -> None:
    assert "requests_created{" in _output(True)
    assert "_created" not in _output(False)
