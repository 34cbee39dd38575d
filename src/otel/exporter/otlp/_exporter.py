"""What every OTLP exporter shares: encode, send with retries, log the outcome once.

A signal exporter owns one ``ExportCore`` and one transport (HTTP or gRPC). Nothing here
raises into the caller: encoding errors, network trouble and server refusals all end in a
log line and ``False``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from otel._log import get_logger
from otel.exporter.otlp._retry import Attempt, run_with_retries

_logger = get_logger("otel.exporter.otlp")

T = TypeVar("T")


def encode_keeping_good(
    encode: Callable[[Sequence[T]], bytes], items: Sequence[T], what: str
) -> bytes:
    """``encode(items)``; when that fails, encode only the items that encode on their own.

    One span or record with a value the encoder cannot take (a name that is not a str, a
    float timestamp, ...) then costs itself, logged with the reason, not the whole batch.
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
        _logger.error(
            "Dropped %d of %d %s that could not be encoded for OTLP (first error: %s)",
            len(items) - len(good),
            len(items),
            what,
            first_error,
        )
    return encode(good)


class Transport(Protocol):
    endpoint: str

    def prepare(self, body: bytes) -> bytes: ...

    def attempt(self, body: bytes, timeout: float, signal: str) -> Attempt: ...

    def close(self) -> None: ...


class ExportCore:
    """Retry loop, shutdown state and logging around one transport."""

    def __init__(self, signal: str, transport: Transport, timeout_s: float) -> None:
        self.signal = signal
        self.transport = transport
        self.timeout_s = timeout_s
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
    ) -> bool:
        """Encode and deliver one batch of ``count`` items; True on success."""
        if self._shutdown.is_set():
            if not self._warned_after_shutdown:
                self._warned_after_shutdown = True
                _logger.warning("OTLP %s exporter already shut down; dropping data", self.signal)
            return False
        budget = self.timeout_s if timeout_s is None else min(self.timeout_s, timeout_s)
        deadline = time.monotonic() + max(0.0, budget)
        try:
            payload = self.transport.prepare(encode())
        except Exception:
            _logger.exception("Failed to encode %d %s for OTLP; dropped", count, self.signal)
            return False
        transport = self.transport
        signal = self.signal

        def attempt(remaining: float) -> Attempt:
            return transport.attempt(payload, remaining, signal)

        try:
            result = run_with_retries(attempt, deadline, self._shutdown)
        except Exception:
            _logger.exception("Unexpected error exporting %s to %s", signal, transport.endpoint)
            return False
        if result.success:
            return True
        if result.gave_up_reason == "not retryable":
            _logger.error(
                "Failed to export %d %s to %s: %s (not retried)",
                count,
                signal,
                transport.endpoint,
                result.last.message,
            )
        elif result.gave_up_reason == "shutdown":
            _logger.warning(
                "Export of %d %s to %s abandoned at shutdown: %s",
                count,
                signal,
                transport.endpoint,
                result.last.message,
            )
        else:
            _logger.error(
                "Failed to export %d %s to %s within %.3g s after %d attempt(s): %s",
                count,
                signal,
                transport.endpoint,
                budget,
                result.attempts,
                result.last.message,
            )
        return False

    def shutdown(self) -> None:
        if self._shutdown.is_set():
            return
        self._shutdown.set()
        try:
            self.transport.close()
        except Exception:  # shutdown must not raise
            _logger.debug("Error closing OTLP transport", exc_info=True)
