"""Serving the registry: HTTP server, content negotiation, gzip, WSGI, ASGI, environment."""

from __future__ import annotations

import asyncio
import gzip
import io
import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from prom_peers import free_port, http_get

from otel.exporter.prometheus import (
    REGISTRY,
    CollectorRegistry,
    PrometheusMetricReader,
    _AutoPrometheusMetricReader,
    make_asgi_app,
    make_wsgi_app,
    reader_from_env,
    start_http_server,
    wants_openmetrics,
)
from otel.sdk.metrics import MeterProvider

PROMETHEUS_ACCEPT = (
    "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
    "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
)


@pytest.fixture
def registry() -> Iterator[CollectorRegistry]:
    registry = CollectorRegistry()
    reader = PrometheusMetricReader(registry=registry)
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("m").create_counter("served").add(7)
    yield registry
    provider.shutdown()


@pytest.fixture
def url(registry: CollectorRegistry) -> Iterator[str]:
    server, thread = start_http_server(0, "127.0.0.1", registry=registry)
    yield f"http://127.0.0.1:{server.server_address[1]}/metrics"
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.mark.parametrize(
    ("accept", "openmetrics"),
    [
        (None, False),
        ("", False),
        ("text/plain", False),
        ("*/*", False),
        (PROMETHEUS_ACCEPT, True),
        ("application/openmetrics-text", True),
        ("application/openmetrics-text; version=2.0.0", False),
        ("application/openmetrics-text;q=0.2,text/plain;q=0.9", False),
        ("application/openmetrics-text;q=0", False),
    ],
)
def test_the_accept_header_chooses_the_format(accept: str | None, openmetrics: bool) -> None:
    assert wants_openmetrics(accept) is openmetrics


def test_the_http_server_serves_text_by_default(url: str) -> None:
    headers, body = http_get(url)
    assert headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert b"served_total{" in body and b"# EOF" not in body


def test_the_http_server_serves_openmetrics_to_prometheus(url: str) -> None:
    headers, body = http_get(url, {"Accept": PROMETHEUS_ACCEPT})
    assert headers["Content-Type"].startswith("application/openmetrics-text; version=1.0.0")
    assert body.endswith(b"# EOF\n")


def test_the_body_is_gzipped_when_accepted(url: str) -> None:
    headers, body = http_get(url, {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    assert b"served_total" in gzip.decompress(body)


def test_start_http_server_returns_at_once_with_a_daemon_thread(
    registry: CollectorRegistry,
) -> None:
    server, thread = start_http_server(0, "127.0.0.1", registry=registry)
    try:
        assert thread.daemon and thread.is_alive()
    finally:
        server.shutdown()
        server.server_close()


def test_the_wsgi_app_serves_the_registry(registry: CollectorRegistry) -> None:
    app = make_wsgi_app(registry)
    seen: list[Any] = []
    body = b"".join(
        app(
            {"REQUEST_METHOD": "GET", "HTTP_ACCEPT": PROMETHEUS_ACCEPT, "wsgi.input": io.BytesIO()},
            lambda status, headers: seen.append((status, dict(headers))),
        )
    )
    assert seen[0][0] == "200 OK"
    assert seen[0][1]["Content-Type"].startswith("application/openmetrics-text")
    assert b"served_total" in body


def test_the_asgi_app_serves_the_registry(registry: CollectorRegistry) -> None:
    app = make_asgi_app(registry)
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "headers": [(b"accept-encoding", b"gzip")]}
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 200
    assert (b"content-encoding", b"gzip") in sent[0]["headers"]
    assert b"served_total" in gzip.decompress(sent[1]["body"])


def test_a_failing_reader_does_not_break_the_scrape(
    registry: CollectorRegistry, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(PrometheusMetricReader):
        def _contribute(self, exposition: Any, timeout_millis: float) -> None:
            raise RuntimeError("boom")

    Broken(registry=registry)
    with caplog.at_level(logging.ERROR, "otel.exporter.prometheus"):
        body, _ = registry.render(None)
    assert b"served_total" in body
    assert "collecting" in caplog.text


def test_reader_from_env_serves_on_the_configured_port(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    monkeypatch.setenv("OTEL_EXPORTER_PROMETHEUS_HOST", "127.0.0.1")
    monkeypatch.setenv("OTEL_EXPORTER_PROMETHEUS_PORT", str(port))
    reader = reader_from_env()
    provider = MeterProvider(metric_readers=[reader], shutdown_on_exit=False)
    provider.get_meter("m").create_counter("from_env").add(1)
    try:
        _, body = http_get(f"http://127.0.0.1:{port}/metrics")
        assert b"from_env_total" in body
        assert isinstance(_AutoPrometheusMetricReader(), PrometheusMetricReader)
    finally:
        provider.shutdown()


def test_reader_from_env_logs_a_port_in_use_and_goes_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        monkeypatch.setenv("OTEL_EXPORTER_PROMETHEUS_HOST", "127.0.0.1")
        monkeypatch.setenv("OTEL_EXPORTER_PROMETHEUS_PORT", str(busy.getsockname()[1]))
        with caplog.at_level(logging.ERROR, "otel.exporter.prometheus"):
            reader = reader_from_env()
    assert "cannot serve metrics" in caplog.text
    reader.shutdown()


def test_a_foreign_registry_is_replaced_by_ours_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, "otel.exporter.prometheus"):
        reader = PrometheusMetricReader(registry=object())
    assert reader._registry is REGISTRY
    assert "not an otel registry" in caplog.text
    reader.shutdown()
