"""Backoff, jitter and Retry-After parsing."""

from __future__ import annotations

import email.utils
import threading
import time

from otel.exporter._transport import Attempt, ExportOutcome
from otel.exporter._transport._retry import (
    backoff_delay,
    parse_retry_after,
    run_with_retries,
)


def test_backoff_doubles_and_is_capped() -> None:
    assert backoff_delay(0, lambda: 0.5) == 1.0
    assert backoff_delay(3, lambda: 0.5) == 8.0
    assert backoff_delay(20, lambda: 0.5) == 32.0


def test_jitter_spreads_between_three_quarters_and_one_and_a_quarter() -> None:
    assert backoff_delay(1, lambda: 0.0) == 1.5
    assert backoff_delay(1, lambda: 0.999999) < 2.5


def test_retry_after_seconds_and_http_date() -> None:
    assert parse_retry_after("7") == 7.0
    now = time.time()
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert 28 <= (parse_retry_after(date, now=now) or 0) <= 31
    assert parse_retry_after("garbage") is None
    assert parse_retry_after(None) is None


def test_a_final_answer_stops_immediately() -> None:
    calls = []

    def attempt(deadline: float) -> Attempt:
        calls.append(deadline)
        return Attempt(False, False, None, "bad request")

    result = run_with_retries(attempt, time.monotonic() + 5, threading.Event())
    assert not result.success
    assert len(calls) == 1
    assert result.outcome is ExportOutcome.REJECTED


def test_retries_until_success_with_hinted_delays() -> None:
    answers = [Attempt(False, True, 0.01), Attempt(False, True, 0.01), Attempt(True)]
    result = run_with_retries(lambda _r: answers.pop(0), time.monotonic() + 5, threading.Event())
    assert result.success
    assert result.attempts == 3


def test_never_waits_past_the_deadline() -> None:
    start = time.monotonic()
    result = run_with_retries(
        lambda _r: Attempt(False, True, 10.0), time.monotonic() + 0.2, threading.Event()
    )
    assert not result.success
    assert result.outcome is ExportOutcome.TIMED_OUT
    assert time.monotonic() - start < 0.1


def test_every_attempt_gets_the_export_deadline() -> None:
    deadlines: list[float] = []

    def attempt(deadline: float) -> Attempt:
        deadlines.append(deadline)
        return Attempt(False, True, 0.05)

    deadline = time.monotonic() + 0.3
    run_with_retries(attempt, deadline, threading.Event())
    assert len(deadlines) >= 2
    assert set(deadlines) == {deadline}


class _RecordingWait:
    """Stands in for the shutdown Event: records each backoff instead of sleeping."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def wait(self, delay: float) -> bool:
        self.delays.append(delay)
        return False


def test_computed_backoff_grows_exponentially_between_attempts() -> None:
    answers = [Attempt(False, True)] * 4 + [Attempt(True)]
    waits = _RecordingWait()
    result = run_with_retries(
        lambda _r: answers.pop(0),
        time.monotonic() + 1000,
        waits,  # type: ignore[arg-type]
        rand=lambda: 0.5,
    )
    assert result.success
    assert waits.delays == [1.0, 2.0, 4.0, 8.0]


def test_retry_after_hint_is_honoured_as_given_even_beyond_the_backoff_cap() -> None:
    answers = [Attempt(False, True, 40.0), Attempt(True)]
    waits = _RecordingWait()
    run_with_retries(lambda _r: answers.pop(0), time.monotonic() + 1000, waits)  # type: ignore[arg-type]
    assert waits.delays == [40.0]


def test_a_failed_attempt_is_final_unless_marked_retryable() -> None:
    calls: list[float] = []

    def attempt(remaining: float) -> Attempt:
        calls.append(remaining)
        return Attempt(False)  # no retryable flag: a final answer

    result = run_with_retries(attempt, time.monotonic() + 5, threading.Event())
    assert len(calls) == 1
    assert result.outcome is ExportOutcome.REJECTED


def test_retry_after_zero_or_in_the_past_means_now() -> None:
    assert parse_retry_after("0") == 0.0
    assert parse_retry_after("-3") == 0.0
    now = time.time()
    assert parse_retry_after(email.utils.formatdate(now - 60, usegmt=True), now=now) == 0.0


def test_retry_after_http_date_is_measured_from_the_current_time_by_default() -> None:
    date = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= (parse_retry_after(date) or 0) <= 31
