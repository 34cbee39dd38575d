"""Retrying an export: exponential backoff with jitter, server hints, never past the deadline.

Retryable failures are retried after 1 s, 2 s, 4 s ... (capped at 32 s), each scaled by a
random factor in [0.75, 1.25); a server hint (HTTP ``Retry-After``, gRPC ``RetryInfo``)
replaces the computed delay. When the next attempt could not start before the deadline the
export ends at once. Waits are on an ``Event`` so that ``shutdown()`` interrupts them.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import NamedTuple

from otel.exporter._transport._types import Attempt, ExportOutcome

INITIAL_BACKOFF_S = 1.0
MAX_BACKOFF_S = 32.0


def backoff_delay(retry_number: int, rand: Callable[[], float] = random.random) -> float:
    """The jittered delay before retry number ``retry_number`` (0-based)."""
    base: float = min(MAX_BACKOFF_S, INITIAL_BACKOFF_S * 2.0 ** min(retry_number, 16))
    return base * (0.75 + 0.5 * rand())


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    import email.utils  # only for the HTTP-date form, which is rare: not at import time

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


class RetryResult(NamedTuple):
    outcome: ExportOutcome
    last: Attempt
    attempts: int

    @property
    def success(self) -> bool:
        return self.outcome is ExportOutcome.SUCCESS


def run_with_retries(
    attempt: Callable[[float], Attempt],
    deadline: float,
    cancel: threading.Event,
    rand: Callable[[], float] = random.random,
) -> RetryResult:
    """Call ``attempt(deadline)`` until success, a final answer or the deadline.

    ``deadline`` is on the ``time.monotonic()`` clock; ``attempt`` must itself return by it.
    """
    retries = 0
    while True:
        if deadline - time.monotonic() <= 0:
            last = Attempt(False, True, None, "timed out")
            return RetryResult(ExportOutcome.TIMED_OUT, last, retries)
        result = attempt(deadline)
        if result.success:
            return RetryResult(ExportOutcome.SUCCESS, result, retries + 1)
        if not result.retryable:
            return RetryResult(ExportOutcome.REJECTED, result, retries + 1)
        delay = result.delay_hint if result.delay_hint is not None else backoff_delay(retries, rand)
        if time.monotonic() + delay >= deadline:
            return RetryResult(ExportOutcome.TIMED_OUT, result, retries + 1)
        if cancel.wait(delay):
            return RetryResult(ExportOutcome.ABANDONED, result, retries + 1)
        retries += 1
