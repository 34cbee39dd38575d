"""OTLP/HTTP transport on ``http.client``: one reused connection, gzip/deflate, TLS, timeouts.

``HttpSender.post`` performs one attempt and classifies the answer for the retry loop; it never
raises for network trouble (that becomes a retryable failed attempt).
"""

from __future__ import annotations

import os
import threading
import urllib.parse
import weakref
import zlib
from collections.abc import Mapping
from typing import NamedTuple

from otel import __version__
from otel._log import get_logger
from otel.exporter.otlp._config import Compression
from otel.exporter.otlp._retry import Attempt, parse_retry_after

_logger = get_logger("otel.exporter.otlp")

RETRYABLE_STATUS = frozenset({429, 502, 503, 504})
USER_AGENT = f"otel-python/{__version__}"
CONTENT_TYPE_PROTOBUF = "application/x-protobuf"
CONTENT_TYPE_JSON = "application/json"

# ``http.client`` (with ``email``), ``ssl`` and ``gzip`` are about half of what importing an
# OTLP/HTTP exporter would cost: they are imported on first use (the first export, on the
# export thread), not when the application imports or builds the exporter.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import http.client
    import ssl


def _stale_errors() -> tuple[type[BaseException], ...]:
    """A kept-alive connection the server already closed fails like this on reuse."""
    import http.client

    return (
        http.client.RemoteDisconnected,
        http.client.BadStatusLine,
        BrokenPipeError,
        ConnectionResetError,
        ConnectionAbortedError,
    )


class Response(NamedTuple):
    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes


def compress(body: bytes, compression: Compression) -> bytes:
    if compression is Compression.Gzip:
        import gzip

        return gzip.compress(body, compresslevel=6, mtime=0)
    if compression is Compression.Deflate:
        return zlib.compress(body, 6)
    return body


def make_ssl_context(
    certificate_file: str | None,
    client_key_file: str | None,
    client_certificate_file: str | None,
) -> ssl.SSLContext:
    import ssl

    context = ssl.create_default_context(cafile=certificate_file)
    if client_certificate_file:
        context.load_cert_chain(client_certificate_file, client_key_file)
    return context


class HttpSender:
    """Posts bodies to one OTLP/HTTP endpoint over a reused connection."""

    def __init__(
        self,
        endpoint: str,
        *,
        headers: Mapping[str, str],
        content_type: str,
        compression: Compression,
        certificate_file: str | None = None,
        client_key_file: str | None = None,
        client_certificate_file: str | None = None,
    ) -> None:
        # A misconfiguration is logged once here and makes every export fail with that
        # message; it never raises into the application that builds the exporter.
        self.config_error = ""
        self.endpoint = endpoint
        try:
            parsed = urllib.parse.urlsplit(endpoint)
            scheme = parsed.scheme.lower()
            port = parsed.port
        except ValueError as exc:
            parsed, scheme, port = urllib.parse.urlsplit(""), "", None
            self.config_error = f"invalid OTLP/HTTP endpoint {endpoint!r}: {exc}"
        if not self.config_error and (scheme not in ("http", "https") or not parsed.hostname):
            self.config_error = (
                f"invalid OTLP/HTTP endpoint {endpoint!r} (expected http://host:port/path "
                "or https://...)"
            )
        self._https = scheme == "https"
        self._host = parsed.hostname or "localhost"
        self._port = port or (443 if self._https else 80)
        self._path = (parsed.path or "/") + (f"?{parsed.query}" if parsed.query else "")
        self._compression = compression
        base = {
            "Content-Type": content_type,
            "User-Agent": USER_AGENT,
        }
        if compression is not Compression.NoCompression:
            base["Content-Encoding"] = compression.value
        # user headers win, except that the body format is ours to state
        for key, value in headers.items():
            if key.lower() not in ("content-type", "content-encoding", "content-length"):
                base[key] = value
        self._headers = base
        self._ssl: ssl.SSLContext | None = None
        if self._https and not self.config_error:
            try:
                self._ssl = make_ssl_context(
                    certificate_file, client_key_file, client_certificate_file
                )
            except (OSError, ValueError) as exc:
                self.config_error = f"cannot set up TLS for {endpoint}: {exc}"
        if self.config_error:
            _logger.error("OTLP exporter misconfigured: %s; exports will fail", self.config_error)
        self._conn: http.client.HTTPConnection | None = None
        self._lock = threading.Lock()
        self._closed = False
        _live_senders.add(self)

    def _after_fork_in_child(self) -> None:
        # The parent's socket and lock state must not be shared: start afresh.
        self._lock = threading.Lock()
        self._conn = None

    @property
    def headers(self) -> dict[str, str]:
        return dict(self._headers)

    def prepare(self, body: bytes) -> bytes:
        """Compress once per export (not once per attempt)."""
        return compress(body, self._compression)

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        import http.client

        conn = self._conn
        if conn is None:
            if self._https:
                conn = http.client.HTTPSConnection(
                    self._host, self._port, timeout=timeout, context=self._ssl
                )
            else:
                conn = http.client.HTTPConnection(self._host, self._port, timeout=timeout)
            self._conn = conn
        else:
            conn.timeout = timeout
            if conn.sock is not None:
                conn.sock.settimeout(timeout)
        return conn

    def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # closing must never fail an export
                pass

    def request(self, body: bytes, timeout: float) -> Response:
        """One POST; raises ``OSError``/``http.client.HTTPException`` on network trouble."""
        with self._lock:
            if self._closed:
                raise ConnectionError("exporter is shut down")
            for try_number in (0, 1):
                reused = self._conn is not None and self._conn.sock is not None
                conn = self._connection(timeout)
                try:
                    conn.request("POST", self._path, body=body, headers=self._headers)
                    resp = conn.getresponse()
                    data = resp.read()
                except _stale_errors():
                    self._drop_connection()
                    if reused and try_number == 0:
                        continue
                    raise
                except BaseException:
                    self._drop_connection()
                    raise
                if resp.will_close or self._closed:  # closed: shutdown() came meanwhile
                    self._drop_connection()
                headers = {k.lower(): v for k, v in resp.getheaders()}
                return Response(resp.status, resp.reason, headers, data)
        raise ConnectionError("unreachable")  # pragma: no cover

    def attempt(self, body: bytes, timeout: float, signal: str) -> Attempt:
        """One try, classified per the OTLP/HTTP specification."""
        if self.config_error:
            return Attempt(False, False, None, self.config_error)
        import http.client
        import ssl

        try:
            resp = self.request(body, timeout)
        except ssl.SSLCertVerificationError as exc:
            return Attempt(False, False, None, f"TLS certificate rejected: {exc}")
        except TimeoutError:
            return Attempt(False, True, None, f"no answer within {timeout:.3g} s")
        except (OSError, http.client.HTTPException) as exc:
            return Attempt(False, True, None, f"{type(exc).__name__}: {exc}")
        if 200 <= resp.status < 300:
            _log_partial_success(resp, signal, self.endpoint)
            return Attempt(True)
        message = f"HTTP {resp.status} {resp.reason}".rstrip()
        detail = _error_message(resp)
        if detail:
            message = f"{message}: {detail}"
        if resp.status in RETRYABLE_STATUS:
            hint = parse_retry_after(resp.headers.get("retry-after"))
            return Attempt(False, True, hint, message)
        return Attempt(False, False, None, message)

    def close(self) -> None:
        self._closed = True
        if self._lock.acquire(timeout=1.0):
            try:
                self._drop_connection()
            finally:
                self._lock.release()


_live_senders: weakref.WeakSet[HttpSender] = weakref.WeakSet()


def _reset_after_fork() -> None:
    for sender in list(_live_senders):
        sender._after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


def _is_json(resp: Response) -> bool:
    return "json" in resp.headers.get("content-type", "").lower()


def _is_protobuf(resp: Response) -> bool:
    return "protobuf" in resp.headers.get("content-type", "").lower()


def _error_message(resp: Response) -> str:
    body = resp.body
    if not body:
        return ""
    try:
        if _is_protobuf(resp):
            from otel.exporter.otlp._proto import _decode  # only for error answers

            status = _decode.decode_status(body)
            return status.message or ""
        if _is_json(resp):
            from otel.exporter.otlp import _json

            return _json.decode_status(body).message or body.decode("utf-8", "replace")[:512]
    except Exception:  # a malformed error body is reported as text
        pass
    return body.decode("utf-8", "replace").strip()[:512]


def _log_partial_success(resp: Response, signal: str, endpoint: str) -> None:
    if not resp.body:
        return
    try:
        if _is_json(resp):
            from otel.exporter.otlp import _json

            partial = _json.decode_partial_success(resp.body)
        else:
            from otel.exporter.otlp._proto import _decode  # only for non-empty answers

            partial = _decode.decode_partial_success(resp.body)
    except Exception:  # an unreadable success answer is still a success
        _logger.debug("Unreadable OTLP response body from %s", endpoint)
        return
    if partial is not None and (partial.rejected or partial.error_message):
        _logger.warning(
            "OTLP partial success exporting %s to %s: %d rejected; %s",
            signal,
            endpoint,
            partial.rejected,
            partial.error_message or "(no message)",
        )
