"""``SQLiteProcessStore``: the SQLite store with its writer in a child process (what
``otel view`` runs). Requests are answered once the child committed them, the parent reads
what the child wrote, and a child that dies costs only the requests in flight."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from test_store_writer import _spans, assert_stored_as_the_memory_store_keeps_them

from otel.exporter.otlp._proto._model import LogRecord, Metric, MetricPoint, Resource, Scope
from otel.viewer._store._interface import Retention, StoreError
from otel.viewer._store._rows import PreparedSpans, prepare_spans
from otel.viewer._store._sqlite import SQLiteStore
from otel.viewer._store._sqlite_process import (
    SQLiteProcessStore,
    decode_request,
    encode_request,
)

BASE = time.time_ns() - 600 * 1_000_000_000


def _child_pid(store: SQLiteProcessStore) -> int:
    child = store._child  # the test's view of which process to disturb
    assert child is not None
    return child.pid


def _log(body: str) -> LogRecord:
    record = LogRecord(Resource({"service.name": "worker"}), Scope("lib"))
    record.time_unix_nano = BASE
    record.body = body
    return record


def test_spans_committed_by_the_child_are_read_back_whole_by_the_parent(tmp_path: Path) -> None:
    store = SQLiteProcessStore(str(tmp_path / "v.sqlite3"))
    try:
        assert_stored_as_the_memory_store_keeps_them(store, _spans())
        assert store.services() == ["a", "b"]
    finally:
        store.close()


def test_a_request_body_carries_spans_metrics_and_logs_unchanged() -> None:
    prepared = prepare_spans(_spans())
    metric = Metric(Resource({"service.name": "batch"}), Scope())
    metric.name = "jobs"
    point = MetricPoint()
    point.time_unix_nano = BASE
    point.value = 3
    metric.points = [point]
    back, metrics, logs = decode_request(encode_request(prepared, [metric], [_log("hi")]))
    assert isinstance(back, PreparedSpans)
    assert back.groups == prepared.groups and back.count == prepared.count
    assert {k: v.fields() for k, v in back.traces.items()} == {
        k: v.fields() for k, v in prepared.traces.items()
    }
    assert [m.name for m in metrics] == ["jobs"] and metrics[0].points[0].value == 3
    assert [r.body for r in logs] == ["hi"]


def test_listeners_hear_of_the_traces_each_commit_changed(tmp_path: Path) -> None:
    store = SQLiteProcessStore(str(tmp_path / "v.sqlite3"))
    heard: list[set[bytes]] = []
    done = threading.Event()

    def listener(changed: set[bytes]) -> None:
        heard.append(changed)
        done.set()

    store.add_listener(listener)
    try:
        spans = _spans()[:10]
        store.ingest(spans=spans)
        assert done.wait(10)
        assert set().union(*heard) == {s.trace_id for s in spans}
    finally:
        store.close()


def test_close_returns_after_every_answered_request_is_on_disk(tmp_path: Path) -> None:
    path = str(tmp_path / "v.sqlite3")
    store = SQLiteProcessStore(path)
    spans = _spans()
    threads = [
        threading.Thread(target=store.ingest, kwargs={"spans": spans[i::4]}) for i in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.ingest(logs=[_log("last")])
    store.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM spans").fetchone() == (len(spans),)
        assert conn.execute("SELECT body FROM logs").fetchall() == [('"last"',)]
    finally:
        conn.close()


def test_a_dead_writer_fails_its_requests_and_the_next_one_starts_another(
    tmp_path: Path,
) -> None:
    store = SQLiteProcessStore(str(tmp_path / "v.sqlite3"))
    try:
        store.ingest(spans=_spans()[:5])
        first = _child_pid(store)
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while store._child is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        store.ingest(spans=_spans()[5:10])
        assert _child_pid(store) != first
        assert len(store.get_trace(_spans()[0].trace_id)) == 9
    finally:
        store.close()


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_the_writer_ignores_stop_signals_sent_to_the_whole_process_group(
    tmp_path: Path, signal_number: int
) -> None:
    store = SQLiteProcessStore(str(tmp_path / "v.sqlite3"))
    try:
        pid = _child_pid(store)
        os.kill(pid, signal_number)
        time.sleep(0.2)
        store.ingest(spans=_spans()[:5])
        assert _child_pid(store) == pid
    finally:
        store.close()


def test_a_file_of_another_schema_version_is_refused_at_open_with_the_reason(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE spans (id INTEGER PRIMARY KEY)")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="another version of otel view"):
        SQLiteProcessStore(str(path))


def test_retention_runs_in_the_writer_with_the_parents_settings(tmp_path: Path) -> None:
    path = str(tmp_path / "v.sqlite3")
    old = SQLiteStore(path)  # spans from long ago, written before the child starts
    old.ingest(spans=_spans()[:20])
    old.close()
    store = SQLiteProcessStore(path, Retention(max_age_seconds=60, max_bytes=1 << 30))
    try:
        deadline = time.monotonic() + 30
        while store.get_trace(_spans()[0].trace_id) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert store.get_trace(_spans()[0].trace_id) == []
    finally:
        store.close()


def test_more_requests_in_flight_than_the_bound_are_answered_busy_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from otel.viewer._store import _sqlite_process
    from otel.viewer._store._interface import StoreBusy

    store = SQLiteProcessStore(str(tmp_path / "v.sqlite3"))
    try:
        monkeypatch.setattr(_sqlite_process, "_MAX_IN_FLIGHT", 0)
        with pytest.raises(StoreBusy):
            store.ingest(spans=_spans()[:5])
        monkeypatch.undo()
        store.ingest(spans=_spans()[:5])
        assert len(store.get_trace(_spans()[0].trace_id)) == 5
    finally:
        store.close()
