"""Shutdown (issue 14 item 4): with a backend that accepts and never answers, a process
leaves within its export timeout (one per signal: spans, metrics and logs are shut down in
turn) whether it falls off the end (atexit), calls ``sys.exit``, dies of an uncaught
exception or — with the opt-in ``OTEL_PYTHON_EXIT_ON_SIGTERM`` — gets SIGTERM; with a
healthy backend everything still queued at exit is delivered on each of those paths."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from zerocode_kit import Receiver, log_records, metric_names, otel_env, spans_of

APPS = Path(__file__).parent / "apps"
EXPORT_TIMEOUT_S = 1.0
PATHS = {"end": 0, "sys.exit": 0, "exception": 1, "sigterm": 143}


@pytest.fixture
def hanging_endpoint() -> Iterator[str]:
    """Accepts connections (kernel backlog) and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


def _exit(receiver: Receiver, path: str, **env: str) -> tuple[int, float, str]:
    """Run exit_paths.py; (exit code, seconds from 'ready' to exit, stderr)."""
    env = {"OTEL_PYTHON_EXIT_ON_SIGTERM": "true", **env}
    environment = otel_env(
        receiver,
        OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED="true",
        OTEL_BSP_SCHEDULE_DELAY="60000",  # nothing leaves before exit
        OTEL_BLRP_SCHEDULE_DELAY="60000",
        OTEL_METRIC_EXPORT_INTERVAL="60000",
        OTEL_EXPORTER_OTLP_TIMEOUT=str(int(EXPORT_TIMEOUT_S * 1000)),
        PYTHONPATH=str(APPS),
        **env,
    )
    process = subprocess.Popen(
        [sys.executable, "exit_paths.py", path], env=environment, cwd=APPS,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready"
        started = time.monotonic()
        _, err = process.communicate(timeout=30)
        return process.returncode, time.monotonic() - started, err
    finally:
        if process.poll() is None:  # hung: fail, never wait forever
            process.kill()
            process.communicate()


@pytest.mark.parametrize("path", list(PATHS))
def test_everything_queued_at_exit_is_delivered(receiver: Receiver, path: str) -> None:
    code, _, err = _exit(receiver, path)
    assert code == PATHS[path], err
    assert [span.name for _, span in spans_of(receiver)] == ["pending-span"]
    assert "pending.counter" in metric_names(receiver)
    assert [r.body.string_value for r in log_records(receiver)] == ["pending-log"]


@pytest.mark.parametrize("path", list(PATHS))
def test_a_hanging_backend_delays_exit_by_at_most_the_export_timeouts(
    receiver: Receiver, hanging_endpoint: str, path: str
) -> None:
    code, seconds, err = _exit(receiver, path, OTEL_EXPORTER_OTLP_ENDPOINT=hanging_endpoint)
    assert code == PATHS[path], err
    # one export timeout per signal, plus interpreter start-up noise on a loaded machine
    assert seconds < 3 * EXPORT_TIMEOUT_S + 3.0, (seconds, err)
    for signal in ("traces", "metrics", "logs"):  # each signal tried, given up, and said so
        assert re.search(rf"/v1/{signal}: gave up .*no answer before the deadline", err), err


def test_sigterm_keeps_its_default_action_without_the_opt_in(receiver: Receiver) -> None:
    code, _, _ = _exit(receiver, "sigterm", OTEL_PYTHON_EXIT_ON_SIGTERM="false")
    assert code == -15  # killed by the signal, as without otel: nothing hijacked
    assert spans_of(receiver) == []
