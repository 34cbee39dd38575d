"""Instrumented Flask services in real server processes: gunicorn (sync and gthread
workers, with and without --preload) and a two-process call A -> B, all exporting over
OTLP to a real receiver."""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _support.wait import wait_http, wait_until

from .conftest import clean_env, free_port, peer

APPS = Path(__file__).parent / "apps"


def server_spans(receiver: Any) -> list[Any]:
    return [
        span
        for request in list(receiver.requests)
        if request.path == "/v1/traces"
        for resource_spans in request.message.resource_spans
        for scope_spans in resource_spans.scope_spans
        for span in scope_spans.spans
    ]


def path_of(span: Any) -> str:
    return next((a.value.string_value for a in span.attributes if a.key == "url.path"), "")


def resource_of(receiver: Any, span_id: bytes) -> dict[str, Any]:
    for request in list(receiver.requests):
        for resource_spans in request.message.resource_spans:
            for scope_spans in resource_spans.scope_spans:
                if any(span.span_id == span_id for span in scope_spans.spans):
                    return {
                        kv.key: kv.value.string_value or kv.value.int_value
                        for kv in resource_spans.resource.attributes
                    }
    return {}


def stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        return process.communicate(timeout=20)[1]
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[1]


@pytest.fixture
def service_env(otlp_receiver: Any) -> dict[str, str]:
    peer("flask")
    peer("requests")
    env = clean_env()
    env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp_receiver.base
    env["OTEL_BSP_SCHEDULE_DELAY"] = "100"
    env["PYTHONPATH"] = f"{APPS}{':' + env['PYTHONPATH'] if env.get('PYTHONPATH') else ''}"
    return env


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            stop(process)


@pytest.mark.parametrize(
    ("worker", "preload", "sdk_in"),
    [
        ("sync", False, "app"),
        ("sync", True, "app"),
        ("gthread", False, "app"),
        ("gthread", True, "app"),
        ("sync", True, "post_fork"),
    ],
    ids=["sync", "sync-preload", "gthread", "gthread-preload", "sync-preload-post_fork"],
)
def test_flask_under_gunicorn_exports_every_request(
    service_env: dict[str, str],
    otlp_receiver: Any,
    processes: list[subprocess.Popen[str]],
    worker: str,
    preload: bool,
    sdk_in: str,
) -> None:
    """The SDK configured in the app module (before the fork with --preload) or in the
    official way, a post_fork hook: every worker's spans reach the receiver."""
    peer("gunicorn")
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-k", worker, "--threads", "2"]
    command += ["-b", f"127.0.0.1:{port}", "--graceful-timeout", "5"]
    if sdk_in == "post_fork":
        command += ["-c", str(APPS / "gunicorn_conf.py"), "plain_service:app"]
    else:
        command += ["service:app"]
    if preload:
        command.insert(3, "--preload")
    process = subprocess.Popen(
        command, env=service_env, cwd=APPS, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    processes.append(process)
    wait_http(f"http://127.0.0.1:{port}/users/0", process)
    for index in range(1, 9):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/users/{index}", timeout=10) as r:
            assert r.read().startswith(f"user {index}".encode())
    expected = sorted(f"/users/{i}" for i in range(1, 9))

    def counted() -> list[Any]:
        return [s for s in server_spans(otlp_receiver) if path_of(s) in expected]

    assert wait_until(lambda: len(counted()) >= 8, 15), [s.name for s in counted()]
    spans = counted()
    assert sorted(path_of(s) for s in spans) == expected
    assert {s.name for s in spans} == {"GET /users/<id>"}
    stderr = stop(process)
    assert "Traceback" not in stderr, stderr


def test_two_services_share_one_trace(
    service_env: dict[str, str], otlp_receiver: Any, processes: list[subprocess.Popen[str]]
) -> None:
    port_b, port_a = free_port(), free_port()
    env_b = dict(service_env, PORT=str(port_b), OTEL_SERVICE_NAME="service-b")
    env_a = dict(
        service_env,
        PORT=str(port_a),
        OTEL_SERVICE_NAME="service-a",
        DOWNSTREAM_URL=f"http://127.0.0.1:{port_b}",
    )
    for env in (env_b, env_a):
        processes.append(
            subprocess.Popen(
                [sys.executable, str(APPS / "service.py")],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    wait_http(f"http://127.0.0.1:{port_b}/users/9", processes[0])
    wait_http(f"http://127.0.0.1:{port_a}/users/9", processes[1])
    with urllib.request.urlopen(f"http://127.0.0.1:{port_a}/call", timeout=10) as answer:
        assert answer.read().startswith(b"user 1")

    def trace_of_call() -> list[Any]:
        spans = server_spans(otlp_receiver)
        roots = [s for s in spans if s.name == "GET /call"]
        return [s for s in spans if roots and s.trace_id == roots[0].trace_id]

    assert wait_until(lambda: len(trace_of_call()) >= 3, 15)
    by_name = {s.name: s for s in trace_of_call()}
    assert sorted(by_name) == ["GET", "GET /call", "GET /users/<id>"]
    root, client, downstream = by_name["GET /call"], by_name["GET"], by_name["GET /users/<id>"]
    assert root.parent_span_id == b""
    assert client.parent_span_id == root.span_id
    assert downstream.parent_span_id == client.span_id
    assert resource_of(otlp_receiver, root.span_id)["service.name"] == "service-a"
    assert resource_of(otlp_receiver, downstream.span_id)["service.name"] == "service-b"
