"""OTLP/HTTP on the real transport against a real HTTP receiver (the wire, not the policy).

Retry policy and answer classification are tested on the recording transport in
``test_recorded_exports.py`` and ``tests/exporter/transport``.
"""

from __future__ import annotations

import gzip
import os
import threading
import time
import warnings

import otlp_testkit as k
import pytest
from otlp_peers import Receiver

from otel.exporter._transport import ExportCore, ExportOutcome
from otel.exporter.otlp._config import Compression
from otel.exporter.otlp._http import CONTENT_TYPE_PROTOBUF, otlp_http_sender
from otel.exporter.otlp._proto._encode_trace import encode_spans

BODY = encode_spans([k.full_span()])


pytestmark = pytest.mark.usefixtures("fast_backoff")


def make_core(
    url: str,
    timeout: float = 5.0,
    compression: Compression = Compression.NoCompression,
    headers: dict[str, str] | None = None,
) -> ExportCore:
    sender = otlp_http_sender(
        "traces",
        url,
        headers=headers or {},
        content_type=CONTENT_TYPE_PROTOBUF,
        compression=compression,
    )
    core = ExportCore("spans", sender, timeout)
    k.OPEN_CORES.append(core)
    return core


def send(core: ExportCore) -> bool:
    return core.send(lambda: BODY, 1) is ExportOutcome.SUCCESS


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
    assert "Failed to export 1 spans" in caplog.text


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


def test_http_client_sees_instrumentation_suppressed_during_an_export(
    otlp_receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    import http.client

    from otel.instrumentation.utils import is_instrumentation_enabled

    seen: list[bool] = []
    original = http.client.HTTPConnection.request

    def request(self: http.client.HTTPConnection, *args: object, **kwargs: object) -> None:
        seen.append(is_instrumentation_enabled())
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(http.client.HTTPConnection, "request", request)
    assert send(make_core(otlp_receiver.url()))
    assert seen == [False]
    assert is_instrumentation_enabled()
