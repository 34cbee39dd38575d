"""OTLPMetricExporter(max_export_batch_size=...) over HTTP: a collection split into requests."""

from __future__ import annotations

from typing import Any

from otlp_peers import Receiver

from otel.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import PeriodicExportingMetricReader


def _points(message: Any) -> dict[str, int]:
    found: dict[str, int] = {}
    for resource_metrics in message.resource_metrics:
        for scope_metrics in resource_metrics.scope_metrics:
            for metric in scope_metrics.metrics:
                for point in metric.sum.data_points:
                    found[point.attributes[0].value.string_value] = point.as_int
    return found


def _export_five_points(exporter: OTLPMetricExporter) -> None:
    reader = PeriodicExportingMetricReader(exporter, export_interval_millis=3_600_000)
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    counter = provider.get_meter("m").create_counter("orders")
    for index in range(5):
        counter.add(index + 1, {"shop": f"s{index}"})
    provider.shutdown()


def test_max_export_batch_size_splits_the_collection(otlp_receiver: Receiver) -> None:
    _export_five_points(
        OTLPMetricExporter(endpoint=otlp_receiver.url("metrics"), max_export_batch_size=2)
    )
    sizes = [len(_points(message)) for message in otlp_receiver.messages()]
    assert sizes == [2, 2, 1]
    merged: dict[str, int] = {}
    for message in otlp_receiver.messages():
        merged.update(_points(message))
    assert merged == {f"s{i}": i + 1 for i in range(5)}


def test_without_max_export_batch_size_one_request(otlp_receiver: Receiver) -> None:
    _export_five_points(OTLPMetricExporter(endpoint=otlp_receiver.url("metrics")))
    assert [len(_points(message)) for message in otlp_receiver.messages()] == [5]
