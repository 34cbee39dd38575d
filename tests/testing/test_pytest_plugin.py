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
    assert [p.value for p in capture_metrics.points("requests")] == [2]


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


_IMPORT_TIME_COUNTER = metrics.get_meter("module").create_counter("imported_requests")


def test_capture_metrics_sees_instruments_made_before_any_provider() -> None:
    from otel.testing import capture_metrics

    for expected in (3, 5):  # two captures in a row: the proxy follows each provider
        with capture_metrics() as captured:
            _IMPORT_TIME_COUNTER.add(expected)
            points = captured.points("imported_requests")
        assert [p.value for p in points] == [expected]


def test_capture_metrics_restores_previous_global_provider() -> None:
    from otel.sdk.metrics import MeterProvider
    from otel.testing import capture_metrics

    outer = MeterProvider()
    metrics.set_meter_provider(outer)
    with capture_metrics():
        assert metrics.get_meter_provider() is not outer
    assert metrics.get_meter_provider() is outer


def test_reset_globals_sends_proxy_instruments_back_to_no_op() -> None:
    from otel.testing import capture_metrics

    with capture_metrics() as captured:
        reset_globals()
        _IMPORT_TIME_COUNTER.add(1)
        assert captured.points("imported_requests") == []


def test_no_internal_errors_fails_when_otel_logs_an_error() -> None:
    import pytest

    from otel.testing import no_internal_errors

    with pytest.raises(AssertionError), no_internal_errors():
        logging.getLogger("otel.sdk.trace").error("exporter broke")


def test_no_internal_errors_ignores_other_loggers() -> None:
    from otel.testing import no_internal_errors

    with no_internal_errors():
        logging.getLogger("app").error("not otel's problem")
