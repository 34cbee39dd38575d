"""``RecordingTransport``: the in-memory transport for tests, with scripted answers.

Pass it as ``_transport=`` to any otel exporter: the exporter runs its real codec, retry
loop and logging, and the transport records each ``Request`` (with its deadline) instead of
doing I/O. Answers come from ``responses`` in order (a ``Response``, an int status, a
``TransportError`` to raise, or a callable taking the request), then ``default``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import NamedTuple

from otel.exporter._transport._types import Request, Response, TransportError

Answer = Response | int | TransportError | Callable[[Request], Response]


class Sent(NamedTuple):
    """One recorded request and the seconds that were left before its deadline."""

    request: Request
    remaining_s: float

    @property
    def body(self) -> bytes:
        return self.request.body

    @property
    def headers(self) -> dict[str, str]:
        return {k.lower(): v for k, v in self.request.headers.items()}


class RecordingTransport:
    """Thread-safe. ``requests`` lists what was sent, in order; ``closed`` after ``close()``."""

    def __init__(self, responses: Iterable[Answer] = (), default: Answer = 200) -> None:
        self._script: list[Answer] = list(responses)
        self.default = default
        self.sent: list[Sent] = []
        self.closed = False
        self._lock = threading.Lock()

    @property
    def requests(self) -> list[Request]:
        return [s.request for s in self.sent]

    @property
    def bodies(self) -> list[bytes]:
        return [s.request.body for s in self.sent]

    def script(self, *answers: Answer) -> None:
        """Append answers to the script."""
        with self._lock:
            self._script.extend(answers)

    def send(self, request: Request, deadline: float) -> Response:
        with self._lock:
            if self.closed:
                raise TransportError("transport is closed", retryable=False)
            self.sent.append(Sent(request, deadline - time.monotonic()))
            answer = self._script.pop(0) if self._script else self.default
        if isinstance(answer, TransportError):
            raise answer
        if isinstance(answer, int):
            return Response(answer)
        if isinstance(answer, Response):
            return answer
        return answer(request)

    def close(self) -> None:
        self.closed = True
