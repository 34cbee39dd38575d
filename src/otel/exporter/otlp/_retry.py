"""Retrying an export per the OTLP specification.

Retryable answers are retried with exponential backoff and jitter (1 s, 2 s, 4 s ... capped
at 32 s, each scaled by a random factor in [0.75, 1.25)); a server hint (HTTP ``Retry-After``,
gRPC ``RetryInfo``) replaces the computed delay. No wait ever runs past the export deadline:
when the next attempt could not start before it, the export fails at once. Waits are on an
``Event`` so that ``shutdown()`` interrupts them.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from typing import NamedTuple

INITIAL_BACKOFF_S = 1.0
MAX_BACKOFF_S = 32.0


class Attempt(NamedTuple):
    """The outcome of one try: success, or whether (and after how long) to try again."""

    success: bool
    retryable: bool = False
    delay_hint: float | None = None
    message: str = ""


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
    success: bool
    last: Attempt
    attempts: int
    gave_up_reason: str  # "" on success


def run_with_retries(
    attempt: Callable[[float], Attempt],
    deadline: float,
    cancel: threading.Event,
    rand: Callable[[], float] = random.random,
) -> RetryResult:
    """Call ``attempt(remaining_seconds)`` until success, a final answer or the deadline.

    ``deadline`` is on the ``time.monotonic()`` clock.
    """
    retries = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return RetryResult(False, Attempt(False, True, None, "timed out"), retries, "deadline")
        result = attempt(remaining)
        if result.success:
            return RetryResult(True, result, retries + 1, "")
        if not result.retryable:
            return RetryResult(False, result, retries + 1, "not retryable")
        delay = result.delay_hint if result.delay_hint is not None else backoff_delay(retries, rand)
        if time.monotonic() + delay >= deadline:
            return RetryResult(False, result, retries + 1, "deadline")
        if cancel.wait(delay):
            return RetryResult(False, result, retries + 1, "shutdown")
        retries += 1
