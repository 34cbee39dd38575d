"""``HttpTransport``: ``http.client`` with one kept-alive connection, TLS, a hard deadline.

The deadline is end to end: every ``connect``, ``send`` and ``recv`` gets as socket timeout
what is left of it, recomputed before each call, so a peer that answers one byte per second
cannot hold a request past its deadline. ``close()`` shuts the socket down, which also ends
a request in flight on another thread. After ``fork()`` a child starts with no connection.
Standard library only.
"""

from __future__ import annotations

# Imported here, on the thread that builds the transport, rather than by the codec machinery
# on the export thread at the first connect (``getaddrinfo`` encodes the host with idna): a
# fork while the export thread holds that module's import lock left the child unable to
# import it (``LookupError: unknown encoding: idna``) or hung on the lock.
import encodings.idna  # noqa: F401
import http.client
import os
import socket
import ssl
import threading
import time
import urllib.parse
import weakref
from typing import Any

from otel.exporter._transport._types import Request, Response, TransportError

# A kept-alive connection the server already closed fails like this on reuse; try once more.
_STALE = (
    http.client.RemoteDisconnected,
    http.client.BadStatusLine,
    BrokenPipeError,
    ConnectionResetError,
    ConnectionAbortedError,
)


def make_ssl_context(
    certificate_file: str | None,
    client_key_file: str | None,
    client_certificate_file: str | None,
) -> ssl.SSLContext:
    """Verifying client context; ``certificate_file`` is the CA bundle to trust."""
    context = ssl.create_default_context(cafile=certificate_file)
    if client_certificate_file:
        context.load_cert_chain(client_certificate_file, client_key_file)
    return context


class _DeadlineSocket:
    """A socket whose every blocking call is bounded by what is left of one deadline."""

    __slots__ = ("_sock", "deadline")

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self.deadline = deadline

    def _arm(self) -> None:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("export deadline reached")
        self._sock.settimeout(remaining)

    def recv_into(self, buffer: Any, nbytes: int = 0) -> int:
        self._arm()
        return self._sock.recv_into(buffer, nbytes)

    def recv(self, size: int) -> bytes:
        self._arm()
        return self._sock.recv(size)

    def sendall(self, data: Any) -> None:
        view = memoryview(data).cast("B")
        while view:
            self._arm()
            sent = self._sock.send(view[:65536])
            view = view[sent:]

    def send(self, data: Any) -> int:
        self._arm()
        return self._sock.send(data)

    def makefile(self, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        import io

        sock: Any = self._sock
        sock._io_refs += 1  # as socket.makefile does; SocketIO.close() gives it back
        me: Any = self
        return io.BufferedReader(socket.SocketIO(me, "rb"))

    def _decref_socketios(self) -> None:
        sock: Any = self._sock
        sock._decref_socketios()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _Connection(http.client.HTTPConnection):
    deadline = 0.0

    def connect(self) -> None:
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self.deadline)


class _TlsConnection(http.client.HTTPSConnection):
    deadline = 0.0

    def connect(self) -> None:
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self.deadline)


class HttpTransport:
    """Sends requests to one ``http(s)://host:port`` over a reused connection.

    Thread-safe: requests are serialized on one connection (an exporter sends one batch at a
    time). TLS uses ``ssl_context`` (see ``make_ssl_context``) for https URLs.
    """

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        self._ssl = ssl_context
        self._conn: _Connection | _TlsConnection | None = None
        self._origin: tuple[str, str, int] | None = None
        self._lock = threading.Lock()
        self._closed = False
        _live.add(self)

    def _after_fork_in_child(self) -> None:
        # The parent's socket and lock state must not be shared: start afresh.
        self._lock = threading.Lock()
        self._conn = None

    def _connection(
        self, scheme: str, host: str, port: int, deadline: float
    ) -> _Connection | _TlsConnection:
        conn = self._conn
        if conn is not None and self._origin != (scheme, host, port):
            self._drop_connection()
            conn = None
        timeout = max(0.001, deadline - time.monotonic())
        if conn is None:
            if scheme == "https":
                if self._ssl is None:
                    self._ssl = ssl.create_default_context()
                conn = _TlsConnection(host, port, timeout=timeout, context=self._ssl)
            else:
                conn = _Connection(host, port, timeout=timeout)
            self._conn, self._origin = conn, (scheme, host, port)
        conn.timeout = timeout  # for connect() and the TLS handshake
        conn.deadline = deadline
        if isinstance(conn.sock, _DeadlineSocket):
            conn.sock.deadline = deadline
        return conn

    def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # closing must never fail an export
                pass

    def send(self, request: Request, deadline: float) -> Response:
        """One request, answered by ``deadline``; raises only ``TransportError``."""
        try:
            parsed = urllib.parse.urlsplit(request.url)
            scheme, host, port = parsed.scheme.lower(), parsed.hostname, parsed.port
        except ValueError as exc:
            raise TransportError(f"invalid URL {request.url!r}: {exc}", retryable=False) from None
        if scheme not in ("http", "https") or not host:
            raise TransportError(f"invalid URL {request.url!r}", retryable=False)
        port = port or (443 if scheme == "https" else 80)
        path = (parsed.path or "/") + (f"?{parsed.query}" if parsed.query else "")
        try:
            return self._send(request, scheme, host, port, path, deadline)
        except TransportError:
            raise
        except ssl.SSLCertVerificationError as exc:
            raise TransportError(f"TLS certificate rejected: {exc}", retryable=False) from None
        except TimeoutError:
            raise TransportError("no answer before the deadline", timed_out=True) from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if deadline - time.monotonic() <= 0:
                raise TransportError(
                    f"no answer before the deadline ({type(exc).__name__})", timed_out=True
                ) from None
            raise TransportError(f"{type(exc).__name__}: {exc}") from None

    def _send(
        self, request: Request, scheme: str, host: str, port: int, path: str, deadline: float
    ) -> Response:
        if not self._lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise TransportError("transport busy until the deadline", timed_out=True)
        try:
            for try_number in (0, 1):
                if self._closed:
                    raise TransportError("transport is closed", retryable=False)
                reused = self._conn is not None and self._conn.sock is not None
                conn = self._connection(scheme, host, port, deadline)
                try:
                    conn.request(
                        request.method, path, body=request.body, headers=dict(request.headers)
                    )
                    resp = conn.getresponse()
                    data = resp.read()
                except _STALE:
                    self._drop_connection()
                    if reused and try_number == 0 and not self._closed:
                        continue
                    raise
                except BaseException:
                    self._drop_connection()
                    raise
                if resp.will_close or self._closed:  # closed: close() came meanwhile
                    self._drop_connection()
                headers = {k.lower(): v for k, v in resp.getheaders()}
                return Response(resp.status, resp.reason, headers, data)
        finally:
            self._lock.release()
        raise TransportError("unreachable")  # pragma: no cover

    def close(self) -> None:
        self._closed = True
        conn = self._conn
        sock = getattr(conn, "sock", None) if conn is not None else None
        if sock is not None:
            try:  # wakes a request blocked in recv on another thread
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._lock.acquire(timeout=1.0):
            try:
                self._drop_connection()
            finally:
                self._lock.release()


_live: weakref.WeakSet[HttpTransport] = weakref.WeakSet()


def _reset_after_fork() -> None:
    for transport in list(_live):
        transport._after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)
