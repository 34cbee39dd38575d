"""Durability and retention of the SQLite store."""

from __future__ import annotations

import http.client
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from viewer_kit import read_until, stop
from viewer_protos import trace_request

from otel.testing import free_port
from otel.viewer._store._interface import Retention
from otel.viewer._store._schema import SCHEMA_VERSION
from otel.viewer._store._sqlite import SQLiteStore

pytestmark = pytest.mark.interop


def _spawn(db: Path, http_port: int, ui_port: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "otel",
            "view",
            "--db",
            str(db),
            "--ui-port",
            str(ui_port),
            "--otlp-http-port",
            str(http_port),
            "--otlp-grpc-port",
            "0",
            "--jaeger-udp-port",
            "0",
            "--zipkin-port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    read_until(proc, "UI")
    return proc


def test_every_acknowledged_span_survives_kill_9(tmp_path: Path) -> None:
    db = tmp_path / "view.sqlite3"
    http_port, ui_port = free_port(), free_port()
    proc = _spawn(db, http_port, ui_port)
    acknowledged: list[str] = []
    stop_sending = threading.Event()

    def sender() -> None:
        n = 0
        while not stop_sending.is_set():
            n += 1
            trace_id = n.to_bytes(16, "big")
            body = trace_request(trace_id=trace_id).SerializeToString()
            conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=5)
            try:
                conn.request("POST", "/v1/traces", body, {"Content-Type": "application/x-protobuf"})
                if conn.getresponse().status == 200:
                    acknowledged.append(trace_id.hex())
            except OSError:
                return
            finally:
                conn.close()

    thread = threading.Thread(target=sender)
    thread.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 30 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert proc.stdout is not None
    proc.stdout.close()
    stop_sending.set()
    thread.join(10)
    assert len(acknowledged) >= 30

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    store = SQLiteStore(str(db))
    try:
        stored = {
            s["trace_id"]: s["span_count"]
            for s in store.trace_summaries([bytes.fromhex(t) for t in acknowledged])
        }
    finally:
        store.close()
    assert all(stored.get(t) == 2 for t in acknowledged), [
        t for t in acknowledged if stored.get(t) != 2
    ]
    restarted = _spawn(db, free_port(), free_port())
    assert stop(restarted) == 0


def _old_and_new(store: SQLiteStore, old_ns: int) -> None:
    from otel.exporter.otlp._proto._decode_request import decode_trace_request

    old = decode_trace_request(
        trace_request(trace_id=b"\x01" * 16, start_ns=old_ns).SerializeToString()
    )
    new = decode_trace_request(trace_request(trace_id=b"\x02" * 16).SerializeToString())
    store.ingest(spans=old.items + new.items)


def test_retention_by_age_deletes_old_traces_and_keeps_new(tmp_path: Path) -> None:
    store = SQLiteStore(str(tmp_path / "v.db"), Retention(max_age_seconds=3600, max_bytes=1 << 40))
    try:
        _old_and_new(store, time.time_ns() - 2 * 3600 * 10**9)
        store.retain_now(store._connect())
        assert store.get_trace(b"\x01" * 16) == []
        assert len(store.get_trace(b"\x02" * 16)) == 2
        assert store.trace_summaries([b"\x01" * 16]) == []
    finally:
        store.close()


def test_retention_raises_a_blocks_start_past_the_spans_it_deleted(tmp_path: Path) -> None:
    store = SQLiteStore(str(tmp_path / "v.db"), Retention(max_age_seconds=3600, max_bytes=1 << 40))
    try:
        _old_and_new(store, time.time_ns() - 2 * 3600 * 10**9)  # one commit: one block
        conn = store._connect()
        store.retain_now(conn)
        (low, first, last), *more = conn.execute(
            "SELECT min_start, first_id, last_id FROM span_blocks"
        ).fetchall()
        kept = conn.execute(
            "SELECT min(start) FROM spans WHERE id BETWEEN ? AND ?", (first, last)
        ).fetchone()
        assert more == [] and (low,) == kept
        conn.close()
    finally:
        store.close()


def test_retention_by_size_deletes_the_oldest_first(tmp_path: Path) -> None:
    store = SQLiteStore(str(tmp_path / "v.db"), Retention(max_age_seconds=1e9, max_bytes=1))
    try:
        _old_and_new(store, time.time_ns() - 3600 * 10**9)
        store.retain_now(store._connect(), max_chunks=1)
        assert store.get_trace(b"\x01" * 16) == []
    finally:
        store.close()


def test_retention_by_size_also_trims_a_store_of_logs_only(tmp_path: Path) -> None:
    from viewer_protos import logs_request

    from otel.exporter.otlp._proto._decode_request import decode_logs_request

    store = SQLiteStore(str(tmp_path / "v.db"), Retention(max_age_seconds=1e9, max_bytes=1))
    try:
        old = decode_logs_request(
            logs_request(time_ns=time.time_ns() - 3600 * 10**9).SerializeToString()
        )
        store.ingest(logs=old.items)
        store.retain_now(store._connect(), max_chunks=1)
        from otel.viewer._store._interface import LogQuery

        assert store.find_logs(LogQuery()) == []
    finally:
        store.close()


def test_search_blocks_of_deleted_spans_are_purged(tmp_path: Path) -> None:
    from otel.viewer._store._schema import BLOCK_SPANS

    store = SQLiteStore(str(tmp_path / "v.db"), Retention(max_age_seconds=3600, max_bytes=1 << 40))
    try:
        from otel.exporter.otlp._proto._decode_request import decode_trace_request

        # enough old spans to fill whole blocks of ids before the new ones
        old = decode_trace_request(
            trace_request(
                trace_id=b"\x01" * 16, start_ns=time.time_ns() - 2 * 3600 * 10**9
            ).SerializeToString()
        ).items
        store.ingest(spans=old * BLOCK_SPANS)
        _old_and_new(store, time.time_ns() - 2 * 3600 * 10**9)
        conn = store._connect()
        store.retain_now(conn)  # (the writer may have done it already)
        live = conn.execute("SELECT min(id) FROM spans").fetchone()[0]
        assert conn.execute(
            "SELECT count(*) FROM span_blocks WHERE last_id < ?", (live,)
        ).fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM span_blocks").fetchone()[0] >= 1
    finally:
        store.close()


def _database(path: Path, *statements: str) -> Path:
    """A SQLite file at ``path`` made by ``statements`` (another version's, say)."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


def test_a_database_of_another_schema_version_is_refused_untouched(tmp_path: Path) -> None:
    from otel.viewer._store._interface import StoreError

    path = _database(
        tmp_path / "old.sqlite3", "CREATE TABLE spans (id INTEGER PRIMARY KEY, key TEXT)"
    )
    with pytest.raises(StoreError, match="another version"):
        SQLiteStore(str(path))
    conn = sqlite3.connect(path)
    assert [r[1] for r in conn.execute("PRAGMA table_info(spans)")] == ["id", "key"]
    conn.close()


def test_a_schema_3_database_is_refused_saying_which_versions(tmp_path: Path) -> None:
    from otel.viewer._store._interface import StoreError

    path = _database(
        tmp_path / "v3.sqlite3",
        "CREATE TABLE spans (id INTEGER PRIMARY KEY, trace_id BLOB)",
        "CREATE INDEX spans_trace_span ON spans (trace_id)",
        "PRAGMA user_version = 3",
    )
    with pytest.raises(StoreError, match=f"schema 3, this one reads {SCHEMA_VERSION}"):
        SQLiteStore(str(path))
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (3,)
    assert conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'span_blocks'"
    ).fetchone() == (0,)
    conn.close()


def test_a_schema_4_database_is_upgraded_in_place_keeping_its_spans(tmp_path: Path) -> None:
    from otel.exporter.otlp._proto._decode_request import decode_trace_request

    path = str(tmp_path / "v4.sqlite3")
    store = SQLiteStore(path)
    store.ingest(spans=decode_trace_request(trace_request().SerializeToString()).items)
    store.close()
    conn = sqlite3.connect(path)  # what version 4 had on top of version 5's tables
    conn.execute("CREATE INDEX spans_start ON spans (start)")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    store = SQLiteStore(path)
    try:
        assert len(store.get_trace(bytes(range(1, 17)))) == 2
    finally:
        store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    indexes = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
    assert ("spans_start",) not in indexes
    conn.close()


def test_reopening_a_database_keeps_its_data(tmp_path: Path) -> None:
    from otel.exporter.otlp._proto._decode_request import decode_trace_request

    path = str(tmp_path / "v.sqlite3")
    store = SQLiteStore(path)
    store.ingest(spans=decode_trace_request(trace_request().SerializeToString()).items)
    store.close()
    store = SQLiteStore(path)
    try:
        assert len(store.get_trace(bytes(range(1, 17)))) == 2
    finally:
        store.close()


def test_span_ids_keep_growing_after_retention_deleted_every_span(tmp_path: Path) -> None:
    from otel.exporter.otlp._proto._decode_request import decode_trace_request

    store = SQLiteStore(str(tmp_path / "v.db"), Retention(max_age_seconds=3600, max_bytes=1 << 40))
    try:
        old = decode_trace_request(
            trace_request(start_ns=time.time_ns() - 2 * 3600 * 10**9).SerializeToString()
        )
        store.ingest(spans=old.items)
        conn = store._connect()
        store.retain_now(conn)  # (the writer may have done it already)
        assert conn.execute("SELECT count(*) FROM spans").fetchone() == (0,)
        store.ingest(spans=decode_trace_request(trace_request().SerializeToString()).items)
        assert conn.execute("SELECT min(id) FROM spans").fetchone() == (3,)
    finally:
        store.close()
