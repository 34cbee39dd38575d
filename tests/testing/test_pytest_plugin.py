"""The otel pytest plugin's fixtures, used the way a user's test suite would."""

from __future__ import annotations

import logging

from otel import metrics, trace
from otel.testing import CapturedLogs, CapturedMetrics, CapturedSpans, reset_globals


def test_capture_spans_fixture_records_spans_from_global_tracer(
    capture_spans: CapturedSpans,
) -> None:
    with trace.get_tracer("app").start_as_current_span("work"):
        pass
    assert [span.name for span in capture_spans.spans] == ["work"]


def test_capture_metrics_fixture_collects_counter(capture_metrics: CapturedMetrics) -> None:
    counter = capture_metrics.meter_provider.get_meter("app").create_counter("requests")
    counter.add(2, {"route": "/"})
    assert list(capture_metrics.metrics()) == ["requests"]


def test_capture_logs_fixture_captures_stdlib_logging(capture_logs: CapturedLogs) -> None:
    logging.getLogger("app").warning("disk %s full", "/tmp")
    assert [record.log_record.body for record in capture_logs] == ["disk /tmp full"]


def test_reset_globals_unbinds_proxy_tracers_and_meters() -> None:
    from otel.sdk.metrics import MeterProvider
    from otel.sdk.trace import TracerProvider

    tracer = trace.get_tracer("app")
    trace.set_tracer_provider(TracerProvider())
    metrics.set_meter_provider(MeterProvider())
    assert tracer.start_span("x").is_recording()
    reset_globals()
    assert not tracer.start_span("x").is_recording()
    assert not isinstance(metrics.get_meter_provider(), MeterProvider)
