"""OTLP/HTTP transport and retry policy against a real HTTP receiver."""

from __future__ import annotations

import gzip
import logging
import os
import threading
import time
import warnings

import otlp_testkit as k
import pytest
from google.rpc import status_pb2
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse
from otlp_peers import Receiver

from otel.exporter.otlp._config import Compression
from otel.exporter.otlp._exporter import ExportCore
from otel.exporter.otlp._http import CONTENT_TYPE_PROTOBUF, HttpSender
from otel.exporter.otlp._proto._encode_trace import encode_spans

BODY = encode_spans([k.full_span()])


pytestmark = pytest.mark.usefixtures("fast_backoff")


def make_core(
    url: str,
    timeout: float = 5.0,
    compression: Compression = Compression.NoCompression,
    headers: dict[str, str] | None = None,
) -> ExportCore:
    sender = HttpSender(
        url,
        headers=headers or {},
        content_type=CONTENT_TYPE_PROTOBUF,
        compression=compression,
    )
    core = ExportCore("traces", sender, timeout)
    k.OPEN_CORES.append(core)
    return core


def send(core: ExportCore) -> bool:
    return core.send(lambda: BODY, 1)


def test_posts_protobuf_to_the_signal_path(otlp_receiver: Receiver) -> None:
    assert send(make_core(otlp_receiver.url("traces")))
    (req,) = otlp_receiver.requests
    assert req.path == "/v1/traces"
    assert req.headers["Content-Type"] == "application/x-protobuf"
    assert req.headers["User-Agent"].startswith("otel-python/")
    assert req.message.resource_spans[0].scope_spans[0].spans[0].name == "GET /users/{id}"


def test_custom_headers_are_sent(otlp_receiver: Receiver) -> None:
    core = make_core(otlp_receiver.url(), headers={"Authorization": "Bearer x", "x-tenant": "t1"})
    assert send(core)
    headers = otlp_receiver.requests[0].headers
    assert headers["Authorization"] == "Bearer x"
    assert headers["x-tenant"] == "t1"


def test_gzip_body_is_decompressed_by_the_receiver(otlp_receiver: Receiver) -> None:
    assert send(make_core(otlp_receiver.url(), compression=Compression.Gzip))
    (req,) = otlp_receiver.requests
    assert req.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(req.raw) == BODY
    assert req.message.resource_spans[0].scope_spans[0].spans[0].name == "GET /users/{id}"


def test_deflate_body(otlp_receiver: Receiver) -> None:
    assert send(make_core(otlp_receiver.url(), compression=Compression.Deflate))
    assert otlp_receiver.requests[0].headers["Content-Encoding"] == "deflate"
    assert otlp_receiver.requests[0].body == BODY


def test_connection_is_reused_between_exports(otlp_receiver: Receiver) -> None:
    core = make_core(otlp_receiver.url())
    assert send(core) and send(core) and send(core)
    assert len(otlp_receiver.requests) == 3
    assert len(otlp_receiver.connections) == 1


def test_503_then_200_is_retried_and_succeeds(otlp_receiver: Receiver) -> None:
    otlp_receiver.respond(503, b"busy")
    assert send(make_core(otlp_receiver.url()))
    assert len(otlp_receiver.requests) == 2


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_retryable_statuses(otlp_receiver: Receiver, status: int) -> None:
    otlp_receiver.respond(status)
    assert send(make_core(otlp_receiver.url()))
    assert len(otlp_receiver.requests) == 2


def test_429_retry_after_is_honoured(otlp_receiver: Receiver) -> None:
    otlp_receiver.respond(429, b"slow down", Retry_After="1")
    start = time.monotonic()
    assert send(make_core(otlp_receiver.url()))
    assert time.monotonic() - start >= 0.95
    assert len(otlp_receiver.requests) == 2


def test_retry_after_beyond_the_timeout_fails_at_once(
    otlp_receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    otlp_receiver.respond(503, b"", Retry_After="30")
    start = time.monotonic()
    assert not send(make_core(otlp_receiver.url(), timeout=2.0))
    assert time.monotonic() - start < 1.0
    assert len(otlp_receiver.requests) == 1
    assert "503" in caplog.text


def test_400_is_not_retried_and_logs_the_server_message(
    otlp_receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    status = status_pb2.Status(code=3, message="span name must not be empty")
    otlp_receiver.respond(400, status.SerializeToString(), Content_Type="application/x-protobuf")
    with caplog.at_level(logging.ERROR, logger="otel.exporter.otlp"):
        assert not send(make_core(otlp_receiver.url()))
    assert len(otlp_receiver.requests) == 1
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "400" in errors[0].getMessage()
    assert "span name must not be empty" in errors[0].getMessage()
    assert "not retried" in errors[0].getMessage()


def test_plain_text_error_body_is_logged(
    otlp_receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    otlp_receiver.respond(401, b"token expired", Content_Type="text/plain")
    assert not send(make_core(otlp_receiver.url()))
    assert "token expired" in caplog.text


def test_partial_success_is_logged_with_its_counts(
    otlp_receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    response = ExportTraceServiceResponse()
    response.partial_success.rejected_spans = 2
    response.partial_success.error_message = "2 spans had no name"
    otlp_receiver.respond(200, response.SerializeToString())
    with caplog.at_level(logging.WARNING, logger="otel.exporter.otlp"):
        assert send(make_core(otlp_receiver.url()))
    (record,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "2 rejected" in record.getMessage()
    assert "2 spans had no name" in record.getMessage()


def test_empty_partial_success_is_not_logged(
    otlp_receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    otlp_receiver.respond(200, ExportTraceServiceResponse().SerializeToString())
    with caplog.at_level(logging.WARNING, logger="otel.exporter.otlp"):
        assert send(make_core(otlp_receiver.url()))
    assert not caplog.records


def test_silent_server_fails_within_the_timeout_and_leaves_no_thread(
    silent_endpoint: str, caplog: pytest.LogCaptureFixture
) -> None:
    threads_before = set(threading.enumerate())
    core = make_core(silent_endpoint + "/v1/traces", timeout=0.5)
    start = time.monotonic()
    assert not send(core)
    elapsed = time.monotonic() - start
    core.shutdown()
    assert 0.4 <= elapsed < 1.5
    assert set(threading.enumerate()) <= threads_before
    assert "Failed to export 1 traces" in caplog.text


def test_nothing_listening_fails_within_the_timeout(closed_port: str) -> None:
    core = make_core(closed_port + "/v1/traces", timeout=0.3)
    start = time.monotonic()
    assert not send(core)
    assert time.monotonic() - start < 1.0


def test_server_closing_the_kept_alive_connection_is_survived(otlp_receiver: Receiver) -> None:
    core = make_core(otlp_receiver.url())
    otlp_receiver.respond(200, b"", Connection="close")
    assert send(core)
    assert send(core)
    assert len(otlp_receiver.requests) == 2


def test_shutdown_interrupts_a_retry_wait(otlp_receiver: Receiver) -> None:
    otlp_receiver.respond(503, b"", Retry_After="3")
    core = make_core(otlp_receiver.url(), timeout=10)
    threading.Timer(0.2, core.shutdown).start()
    start = time.monotonic()
    assert not send(core)
    assert time.monotonic() - start < 1.5


def test_export_after_shutdown_fails_without_a_request(otlp_receiver: Receiver) -> None:
    core = make_core(otlp_receiver.url())
    core.shutdown()
    assert not send(core)
    assert otlp_receiver.requests == []


def test_encoder_error_is_logged_not_raised(
    otlp_receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> bytes:
        raise RuntimeError("bad span")

    assert not make_core(otlp_receiver.url()).send(broken, 3)
    assert "Failed to encode 3 traces" in caplog.text
    assert otlp_receiver.requests == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_child_uses_its_own_connection(otlp_receiver: Receiver) -> None:
    core = make_core(otlp_receiver.url())
    assert send(core)
    with warnings.catch_warnings():  # 3.12+: "multi-threaded process, fork() may deadlock"
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # child: export on a fresh connection, report by exit code
        try:
            code = 0 if send(core) else 1
        except BaseException:
            code = 2
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert send(core)
    assert len(otlp_receiver.requests) == 3
    assert len(otlp_receiver.connections) == 2


def test_json_answers_are_understood(
    otlp_receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    from otel.exporter.otlp import _json
    from otel.exporter.otlp._http import CONTENT_TYPE_JSON

    sender = HttpSender(
        otlp_receiver.url(),
        headers={},
        content_type=CONTENT_TYPE_JSON,
        compression=Compression.NoCompression,
    )
    core = ExportCore("traces", sender, 5.0)
    k.OPEN_CORES.append(core)
    otlp_receiver.respond(
        200,
        b'{"partialSuccess":{"rejectedSpans":"5","errorMessage":"dup"}}',
        Content_Type="application/json",
    )
    otlp_receiver.respond(
        400, b'{"code":3,"message":"bad json field"}', Content_Type="application/json"
    )
    body = _json.encode_spans([k.full_span()])
    assert core.send(lambda: body, 1)
    assert not core.send(lambda: body, 1)
    assert "5 rejected; dup" in caplog.text
    assert "bad json field" in caplog.text
    assert otlp_receiver.requests[0].headers["Content-Type"] == "application/json"
