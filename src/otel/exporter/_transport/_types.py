"""The transport seam: one request in, one response (or a ``TransportError``) out.

Every exporter is a codec (items -> bytes, no I/O) plus a ``Transport`` plus a timeout. A
``Transport`` knows nothing of OpenTelemetry: it sends one ``Request`` and must return before
``deadline`` (a ``time.monotonic()`` value) whatever the peer does. Retrying, classifying
answers and logging are the export core's (``_core``), so they are written once.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import NamedTuple, Protocol


class Request(NamedTuple):
    """One request: ``url`` is ``http(s)://host:port/path`` or ``udp://host:port``."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes


class Response(NamedTuple):
    """The peer's answer. Datagram transports answer ``status=0`` (sent, no answer by design)."""

    status: int
    reason: str = ""
    headers: Mapping[str, str] = {}
    body: bytes = b""


class TransportError(OSError):
    """The request did not get an answer: refused, reset, timed out, TLS failure...

    ``retryable`` is False when trying again cannot help (bad certificate, bad address).
    ``timed_out`` is True when the deadline passed.
    """

    def __init__(self, message: str, *, retryable: bool = True, timed_out: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.timed_out = timed_out


class Transport(Protocol):
    """Sends requests. Implementations: ``HttpTransport``, ``UdpTransport``, ``RecordingTransport``.

    ``send`` blocks at most until ``deadline`` and raises only ``TransportError``; it may be
    called from several threads (implementations serialize what they must). ``close`` is
    idempotent, never raises, and makes later sends fail and an in-flight one end early.
    """

    def send(self, request: Request, deadline: float) -> Response: ...

    def close(self) -> None: ...


class ExportOutcome(enum.Enum):
    """How one export ended."""

    SUCCESS = "success"
    #: the peer refused the data for good (HTTP 400, bad configuration...): not retried
    REJECTED = "rejected"
    #: retryable failures until the export's deadline ran out
    TIMED_OUT = "timed out"
    #: the exporter was shut down while waiting to retry
    ABANDONED = "abandoned at shutdown"
    #: the exporter was already shut down, or the items could not be encoded
    DROPPED = "dropped"


class Attempt(NamedTuple):
    """The outcome of one try: success, or whether (and after how long) to try again."""

    success: bool
    retryable: bool = False
    delay_hint: float | None = None
    message: str = ""
