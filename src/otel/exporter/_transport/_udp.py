"""``UdpTransport``: each request body is one datagram to ``udp://host:port``.

No answer comes back by design: a datagram handed to the kernel is ``Response(0)``. The
socket is connected once per address (so ICMP "port unreachable" surfaces as a refused
error on a later send) and re-created after ``fork()``. Sends never block for long: the
socket has a timeout bounded by the request's deadline.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.parse
import weakref

from otel.exporter._transport._types import Request, Response, TransportError

#: The largest UDP payload over IPv4 (65,535 - 8 byte UDP header - 20 byte IP header).
MAX_UDP_PAYLOAD = 65_507


class UdpTransport:
    """Thread-safe; one socket per transport."""

    def __init__(self) -> None:
        self._sock: socket.socket | None = None
        self._address: tuple[str, int] | None = None
        self._lock = threading.Lock()
        self._closed = False
        _live.add(self)

    def _after_fork_in_child(self) -> None:
        self._lock = threading.Lock()
        self._sock = None

    def _socket(self, host: str, port: int) -> socket.socket:
        if self._sock is not None and self._address == (host, port):
            return self._sock
        self._drop()
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
        try:
            sock.connect(address)
        except BaseException:
            sock.close()
            raise
        self._sock, self._address = sock, (host, port)
        return sock

    def _drop(self) -> None:
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass

    def send(self, request: Request, deadline: float) -> Response:
        """Send ``request.body`` as one datagram; raises only ``TransportError``."""
        try:
            parsed = urllib.parse.urlsplit(request.url)
            host, port = parsed.hostname, parsed.port
        except ValueError as exc:
            raise TransportError(f"invalid URL {request.url!r}: {exc}", retryable=False) from None
        if parsed.scheme != "udp" or not host or not port:
            raise TransportError(f"invalid URL {request.url!r} (udp://host:port)", retryable=False)
        if len(request.body) > MAX_UDP_PAYLOAD:
            raise TransportError(
                f"datagram of {len(request.body)} bytes exceeds {MAX_UDP_PAYLOAD}", retryable=False
            )
        with self._lock:
            if self._closed:
                raise TransportError("transport is closed", retryable=False)
            try:
                sock = self._socket(host, port)
                sock.settimeout(max(0.001, deadline - time.monotonic()))
                sock.send(request.body)
            except socket.gaierror as exc:
                raise TransportError(f"cannot resolve {host}: {exc}") from None
            except TimeoutError:
                raise TransportError("send blocked until the deadline", timed_out=True) from None
            except OSError as exc:
                self._drop()
                raise TransportError(f"{type(exc).__name__}: {exc}") from None
        return Response(0)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            self._drop()


_live: weakref.WeakSet[UdpTransport] = weakref.WeakSet()


def _reset_after_fork() -> None:
    for transport in list(_live):
        transport._after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)
