"""OTEL_TRACES_EXPORTER names: every registered span exporter is built from the environment."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

from otel.sdk.trace.export import SpanExporter

NAMES = ["jaeger", "jaeger_thrift", "zipkin", "zipkin_json", "zipkin_proto"]


@pytest.mark.parametrize("name", NAMES)
def test_each_name_loads_an_exporter_constructible_without_arguments(name: str) -> None:
    (entry,) = [e for e in entry_points(group="otel_traces_exporter") if e.name == name]
    exporter = entry.load()()
    try:
        assert isinstance(exporter, SpanExporter)
    finally:
        exporter.shutdown()
