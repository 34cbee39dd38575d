"""Prefork servers (issue 14 item 1): under real gunicorn (sync and gthread workers, with
and without ``--preload``) and real uwsgi (with and without ``--lazy-apps``), every worker's
spans, metrics and logs reach the OTLP receiver with the worker's own
``service.instance.id`` — including what is still queued when the server is stopped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from prefork_kit import (
    assert_each_worker_is_its_own_instance,
    complete,
    delivered,
    serving_pids,
)
from zerocode_kit import BIN, Receiver, free_port, otel_env, popen, stop, wait_for, wait_listening

from _support.peers import peer_missing

APPS = Path(__file__).parent / "apps"


def _env(receiver: Receiver) -> dict[str, str]:
    return otel_env(
        receiver,
        OTEL_SERVICE_NAME="prefork",
        OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED="true",
        PYTHONPATH=str(APPS),
    )


def _check_workers(receiver: Receiver, process: object, port: int, workers: int) -> None:
    wait_listening(port, process)  # type: ignore[arg-type]
    pids = serving_pids(port, wanted=workers)
    assert len(pids) >= 2, pids  # spread over several workers (all of them, usually)
    # delivered while running (short schedule delays) ...
    assert wait_for(lambda: complete(delivered(receiver), pids), timeout=30)
    assert_each_worker_is_its_own_instance(delivered(receiver), pids)


@pytest.mark.parametrize("preload", [False, True], ids=["no-preload", "preload"])
@pytest.mark.parametrize("worker_class", ["sync", "gthread"])
def test_gunicorn_workers_deliver_every_signal_as_their_own_instance(
    receiver: Receiver, worker_class: str, preload: bool
) -> None:
    gunicorn = BIN / "gunicorn"
    if not gunicorn.exists():
        peer_missing("gunicorn is not installed (pyproject test extra)")
    port = free_port()
    args = [str(gunicorn), "-w", "4", "-k", worker_class, "--threads", "2",
            "-b", f"127.0.0.1:{port}", "--graceful-timeout", "10", "prefork_app:app"]  # fmt: skip
    if preload:
        args.insert(-1, "--preload")
    process = popen(args, _env(receiver), cwd=APPS)
    try:
        _check_workers(receiver, process, port, workers=4)
        # ... and what is queued at SIGTERM is flushed by each worker's exit
        before = len(receiver.requests)
        pids = serving_pids(port, wanted=1, rounds=1)
    finally:
        output = stop(process)
    assert process.returncode == 0, output
    assert "Traceback" not in output, output
    assert len(receiver.requests) > before
    assert complete(delivered(receiver), pids)


def _uwsgi() -> str:
    found = shutil.which("uwsgi", path=str(BIN))
    if found is None:
        peer_missing("uwsgi is not installed (pyproject test extra)")
    return found


def _uwsgi_args(port: int, *extra: str) -> list[str]:
    return [_uwsgi(), "--master", "--processes", "3", "--enable-threads",
            "--http-socket", f"127.0.0.1:{port}", "--wsgi-file", str(APPS / "prefork_app.py"),
            "--callable", "app", "--die-on-term", "--disable-logging", *extra]  # fmt: skip


@pytest.mark.parametrize("mode", ["--py-call-uwsgi-fork-hooks", "--lazy-apps"])
def test_uwsgi_processes_deliver_every_signal_as_their_own_instance(
    receiver: Receiver, mode: str
) -> None:
    port = free_port()
    process = popen(_uwsgi_args(port, mode), _env(receiver), cwd=APPS)
    try:
        _check_workers(receiver, process, port, workers=3)
    finally:
        output = stop(process)
    assert process.returncode == 0, output
    assert "Traceback" not in output, output
    assert "otel:" not in output, output


def test_uwsgi_forking_without_python_fork_hooks_is_reported(receiver: Receiver) -> None:
    # uwsgi's default: the app is loaded in the master and workers are forked in C
    # without Python's after-fork hooks, so their telemetry threads never run.
    port = free_port()
    process = popen(_uwsgi_args(port), _env(receiver), cwd=APPS)
    try:
        wait_listening(port, process)
    finally:
        output = stop(process, timeout=3)
    assert "start uwsgi with --py-call-uwsgi-fork-hooks or --lazy-apps" in output, output
