"""otel's own Zipkin (v2 JSON over HTTP) and Jaeger (Thrift compact over UDP) exporters send to
a running viewer; the spans come back with their names, parents, kinds, status and scope."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from viewer_kit import Client

from _support.wait import wait_until
from otel.sdk.resources import Resource
from otel.sdk.trace import TracerProvider
from otel.sdk.trace.export import SimpleSpanProcessor
from otel.testing import free_port
from otel.trace import SpanKind, Status, StatusCode
from otel.viewer import Viewer, start_viewer


@pytest.fixture
def viewer(tmp_path: Path) -> Iterator[Viewer]:
    v = start_viewer(
        ui_port=free_port(),
        otlp_http_port=0,
        otlp_grpc_port=0,
        jaeger_udp_port=free_port("udp"),
        zipkin_port=free_port(),
        db=str(tmp_path / "v.db"),
    )
    try:
        yield v
    finally:
        v.stop()


def _emit(exporter: Any, service: str) -> str:
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("own.exporter.test", "1.0")
    with tracer.start_as_current_span("parent", kind=SpanKind.SERVER) as parent:
        parent.set_attribute("http.method", "GET")
        with tracer.start_as_current_span("child", kind=SpanKind.CLIENT) as child:
            child.add_event("step", {"n": 1})
            child.set_status(Status(StatusCode.ERROR, "nope"))
        trace_id = format(parent.get_span_context().trace_id, "032x")
    provider.shutdown()
    return trace_id


def _check(client: Client, trace_id: str, service: str) -> None:
    assert wait_until(
        lambda: len(client.api(f"/api/traces/{trace_id}")[1].get("spans", [])) == 2, 10
    )
    spans = {s["name"]: s for s in client.ok(f"/api/traces/{trace_id}")["spans"]}
    parent, child = spans["parent"], spans["child"]
    assert child["parent_span_id"] == parent["span_id"]
    assert (parent["kind"], child["kind"]) == ("SERVER", "CLIENT")
    assert parent["service"] == service
    assert parent["attributes"]["http.method"] == "GET"
    assert child["status"] == {"code": "ERROR", "message": "nope"}
    assert [e["name"] for e in child["events"]] == ["step"]
    assert parent["scope"]["name"] == "own.exporter.test"


def test_zipkin_exporter_lands_in_the_viewer(viewer: Viewer) -> None:
    from otel.exporter.zipkin.json import ZipkinExporter

    exporter = ZipkinExporter(endpoint=f"http://127.0.0.1:{viewer.ports['zipkin']}/api/v2/spans")
    _check(Client(viewer), _emit(exporter, "zipkin-svc"), "zipkin-svc")


def test_jaeger_exporter_lands_in_the_viewer(viewer: Viewer) -> None:
    from otel.exporter.jaeger import JaegerExporter

    exporter = JaegerExporter(agent_host_name="127.0.0.1", agent_port=viewer.ports["jaeger_udp"])
    _check(Client(viewer), _emit(exporter, "jaeger-svc"), "jaeger-svc")
