"""What every exporter shares: send one encoded batch with retries, log the outcome once.

An exporter is a codec (items -> bytes), a ``Sender`` (one attempt of one export: HTTP via
a ``Transport``, gRPC, UDP) and an ``ExportCore`` (timeout, retries, shutdown, logging).
The whole export, retries included, ends by its deadline, and runs with instrumentation
suppressed so that an instrumented HTTP client never traces otel's own exports. Nothing
here raises into the caller.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, TypeVar

from otel import __version__
from otel.exporter._transport._retry import parse_retry_after, run_with_retries
from otel.exporter._transport._types import (
    Attempt,
    ExportOutcome,
    Request,
    Response,
    Transport,
    TransportError,
)
from otel.instrumentation.utils import suppress_instrumentation

T = TypeVar("T")

USER_AGENT = f"otel-python/{__version__}"
RETRYABLE_STATUS = frozenset({429, 502, 503, 504})


class Sender(Protocol):
    """One attempt at delivering one prepared body, classified for the retry loop."""

    endpoint: str

    def prepare(self, body: bytes) -> bytes: ...

    def attempt(self, body: bytes, deadline: float) -> Attempt: ...

    def close(self) -> None: ...


def compress(body: bytes, encoding: str) -> bytes:
    """``body`` compressed for ``Content-Encoding: encoding`` (gzip, deflate or identity)."""
    if encoding == "gzip":
        import gzip

        return gzip.compress(body, compresslevel=6, mtime=0)
    if encoding == "deflate":
        import zlib

        return zlib.compress(body, 6)
    return body


def _plain_error(response: Response) -> str:
    return response.body.decode("utf-8", "replace").strip()[:512]


class HttpSender:
    """POSTs bodies to one URL through a ``Transport``; HTTP answers classified per OTLP.

    2xx succeeds; 429, 502, 503, 504 and transport errors are retried (``Retry-After``
    honoured); anything else is final. ``describe_error(response)`` turns an error body into
    text, ``on_success(response)`` reads a success body (partial success, for OTLP). A bad
    URL is logged once here and then fails every export with that message.
    """

    def __init__(
        self,
        transport: Transport,
        url: str,
        headers: Mapping[str, str],
        *,
        compression: str = "",
        describe_error: Callable[[Response], str] = _plain_error,
        on_success: Callable[[Response], None] | None = None,
        config_error: str = "",
        logger: logging.Logger | None = None,
    ) -> None:
        self.transport = transport
        self.endpoint = url
        self.config_error = config_error or check_http_url(url)
        self._compression = compression if compression in ("gzip", "deflate") else ""
        if self._compression:
            # load the codec now, not on the export thread (see the idna note in _http.py)
            compress(b"", self._compression)
        base = {"User-Agent": USER_AGENT}
        if self._compression:
            base["Content-Encoding"] = self._compression
        for key, value in headers.items():
            if key.lower() not in ("content-encoding", "content-length"):
                base[key] = value
        self._headers = base
        self._describe = describe_error
        self._on_success = on_success
        if self.config_error:
            (logger or logging.getLogger("otel.exporter")).error(
                "Exporter misconfigured: %s; exports will fail", self.config_error
            )

    @property
    def headers(self) -> dict[str, str]:
        return dict(self._headers)

    def prepare(self, body: bytes) -> bytes:
        """Compress once per export (not once per attempt)."""
        return compress(body, self._compression)

    def attempt(self, body: bytes, deadline: float) -> Attempt:
        if self.config_error:
            return Attempt(False, False, None, self.config_error)
        request = Request("POST", self.endpoint, self._headers, body)
        try:
            response = self.transport.send(request, deadline)
        except TransportError as exc:
            return Attempt(False, exc.retryable, None, str(exc))
        if 200 <= response.status < 300:
            if self._on_success is not None:
                self._on_success(response)
            return Attempt(True)
        message = f"HTTP {response.status} {response.reason}".rstrip()
        detail = ""
        if response.body:
            try:
                detail = self._describe(response)
            except Exception:  # a malformed error body is reported as text
                detail = _plain_error(response)
        if detail:
            message = f"{message}: {detail}"
        if response.status in RETRYABLE_STATUS:
            hint = parse_retry_after(response.headers.get("retry-after"))
            return Attempt(False, True, hint, message)
        return Attempt(False, False, None, message)

    def close(self) -> None:
        self.transport.close()


def check_http_url(url: str, what: str = "endpoint") -> str:
    """'' when ``url`` is a usable http(s) URL, else what is wrong with it."""
    try:
        parsed = urllib.parse.urlsplit(url)
        parsed.port  # noqa: B018 - raises for a bad port
    except ValueError as exc:
        return f"invalid {what} {url!r}: {exc}"
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        return f"invalid {what} {url!r} (expected http://host:port/path or https://...)"
    return ""


def encode_keeping_good(
    encode: Callable[[Sequence[T]], bytes],
    items: Sequence[T],
    what: str,
    logger: logging.Logger,
) -> bytes:
    """``encode(items)``; when that fails, encode only the items that encode on their own.

    One span or record with a value the encoder cannot take costs itself, logged with the
    reason, not the whole batch.
    """
    try:
        return encode(items)
    except Exception:
        pass
    good: list[T] = []
    first_error = ""
    for item in items:
        try:
            encode((item,))
        except Exception as exc:
            first_error = first_error or f"{type(exc).__name__}: {exc}"
        else:
            good.append(item)
    if not good:
        raise ValueError(f"none of the {what} could be encoded (first error: {first_error})")
    if first_error:
        logger.error(
            "Dropped %d of %d %s that could not be encoded (first error: %s)",
            len(items) - len(good),
            len(items),
            what,
            first_error,
        )
    return encode(good)


class ExportCore:
    """Deadline, retry loop, shutdown state and one log line per failed export.

    ``what`` names the items in log lines ("spans"); ``protocol`` the wire ("OTLP").
    Thread-safe; ``send`` blocks at most for its timeout (shutdown interrupts retry waits).
    """

    def __init__(
        self,
        what: str,
        sender: Sender,
        timeout_s: float,
        *,
        protocol: str = "OTLP",
        logger: logging.Logger | None = None,
    ) -> None:
        self.signal = what
        self.sender = sender
        self.timeout_s = timeout_s
        self.protocol = protocol
        self._logger = logger or logging.getLogger("otel.exporter")
        self._shutdown = threading.Event()
        self._warned_after_shutdown = False

    @property
    def is_shutdown(self) -> bool:
        return self._shutdown.is_set()

    def send(
        self,
        encode: Callable[[], bytes],
        count: int,
        timeout_s: float | None = None,
    ) -> ExportOutcome:
        """Encode and deliver one batch of ``count`` items within the timeout."""
        log = self._logger
        if self._shutdown.is_set():
            if not self._warned_after_shutdown:
                self._warned_after_shutdown = True
                log.warning(
                    "%s exporter already shut down; dropping %d %s and all later data",
                    self.protocol,
                    count,
                    self.signal,
                )
            return ExportOutcome.DROPPED
        budget = self.timeout_s if timeout_s is None else min(self.timeout_s, timeout_s)
        start = time.monotonic()
        deadline = start + max(0.0, budget)
        sender = self.sender
        try:
            payload = sender.prepare(encode())
        except Exception:
            log.exception(
                "Failed to encode %d %s for %s; dropped", count, self.signal, self.protocol
            )
            return ExportOutcome.DROPPED

        def attempt(deadline: float) -> Attempt:
            return sender.attempt(payload, deadline)

        try:
            with suppress_instrumentation():
                result = run_with_retries(attempt, deadline, self._shutdown)
        except Exception:
            log.exception("Unexpected error exporting %s to %s", self.signal, sender.endpoint)
            return ExportOutcome.DROPPED
        outcome = result.outcome
        if outcome is ExportOutcome.SUCCESS:
            return outcome
        elapsed = time.monotonic() - start
        if outcome is ExportOutcome.REJECTED:
            log.error(
                "Failed to export %d %s to %s: %s (not retried)",
                count,
                self.signal,
                sender.endpoint,
                result.last.message,
            )
        elif outcome is ExportOutcome.ABANDONED:
            log.warning(
                "Export of %d %s to %s abandoned at shutdown after %.3g s: %s",
                count,
                self.signal,
                sender.endpoint,
                elapsed,
                result.last.message,
            )
        else:
            log.error(
                "Failed to export %d %s to %s: gave up after %.3g s (timeout %.3g s) "
                "and %d attempt(s): %s",
                count,
                self.signal,
                sender.endpoint,
                elapsed,
                budget,
                result.attempts,
                result.last.message,
            )
        return outcome

    def shutdown(self) -> None:
        if self._shutdown.is_set():
            return
        self._shutdown.set()
        try:
            self.sender.close()
        except Exception:  # shutdown must not raise
            self._logger.debug("Error closing the exporter's transport", exc_info=True)
