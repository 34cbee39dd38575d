"""Fork (issue 14 item 1): ``multiprocessing`` children (fork, spawn, forkserver) deliver their
spans, metrics and logs as their own instance, although fork children leave through
``os._exit``; 200 forks while two threads keep the batch workers busy (locks held,
exports in flight) never hang a child and every child's span arrives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from prefork_kit import assert_each_worker_is_its_own_instance, delivered
from zerocode_kit import Receiver, attributes, otel_env, spans_of

APPS = Path(__file__).parent / "apps"


def _run(receiver: Receiver, args: list[str], timeout: float, **env: str) -> str:
    environment = otel_env(
        receiver,
        OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED="true",
        PYTHONPATH=str(APPS),
        **env,
    )
    try:
        done = subprocess.run(
            [sys.executable, *args], env=environment, cwd=APPS, capture_output=True,
            text=True, timeout=timeout, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired as exc:  # subprocess.run kills the child
        pytest.fail(f"{args} hung: {exc.stdout!r} {exc.stderr!r}")
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver", "forkserver-preload"])
def test_multiprocessing_children_deliver_every_signal_as_their_own_instance(
    receiver: Receiver, method: str
) -> None:
    _run(receiver, ["mp_workers.py", method, "3"], timeout=90)
    found = delivered(receiver)  # everything was flushed before the parent exited
    assert len(found) == 3, found
    assert_each_worker_is_its_own_instance(found, set(found))


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_200_forks_under_load_never_hang_a_child_and_lose_no_child_span(
    receiver: Receiver,
) -> None:
    out = _run(
        receiver,
        ["fork_stress.py", "200"],
        timeout=150,
        OTEL_BSP_SCHEDULE_DELAY="1",  # the workers export all the time
        OTEL_BLRP_SCHEDULE_DELAY="1",
        OTEL_METRICS_EXPORTER="none",
    )
    assert "forks=200 hung=0 failed=0" in out, out
    children = {attributes(s)["child.index"] for _, s in spans_of(receiver) if s.name == "child"}
    assert children == set(range(200))
