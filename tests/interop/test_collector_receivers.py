"""otel's Jaeger, Zipkin and Prometheus exporters -> the real Collector's own Jaeger, Zipkin
and Prometheus receivers (so the Collector's translators run) -> OTLP -> opentelemetry-proto;
and the Collector's OTLP exporters -> ``otel view``, queried through its API."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from interop_kit import check_trace, otlp_receiver_config, record_trace, wait_for
from otlp_peers import Receiver

from _support.otelcol import forwarding_config, running_collector, wait_for_udp_port
from otel.testing import free_port

pytestmark = pytest.mark.interop


def test_jaeger_compact_udp_spans_reach_the_collector_intact(
    forwarded: Receiver, tmp_path: Path
) -> None:
    from otel.exporter.jaeger.thrift import JaegerExporter

    udp_port, http_port = free_port(), free_port()  # the HTTP one only proves readiness
    receivers = {
        "jaeger": {
            "protocols": {
                "thrift_compact": {"endpoint": f"127.0.0.1:{udp_port}"},
                "thrift_http": {"endpoint": f"127.0.0.1:{http_port}"},
            }
        }
    }
    with running_collector(forwarding_config(receivers, forwarded.base), [http_port], tmp_path):
        wait_for_udp_port(udp_port)
        ids = record_trace(JaegerExporter(agent_host_name="127.0.0.1", agent_port=udp_port))
        check_trace(forwarded, ids, scope_in_tags=True, arrays_as_json=True)


def test_jaeger_binary_http_spans_reach_the_collector_intact(
    forwarded: Receiver, tmp_path: Path
) -> None:
    from otel.exporter.jaeger.thrift import JaegerExporter

    http_port = free_port()
    receivers = {"jaeger": {"protocols": {"thrift_http": {"endpoint": f"127.0.0.1:{http_port}"}}}}
    with running_collector(forwarding_config(receivers, forwarded.base), [http_port], tmp_path):
        endpoint = f"http://127.0.0.1:{http_port}/api/traces"
        ids = record_trace(JaegerExporter(collector_endpoint=endpoint))
        check_trace(forwarded, ids, scope_in_tags=True, arrays_as_json=True)


@pytest.mark.parametrize("encoding", ["json", "proto"])
def test_zipkin_spans_reach_the_collector_intact(
    encoding: str, forwarded: Receiver, tmp_path: Path
) -> None:
    port = free_port()
    receivers = {"zipkin": {"endpoint": f"127.0.0.1:{port}"}}
    endpoint = f"http://127.0.0.1:{port}/api/v2/spans"
    with running_collector(forwarding_config(receivers, forwarded.base), [port], tmp_path):
        if encoding == "json":
            from otel.exporter.zipkin.json import ZipkinExporter
        else:
            from otel.exporter.zipkin.proto.http import ZipkinExporter  # type: ignore[assignment]
        ids = record_trace(ZipkinExporter(endpoint=endpoint))
        check_trace(
            forwarded, ids, typed=False, event_as_annotation=True, description_in_error_tag=True
        )


def test_the_collector_prometheus_receiver_scrapes_otel(
    forwarded: Receiver, tmp_path: Path
) -> None:
    from otel.exporter.prometheus import PrometheusMetricReader, start_http_server
    from otel.sdk.metrics import MeterProvider

    scrape_port, readiness_port = free_port(), free_port()
    reader = PrometheusMetricReader()
    provider = MeterProvider(metric_readers=[reader])
    server, _thread = start_http_server(scrape_port, "127.0.0.1")
    try:
        meter = provider.get_meter("interop.prometheus")
        meter.create_counter("orders", unit="{order}").add(3, {"country": "FR"})
        meter.create_histogram("latency", unit="s").record(0.25)
        job = {
            "job_name": "otel",
            "scrape_interval": "1s",
            "static_configs": [{"targets": [f"127.0.0.1:{scrape_port}"]}],
        }
        receivers: dict[str, Any] = {
            "prometheus": {"config": {"scrape_configs": [job]}},
            # an OTLP receiver only so that the Collector's readiness shows as a port
            **otlp_receiver_config(readiness_port, free_port()),
        }
        config = forwarding_config(receivers, forwarded.base, signals=("metrics",))
        with running_collector(config, [readiness_port], tmp_path):

            def orders() -> Any:
                for message in forwarded.messages():
                    for resource_metrics in getattr(message, "resource_metrics", []):
                        for scope_metrics in resource_metrics.scope_metrics:
                            for metric in scope_metrics.metrics:
                                if metric.name.startswith("orders"):
                                    return metric
                return None

            wait_for(lambda: orders() is not None, timeout_s=30)
            metric = orders()
    finally:
        server.shutdown()
        server.server_close()
        provider.shutdown()
    (point,) = metric.sum.data_points
    assert metric.sum.is_monotonic
    assert point.as_double == 3 or point.as_int == 3
    labels = {kv.key: kv.value.string_value for kv in point.attributes}
    assert labels["country"] == "FR"


@pytest.mark.parametrize("exporter", ["otlphttp", "otlp"])
def test_the_collector_forwards_to_otel_view(exporter: str, tmp_path: Path) -> None:
    from otel.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from otel.viewer._app import start_viewer

    grpc = exporter == "otlp"
    if grpc:
        pytest.importorskip("grpc")
    view_http, view_grpc, view_ui = free_port(), free_port(), free_port()
    in_http, in_grpc = free_port(), free_port()
    with start_viewer(
        ui_port=view_ui,
        otlp_http_port=view_http,
        otlp_grpc_port=view_grpc if grpc else 0,
        jaeger_udp_port=0,
        zipkin_port=0,
    ):
        exporters: dict[str, Any] = (
            {"otlp": {"endpoint": f"127.0.0.1:{view_grpc}", "tls": {"insecure": True}}}
            if grpc
            else {"otlphttp": {"endpoint": f"http://127.0.0.1:{view_http}"}}
        )
        config = forwarding_config(otlp_receiver_config(in_http, in_grpc), "", exporters=exporters)
        with running_collector(config, [in_http, in_grpc], tmp_path):
            trace_id, parent_id, child_id = record_trace(
                OTLPSpanExporter(endpoint=f"http://127.0.0.1:{in_http}/v1/traces")
            )
            url = f"http://127.0.0.1:{view_ui}/api/traces/{trace_id:032x}"

            def fetched() -> Any:
                try:
                    with urllib.request.urlopen(url, timeout=5) as answer:
                        return json.loads(answer.read())
                except OSError:
                    return None

            wait_for(lambda: (fetched() or {}).get("spans", []).__len__() == 2)
            trace = fetched()
    spans = {span["name"]: span for span in trace["spans"]}
    assert spans["parent"]["span_id"] == f"{parent_id:016x}"
    assert spans["child"]["parent_span_id"] == f"{parent_id:016x}"
    assert spans["child"]["span_id"] == f"{child_id:016x}"
    assert spans["parent"]["service"] == "collector-interop"
    assert spans["parent"]["kind"] == "SERVER"
    assert spans["child"]["status"] == {"code": "ERROR", "message": "boom"}
    assert spans["parent"]["attributes"]["i"] == 7
    assert spans["parent"]["scope"] == {"name": "interop.scope", "version": "1.2.3"}
