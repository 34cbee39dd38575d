"""The shared export core (retries, deadline, outcomes, logging) on the recording transport."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import pytest

from otel.exporter._transport import (
    ExportCore,
    ExportOutcome,
    HttpSender,
    RecordingTransport,
    Request,
    Response,
    TransportError,
    _retry,
)
from otel.instrumentation.utils import is_instrumentation_enabled

URL = "http://collector.invalid:4318/v1/traces"


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(_retry, "INITIAL_BACKOFF_S", 0.01)
    yield


def make(transport: RecordingTransport, timeout: float = 5.0) -> ExportCore:
    sender = HttpSender(transport, URL, {"Content-Type": "application/x-protobuf"})
    return ExportCore("spans", sender, timeout)


def send(core: ExportCore, count: int = 1) -> ExportOutcome:
    return core.send(lambda: b"body", count)


def test_a_2xx_answer_is_success_after_one_request() -> None:
    transport = RecordingTransport()
    assert send(make(transport)) is ExportOutcome.SUCCESS
    (sent,) = transport.sent
    assert sent.request.method == "POST"
    assert sent.request.url == URL
    assert sent.body == b"body"
    assert sent.headers["content-type"] == "application/x-protobuf"
    assert sent.headers["user-agent"].startswith("otel-python/")


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_retryable_statuses_are_retried(status: int) -> None:
    transport = RecordingTransport([status])
    assert send(make(transport)) is ExportOutcome.SUCCESS
    assert len(transport.sent) == 2


def test_transport_errors_are_retried() -> None:
    transport = RecordingTransport([TransportError("connection refused")])
    assert send(make(transport)) is ExportOutcome.SUCCESS
    assert len(transport.sent) == 2


def test_retry_after_is_honoured() -> None:
    transport = RecordingTransport([Response(503, headers={"retry-after": "0.3"})])
    start = time.monotonic()
    assert send(make(transport)) is ExportOutcome.SUCCESS
    assert time.monotonic() - start >= 0.28


def test_retry_after_beyond_the_timeout_ends_the_export_at_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    transport = RecordingTransport([Response(503, headers={"retry-after": "30"})])
    start = time.monotonic()
    assert send(make(transport, timeout=2.0), 7) is ExportOutcome.TIMED_OUT
    assert time.monotonic() - start < 1.0
    assert len(transport.sent) == 1
    assert "Failed to export 7 spans" in caplog.text
    assert "HTTP 503" in caplog.text


def test_a_400_is_final_and_logged_once_with_the_body(caplog: pytest.LogCaptureFixture) -> None:
    transport = RecordingTransport([Response(400, "Bad Request", body=b"no name")])
    assert send(make(transport)) is ExportOutcome.REJECTED
    assert len(transport.sent) == 1
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "HTTP 400 Bad Request: no name (not retried)" in record.getMessage()


def test_a_non_retryable_transport_error_is_final() -> None:
    transport = RecordingTransport([TransportError("bad certificate", retryable=False)])
    assert send(make(transport)) is ExportOutcome.REJECTED
    assert len(transport.sent) == 1


def test_the_transport_gets_the_export_deadline() -> None:
    transport = RecordingTransport()
    send(make(transport, timeout=3.0))
    assert 2.5 < transport.sent[0].remaining_s <= 3.0


def test_the_log_line_states_the_real_elapsed_time_and_attempts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    transport = RecordingTransport(default=TransportError("refused"))
    assert send(make(transport, timeout=0.3), 12) is ExportOutcome.TIMED_OUT
    message = caplog.records[-1].getMessage()
    assert "Failed to export 12 spans" in message
    assert "timeout 0.3 s" in message
    assert f"{len(transport.sent)} attempt(s)" in message


def test_shutdown_interrupts_a_retry_wait() -> None:
    transport = RecordingTransport([Response(503, headers={"retry-after": "3"})])
    core = make(transport, timeout=10)
    threading.Timer(0.2, core.shutdown).start()
    start = time.monotonic()
    assert send(core) is ExportOutcome.ABANDONED
    assert time.monotonic() - start < 1.5
    assert transport.closed


def test_export_after_shutdown_sends_nothing() -> None:
    transport = RecordingTransport()
    core = make(transport)
    core.shutdown()
    assert send(core) is ExportOutcome.DROPPED
    assert transport.sent == []


def test_an_encoder_error_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> bytes:
        raise RuntimeError("bad span")

    transport = RecordingTransport()
    assert make(transport).send(broken, 3) is ExportOutcome.DROPPED
    assert "Failed to encode 3 spans" in caplog.text
    assert transport.sent == []


def test_instrumentation_is_suppressed_while_the_transport_sends() -> None:
    seen: list[bool] = []

    def answer(request: Request) -> Response:
        seen.append(is_instrumentation_enabled())
        return Response(200)

    assert send(make(RecordingTransport(default=answer))) is ExportOutcome.SUCCESS
    assert seen == [False]
    assert is_instrumentation_enabled()


def test_gzip_is_applied_once_per_export() -> None:
    import gzip

    transport = RecordingTransport([503])
    sender = HttpSender(transport, URL, {}, compression="gzip")
    assert ExportCore("spans", sender, 5).send(lambda: b"x" * 100, 1) is ExportOutcome.SUCCESS
    first, second = transport.sent
    assert first.body is second.body
    assert gzip.decompress(first.body) == b"x" * 100
    assert first.headers["content-encoding"] == "gzip"


def test_a_bad_url_fails_every_export_with_the_reason(caplog: pytest.LogCaptureFixture) -> None:
    transport = RecordingTransport()
    core = ExportCore("spans", HttpSender(transport, "localhost:4318", {}), 1)
    assert "misconfigured" in caplog.text
    assert core.send(lambda: b"", 1) is ExportOutcome.REJECTED
    assert transport.sent == []
