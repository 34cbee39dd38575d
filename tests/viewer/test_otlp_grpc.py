"""The OTLP/gRPC receiver: status codes, and the one line when grpcio is missing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from viewer_kit import Client, require
from viewer_protos import TRACE_ID, trace_request

from otel.testing import free_port
from otel.viewer import Viewer, start_viewer

pytestmark = pytest.mark.interop
METHOD = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"


@pytest.fixture
def grpc_viewer(tmp_path: Path) -> Iterator[Viewer]:
    require("grpc")
    viewer = start_viewer(
        ui_port=free_port(),
        otlp_http_port=0,
        otlp_grpc_port=free_port(),
        jaeger_udp_port=0,
        zipkin_port=0,
        db=str(tmp_path / "v.db"),
    )
    try:
        yield viewer
    finally:
        viewer.stop()


def _call(viewer: Viewer, body: bytes) -> bytes:
    import grpc

    with grpc.insecure_channel(f"127.0.0.1:{viewer.ports['otlp_grpc']}") as channel:
        export = channel.unary_unary(METHOD)
        answer: bytes = export(body, timeout=10)
        return answer


def test_grpc_export_is_stored_and_answered_ok(grpc_viewer: Viewer) -> None:
    assert _call(grpc_viewer, trace_request().SerializeToString()) == b""
    assert len(Client(grpc_viewer).ok(f"/api/traces/{TRACE_ID.hex()}")["spans"]) == 2


def test_grpc_malformed_request_is_invalid_argument(grpc_viewer: Viewer) -> None:
    import grpc

    with pytest.raises(grpc.RpcError) as info:
        _call(grpc_viewer, trace_request().SerializeToString()[:-5])
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "malformed" in info.value.details()


def test_without_grpcio_the_viewer_says_so_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from otel.exporter.otlp import _grpc

    def missing() -> None:
        raise ImportError("no grpc")

    monkeypatch.setattr(_grpc, "import_grpc", missing)
    with start_viewer(
        ui_port=free_port(),
        otlp_http_port=free_port(),
        otlp_grpc_port=free_port(),
        jaeger_udp_port=0,
        zipkin_port=0,
        db=":memory:",
    ) as viewer:
        problems = [p for p in viewer.problems if "gRPC" in p]
        assert len(problems) == 1 and "grpcio" in problems[0]
        assert set(viewer.ports) == {"ui", "otlp_http"}
