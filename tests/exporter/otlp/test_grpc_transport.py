"""OTLP/gRPC transport against a real grpcio server on opentelemetry-proto's stubs."""

from __future__ import annotations

import logging
import sys
import time

import grpc
import otlp_testkit as k
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceResponse
from otlp_grpc_peer import Failure, GrpcReceiver

from otel.exporter._transport import ExportCore, ExportOutcome
from otel.exporter.otlp._config import Compression
from otel.exporter.otlp._grpc import GrpcSender, import_grpc, parse_target
from otel.exporter.otlp._proto._encode_logs import encode_logs
from otel.exporter.otlp._proto._encode_metrics import encode_metrics
from otel.exporter.otlp._proto._encode_trace import encode_spans

pytestmark = pytest.mark.usefixtures("fast_backoff")


def make_core(
    endpoint: str,
    signal: str = "traces",
    timeout: float = 5.0,
    compression: Compression = Compression.NoCompression,
    headers: dict[str, str] | None = None,
) -> ExportCore:
    sender = GrpcSender(
        signal,
        endpoint,
        insecure=False,
        headers=headers or {},
        compression=compression,
    )
    core = ExportCore(signal, sender, timeout)
    k.OPEN_CORES.append(core)
    return core


def send_spans(core: ExportCore) -> bool:
    return core.send(lambda: encode_spans([k.full_span()]), 1) is ExportOutcome.SUCCESS


def test_traces_arrive_decoded_by_the_real_server(grpc_receiver: GrpcReceiver) -> None:
    assert send_spans(make_core(grpc_receiver.endpoint))
    (request,) = grpc_receiver.requests
    span = request.resource_spans[0].scope_spans[0].spans[0]
    assert span.name == "GET /users/{id}"
    assert span.links[0].attributes[0].value.string_value == "batch"


def test_metrics_and_logs_use_their_services(grpc_receiver: GrpcReceiver) -> None:
    data = k.metrics_data()
    metrics = make_core(grpc_receiver.endpoint, "metrics").send(lambda: encode_metrics(data), 5)
    logs = make_core(grpc_receiver.endpoint, "logs").send(lambda: encode_logs([k.log_data()]), 1)
    assert metrics is logs is ExportOutcome.SUCCESS
    metrics_request, logs_request = grpc_receiver.requests
    metric_names = [m.name for m in metrics_request.resource_metrics[0].scope_metrics[0].metrics]
    assert metric_names == ["requests", "queue.depth", "temperature", "latency", "size"]
    record = logs_request.resource_logs[0].scope_logs[0].log_records[0]
    assert record.body.string_value == "disk almost full"


def test_headers_become_lowercase_metadata(grpc_receiver: GrpcReceiver) -> None:
    core = make_core(grpc_receiver.endpoint, headers={"X-Tenant": "t1", "authorization": "k"})
    assert send_spans(core)
    metadata = grpc_receiver.metadata[0]
    assert metadata["x-tenant"] == "t1"
    assert metadata["authorization"] == "k"
    assert metadata["user-agent"].startswith("otel-python/")


def test_gzip_compressed_calls_are_accepted(grpc_receiver: GrpcReceiver) -> None:
    assert send_spans(make_core(grpc_receiver.endpoint, compression=Compression.Gzip))
    assert len(grpc_receiver.requests) == 1


def test_unavailable_is_retried(grpc_receiver: GrpcReceiver) -> None:
    grpc_receiver.script.append(Failure(grpc.StatusCode.UNAVAILABLE, "restarting"))
    assert send_spans(make_core(grpc_receiver.endpoint))
    assert grpc_receiver.attempts == 2


def test_resource_exhausted_with_retry_info_waits_the_given_delay(
    grpc_receiver: GrpcReceiver,
) -> None:
    grpc_receiver.script.append(Failure(grpc.StatusCode.RESOURCE_EXHAUSTED, "quota", 0.5))
    start = time.monotonic()
    assert send_spans(make_core(grpc_receiver.endpoint))
    assert time.monotonic() - start >= 0.45
    assert grpc_receiver.attempts == 2


def test_resource_exhausted_without_retry_info_is_final(
    grpc_receiver: GrpcReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    grpc_receiver.script.append(Failure(grpc.StatusCode.RESOURCE_EXHAUSTED, "quota"))
    assert not send_spans(make_core(grpc_receiver.endpoint))
    assert grpc_receiver.attempts == 1
    assert "RESOURCE_EXHAUSTED: quota" in caplog.text


def test_invalid_argument_is_not_retried_and_logs_the_message(
    grpc_receiver: GrpcReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    grpc_receiver.script.append(Failure(grpc.StatusCode.INVALID_ARGUMENT, "bad span id"))
    with caplog.at_level(logging.ERROR, logger="otel.exporter.otlp"):
        assert not send_spans(make_core(grpc_receiver.endpoint))
    assert grpc_receiver.attempts == 1
    assert "INVALID_ARGUMENT: bad span id" in caplog.text
    assert "not retried" in caplog.text


def test_partial_success_is_logged(
    grpc_receiver: GrpcReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    response = ExportTraceServiceResponse()
    response.partial_success.rejected_spans = 4
    response.partial_success.error_message = "too old"
    grpc_receiver.script.append(response)
    with caplog.at_level(logging.WARNING, logger="otel.exporter.otlp"):
        assert send_spans(make_core(grpc_receiver.endpoint))
    assert "4 rejected; too old" in caplog.text


def test_slow_server_fails_within_the_timeout(grpc_receiver: GrpcReceiver) -> None:
    grpc_receiver.script.append(Failure(grpc.StatusCode.OK, sleep_s=2.0))
    start = time.monotonic()
    assert not send_spans(make_core(grpc_receiver.endpoint, timeout=0.5))
    assert time.monotonic() - start < 1.5


def test_nothing_listening_fails_within_the_timeout(closed_port: str) -> None:
    start = time.monotonic()
    assert not send_spans(make_core(closed_port, timeout=0.5))
    assert time.monotonic() - start < 1.5


@pytest.mark.parametrize(
    ("endpoint", "insecure", "expected"),
    [
        ("http://collector:4317", False, ("collector:4317", False)),
        ("https://collector:4317", True, ("collector:4317", True)),
        ("collector:4317", True, ("collector:4317", False)),
        ("collector:4317", False, ("collector:4317", True)),
        ("http://localhost", False, ("localhost:4317", False)),
    ],
)
def test_endpoint_scheme_decides_tls(endpoint: str, insecure: bool, expected: object) -> None:
    assert parse_target(endpoint, insecure) == expected


def test_missing_grpcio_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "grpc", None)
    with pytest.raises(ImportError, match=r"pip install otel\[grpc\]"):
        import_grpc()


def test_unreadable_certificate_is_logged_not_raised(
    tmp_path: object, caplog: pytest.LogCaptureFixture
) -> None:
    sender = GrpcSender(
        "traces",
        "https://127.0.0.1:1",
        insecure=False,
        headers={},
        compression=Compression.NoCompression,
        certificate_file=f"{tmp_path}/missing.pem",
    )
    core = ExportCore("traces", sender, 1.0)
    k.OPEN_CORES.append(core)
    assert "misconfigured" in caplog.text
    assert not send_spans(core)
