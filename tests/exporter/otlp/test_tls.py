"""OTLP over TLS with a private CA and a client certificate (mutual TLS)."""

from __future__ import annotations

import logging
from typing import Any

import otlp_testkit as k
import pytest
from otlp_peers import Receiver

from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from otel.sdk.trace.export import SpanExportResult


def https_url(receiver: Receiver) -> str:
    return f"https://127.0.0.1:{receiver.port}/v1/traces"


def test_mutual_tls_with_certificate_files(tls_receiver: Receiver, certificates: Any) -> None:
    exporter = OTLPSpanExporter(
        endpoint=https_url(tls_receiver),
        certificate_file=str(certificates.ca),
        client_key_file=str(certificates.client_key),
        client_certificate_file=str(certificates.client_cert),
        timeout=5,
    )
    try:
        assert exporter.export([k.full_span()]) is SpanExportResult.SUCCESS
    finally:
        exporter.shutdown()
    assert tls_receiver.requests[0].message.resource_spans[0].scope_spans[0].spans


def test_tls_files_from_the_environment(
    tls_receiver: Receiver, certificates: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", https_url(tls_receiver))
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_CERTIFICATE", str(certificates.ca))
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_CLIENT_KEY", str(certificates.client_key))
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", str(certificates.client_cert))
    exporter = OTLPSpanExporter(timeout=5)
    try:
        assert exporter.export([k.span()]) is SpanExportResult.SUCCESS
    finally:
        exporter.shutdown()
    assert len(tls_receiver.requests) == 1


def test_unknown_server_certificate_fails_and_logs(
    tls_receiver: Receiver, certificates: Any, caplog: pytest.LogCaptureFixture
) -> None:
    exporter = OTLPSpanExporter(endpoint=https_url(tls_receiver), timeout=0.5)
    try:
        with caplog.at_level(logging.ERROR, logger="otel.exporter.otlp"):
            assert exporter.export([k.span()]) is SpanExportResult.FAILURE
    finally:
        exporter.shutdown()
    assert "CERTIFICATE_VERIFY_FAILED" in caplog.text or "certificate" in caplog.text.lower()
    assert tls_receiver.requests == []


def test_rejected_certificate_is_not_retried(tls_receiver: Receiver) -> None:
    import time

    exporter = OTLPSpanExporter(endpoint=https_url(tls_receiver), timeout=5)
    start = time.monotonic()
    try:
        assert exporter.export([k.span()]) is SpanExportResult.FAILURE
    finally:
        exporter.shutdown()
    assert time.monotonic() - start < 1.0


def test_missing_certificate_file_is_logged_not_raised(
    tmp_path: Any, caplog: pytest.LogCaptureFixture
) -> None:
    exporter = OTLPSpanExporter(
        endpoint="https://127.0.0.1:1/v1/traces", certificate_file=str(tmp_path / "nope.pem")
    )
    assert "misconfigured" in caplog.text
    assert exporter.export([k.span()]) is SpanExportResult.FAILURE
    exporter.shutdown()


def test_invalid_endpoint_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    exporter = OTLPSpanExporter(endpoint="localhost:4318")
    assert "invalid OTLP/HTTP endpoint" in caplog.text
    assert exporter.export([k.span()]) is SpanExportResult.FAILURE
    exporter.shutdown()


def test_grpc_mutual_tls(certificates: Any) -> None:
    import grpc
    import otlp_grpc_peer

    from otel.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter as GrpcExporter

    credentials = grpc.ssl_server_credentials(
        [(certificates.server_key.read_bytes(), certificates.server_cert.read_bytes())],
        root_certificates=certificates.ca.read_bytes(),
        require_client_auth=True,
    )
    server, receiver = otlp_grpc_peer.start(credentials)
    exporter = GrpcExporter(
        endpoint=f"https://127.0.0.1:{receiver.port}",
        timeout=5,
        certificate_file=str(certificates.ca),
        client_key_file=str(certificates.client_key),
        client_certificate_file=str(certificates.client_cert),
    )
    try:
        assert exporter.export([k.full_span()]) is SpanExportResult.SUCCESS
    finally:
        exporter.shutdown()
        server.stop(grace=None).wait(5)
    assert receiver.requests[0].resource_spans[0].scope_spans[0].spans[0].name
