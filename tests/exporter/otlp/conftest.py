"""Fixtures: a real OTLP/HTTP receiver, a silent endpoint, a closed port."""

from __future__ import annotations

import socket
import ssl
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from _support.peers import peer_missing

_here = str(Path(__file__).parent)
if _here not in sys.path:
    sys.path.insert(0, _here)

from otlp_peers import Receiver  # noqa: E402
from otlp_peers import serving as _serving  # noqa: E402


@pytest.fixture
def otlp_receiver() -> Iterator[Receiver]:
    with _serving() as receiver:
        yield receiver


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """First retry after 10 ms; afterwards the cores in ``otlp_testkit.OPEN_CORES`` are shut."""
    import otlp_testkit

    from otel.exporter._transport import _retry

    monkeypatch.setattr(_retry, "INITIAL_BACKOFF_S", 0.01)
    yield
    while otlp_testkit.OPEN_CORES:
        otlp_testkit.OPEN_CORES.pop().shutdown()


@pytest.fixture
def silent_endpoint() -> Iterator[str]:
    """Accepts TCP connections (kernel backlog) and never answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


@pytest.fixture
def closed_port() -> str:
    """An endpoint where nothing listens."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def grpc_receiver() -> Iterator[object]:
    import otlp_grpc_peer

    server, receiver = otlp_grpc_peer.start()
    try:
        yield receiver
    finally:
        server.stop(grace=None).wait(5)


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> object:
    from otlp_tls import make_certificates

    made = make_certificates(tmp_path_factory.mktemp("otlp-tls"))
    if made is None:
        peer_missing("the openssl command is needed to make test certificates")
    return made


@pytest.fixture
def tls_receiver(certificates: object) -> Iterator[Receiver]:
    """The OTLP/HTTP receiver behind TLS that requires a client certificate."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificates.server_cert, certificates.server_key)  # type: ignore[attr-defined]
    context.load_verify_locations(certificates.ca)  # type: ignore[attr-defined]
    context.verify_mode = ssl.CERT_REQUIRED
    with _serving(context) as receiver:
        yield receiver
