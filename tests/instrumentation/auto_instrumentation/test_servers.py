"""``otel run`` under real servers: gunicorn (with and without ``--preload``), uvicorn
workers, Flask's debug reloader and ``flask run``. Every worker exports its own spans with
its own ``service.instance.id``; the reloader's watcher exports nothing."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from zerocode_kit import (
    BIN,
    Receiver,
    attributes,
    free_port,
    get,
    metric_names,
    otel_env,
    popen,
    spans_of,
    stop,
    wait_for,
    wait_listening,
)


def _pids_serving(port: int, wanted: int, attempts: int = 400) -> set[str]:
    """Request until ``wanted`` distinct worker pids answered (bounded)."""
    pids: set[str] = set()
    for _ in range(attempts):
        pids.add(get(port))
        if len(pids) >= wanted:
            break
    return pids


def _query_spans(receiver: Receiver) -> dict[str, set[str]]:
    """worker pid (from the query ``SELECT <pid>`` / ``INSERT ... VALUES (<pid>)``) ->
    the service.instance.id values its spans carried."""
    found: dict[str, set[str]] = {}
    for resource, span in spans_of(receiver):
        text = str(attributes(span).get("db.query.text", ""))
        digits = "".join(ch for ch in text if ch.isdigit())
        if digits and ("SELECT" in text or "VALUES" in text):
            found.setdefault(digits, set()).add(str(resource.get("service.instance.id")))
    return found


def _assert_each_worker_is_its_own_instance(receiver: Receiver, pids: set[str]) -> None:
    assert wait_for(lambda: pids <= set(_query_spans(receiver)), timeout=20), (
        pids,
        _query_spans(receiver),
    )
    by_pid = _query_spans(receiver)
    instance_ids = [by_pid[pid] for pid in pids]
    assert all(len(ids) == 1 for ids in instance_ids), by_pid
    assert len({next(iter(ids)) for ids in instance_ids}) == len(pids), by_pid


@pytest.mark.parametrize("preload", [False, True], ids=["no-preload", "preload"])
def test_gunicorn_workers_each_export_with_their_own_instance_id(
    receiver: Receiver, preload: bool
) -> None:
    port = free_port()
    args = [str(BIN / "otel"), "run", "--", str(BIN / "gunicorn"), "-w", "3",
            "-b", f"127.0.0.1:{port}", "wsgi_app:app"]  # fmt: skip
    if preload:
        args.insert(-1, "--preload")
    process = popen(args, otel_env(receiver, OTEL_SERVICE_NAME="gunicorn-app"))
    try:
        wait_listening(port, process)
        pids = _pids_serving(port, wanted=2)
        assert len(pids) >= 2
        _assert_each_worker_is_its_own_instance(receiver, pids)
        assert wait_for(lambda: "db.client.operation.duration" in metric_names(receiver))
    finally:
        output = stop(process)
    assert "Traceback" not in output, output


def test_uvicorn_workers_export_starlette_requests(receiver: Receiver) -> None:
    port = free_port()
    args = [str(BIN / "otel"), "run", "--", str(BIN / "uvicorn"), "--workers", "2",
            "--port", str(port), "--log-level", "warning", "starlette_app:app"]  # fmt: skip
    process = popen(args, otel_env(receiver, OTEL_SERVICE_NAME="uvicorn-app"))
    try:
        wait_listening(port, process, timeout=45)
        pids = _pids_serving(port, wanted=2)
        assert pids
        _assert_each_worker_is_its_own_instance(receiver, pids)
    finally:
        output = stop(process)
    assert "Traceback" not in output, output


def _import_time_spans(receiver: Receiver) -> list[tuple[dict[str, Any], Any]]:
    return [
        (resource, span)
        for resource, span in spans_of(receiver)
        if attributes(span).get("db.query.text") == "SELECT 'imported'"
    ]


def _assert_only_the_serving_child_exports(receiver: Receiver, port: int) -> None:
    # The watcher's spans wait in its batch queue (schedule delay 1.5 s here, 5 s by
    # default) and are discarded when it starts watching.
    pid = get(port)
    assert wait_for(lambda: pid in _query_spans(receiver), timeout=20)
    (instance,) = _query_spans(receiver)[pid]
    # The watcher imported the app too; its import-time span must not be exported.
    assert wait_for(lambda: _import_time_spans(receiver), timeout=10)
    imported = _import_time_spans(receiver)
    assert [resource["service.instance.id"] for resource, _ in imported] == [instance]


def test_flask_debug_reloader_child_is_instrumented_once(receiver: Receiver) -> None:
    port = free_port()
    args = [str(BIN / "otel"), "run", "--", sys.executable, "flask_app.py", str(port)]
    process = popen(args, otel_env(receiver, OTEL_BSP_SCHEDULE_DELAY="1500"))
    try:
        wait_listening(port, process)
        _assert_only_the_serving_child_exports(receiver, port)
    finally:
        output = stop(process)
    assert "Traceback" not in output, output


def test_flask_run_with_reloader(receiver: Receiver) -> None:
    port = free_port()
    args = [str(BIN / "otel"), "run", "--", str(BIN / "flask"), "--app", "flask_app", "run",
            "--debug", "--port", str(port)]  # fmt: skip
    process = popen(args, otel_env(receiver, OTEL_BSP_SCHEDULE_DELAY="1500"))
    try:
        wait_listening(port, process)
        _assert_only_the_serving_child_exports(receiver, port)
    finally:
        output = stop(process)
    assert "Traceback" not in output, output
