"""The export timeout is a deadline for the whole export, against a real dripping peer."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator

import pytest
from drip_server import dripping_server

from otel.exporter._transport import HttpTransport, Request, TransportError


@pytest.fixture
def drip() -> Iterator[str]:
    with dripping_server() as url:
        yield url


def test_a_dripping_answer_ends_at_the_deadline(drip: str) -> None:
    transport = HttpTransport()
    start = time.monotonic()
    with pytest.raises(TransportError) as caught:
        transport.send(Request("POST", drip + "/v1/traces", {}, b"x"), time.monotonic() + 1.0)
    elapsed = time.monotonic() - start
    transport.close()
    assert caught.value.timed_out
    assert 0.9 <= elapsed < 1.6


def _exporters(endpoint: str) -> dict[str, object]:
    from otel.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from otel.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    return {
        "traces": OTLPSpanExporter(endpoint=endpoint + "/v1/traces", timeout=1),
        "metrics": OTLPMetricExporter(endpoint=endpoint + "/v1/metrics", timeout=1),
        "logs": OTLPLogExporter(endpoint=endpoint + "/v1/logs", timeout=1),
    }


@pytest.mark.parametrize("signal", ["traces", "metrics", "logs"])
def test_otlp_http_export_of_every_signal_ends_within_its_timeout(
    drip: str, signal: str, caplog: pytest.LogCaptureFixture
) -> None:
    import otlp_testkit as k

    exporter = _exporters(drip)[signal]
    batch = {"traces": [k.full_span()], "metrics": k.metrics_data(), "logs": [k.log_data()]}
    start = time.monotonic()
    result = exporter.export(batch[signal])  # type: ignore[attr-defined]
    elapsed = time.monotonic() - start
    exporter.shutdown()  # type: ignore[attr-defined]
    assert result.name == "FAILURE"
    assert elapsed < 1.6
    assert "gave up after 1" in caplog.text or "gave up after 0.9" in caplog.text


def test_shutdown_ends_an_export_in_flight(drip: str) -> None:
    import threading

    import otlp_testkit as k

    from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    exporter = OTLPSpanExporter(endpoint=drip + "/v1/traces", timeout=30)
    threading.Timer(0.3, exporter.shutdown).start()
    start = time.monotonic()
    assert exporter.export([k.full_span()]).name == "FAILURE"
    assert time.monotonic() - start < 2.0


def test_a_process_exporting_to_a_dripping_backend_exits_within_its_timeout(drip: str) -> None:
    script = textwrap.dedent(
        f"""
        from otel import trace
        from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from otel.sdk.trace import TracerProvider
        from otel.sdk.trace.export import BatchSpanProcessor

        provider = TracerProvider()
        provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint="{drip}/v1/traces", timeout=2))
        )
        trace.set_tracer_provider(provider)
        tracer = trace.get_tracer("t")
        for i in range(10):
            with tracer.start_as_current_span(f"s{{i}}"):
                pass
        """
    )
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30
    )
    elapsed = time.monotonic() - start
    assert done.returncode == 0, done.stderr
    assert elapsed < 5.0, done.stderr
    assert "Failed to export 10 spans" in done.stderr
    assert "gave up after 2" in done.stderr or "gave up after 1.9" in done.stderr
