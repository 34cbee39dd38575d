"""Fixtures for the HTTP instrumentation tests: real servers on 127.0.0.1, the OTLP
receiver of the exporter tests, and instrumentors put back after every test."""

from __future__ import annotations

import contextlib
import importlib
import os
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

_otlp_tests = str(Path(__file__).resolve().parents[2] / "exporter" / "otlp")
if _otlp_tests not in sys.path:
    sys.path.insert(0, _otlp_tests)

REPO = Path(__file__).resolve().parents[3]


def peer(module: str) -> ModuleType:
    """Import a test peer (flask, requests, gunicorn, ...): skip when it is missing,
    except under CI=true, where a missing peer fails the test."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"test peer {module} is missing: {exc}")
        pytest.skip(f"test peer {module} is not installed")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_env() -> dict[str, str]:
    """The environment for a child process, without the suite's OTEL_/pytest variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "PYTEST", "COV_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), env.get("PYTHONPATH", "")])
    return env


@contextlib.contextmanager
def serving(app: Callable[..., Any]) -> Iterator[str]:
    """``app`` (WSGI) under werkzeug's threaded server on a free loopback port; yields
    the base URL and stops the server after."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[..., Any]], str]]:
    """Start WSGI apps under werkzeug for the test: ``base_url = serve(app)``."""
    with contextlib.ExitStack() as stack:
        yield lambda app: stack.enter_context(serving(app))


@pytest.fixture(autouse=True)
def _uninstrument_clients() -> Iterator[None]:
    yield
    from otel.instrumentation.flask import FlaskInstrumentor
    from otel.instrumentation.requests import RequestsInstrumentor

    for instrumentor in (RequestsInstrumentor(), FlaskInstrumentor()):
        if instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.uninstrument()
    for name in ("HTTPClientInstrumentor", "URLLibInstrumentor"):
        module = sys.modules.get(
            "otel.instrumentation.http_client"
            if name == "HTTPClientInstrumentor"
            else "otel.instrumentation.urllib"
        )
        if module is not None:
            instrumentor = getattr(module, name)()
            if instrumentor.is_instrumented_by_opentelemetry:
                instrumentor.uninstrument()


@pytest.fixture
def otlp_receiver() -> Iterator[Any]:
    """The exporter tests' OTLP/HTTP receiver (decodes with opentelemetry-proto)."""
    peer("opentelemetry.proto")
    from otlp_peers import serving as receiver_serving

    with receiver_serving() as receiver:
        yield receiver


def wait_spans(captured: Any, count: int, timeout: float = 5.0) -> list[Any]:
    """The captured spans once ``count`` have ended: a real server ends its span after the
    client has read the response, so tests wait (bounded) instead of racing it."""
    from _support.wait import wait_until

    wait_until(lambda: len(captured.spans) >= count, timeout)
    return list(captured.spans)
