"""Importing one signal's exporter loads only what that signal needs (issue 18.7)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

_PROBE = """
import json, sys
import {module}
print(json.dumps(sorted(sys.modules)))
"""


def _loaded(module: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE.format(module=module)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return set(json.loads(proc.stdout))


@pytest.mark.parametrize(
    "module", ["otel.exporter.otlp.proto.http.trace_exporter", "otel.exporter.otlp"]
)
def test_the_span_exporter_does_not_load_the_metrics_and_logs_sdks(module: str) -> None:
    loaded = _loaded(module)
    assert not {m for m in loaded if m.startswith(("otel.sdk.metrics", "otel.sdk.logs"))}
    # nor what only other protocols or the first export need
    assert not loaded & {"otel.exporter.otlp._json", "http.client", "ssl", "gzip"}


def test_the_metric_exporter_does_not_load_the_logs_sdk() -> None:
    loaded = _loaded("otel.exporter.otlp.proto.http.metric_exporter")
    assert "otel.sdk.metrics.export" in loaded
    assert not {m for m in loaded if m.startswith("otel.sdk.logs")}


def test_the_exporter_classes_are_the_same_through_every_path() -> None:
    import otel.exporter.otlp as short
    from otel.exporter.otlp import _http_exporters
    from otel.exporter.otlp.proto.http import _log_exporter, metric_exporter, trace_exporter

    assert short.OTLPSpanExporter is trace_exporter.OTLPSpanExporter
    assert short.OTLPMetricExporter is metric_exporter.OTLPMetricExporter
    assert short.OTLPLogExporter is _log_exporter.OTLPLogExporter
    assert _http_exporters.OTLPMetricExporter is metric_exporter.OTLPMetricExporter
