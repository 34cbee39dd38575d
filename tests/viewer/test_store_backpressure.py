"""The SQLite store's bounded queue: when the writer is behind, ingest fails fast with
StoreBusy (the receivers answer 503 + Retry-After) instead of queueing without bound."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from viewer_protos import trace_request

from otel.exporter.otlp._proto._decode_request import decode_trace_request
from otel.viewer._store import _sqlite
from otel.viewer._store._interface import StoreBusy


def test_full_writer_queue_raises_store_busy_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_sqlite, "_MAX_QUEUED_REQUESTS", 2)
    store = _sqlite.SQLiteStore(str(tmp_path / "v.db"))
    release = threading.Event()
    entered = threading.Event()
    original = store._commit

    def slow_commit(conn, batch):  # type: ignore[no-untyped-def]
        entered.set()
        release.wait(10)
        original(conn, batch)

    monkeypatch.setattr(store, "_commit", slow_commit)
    spans = decode_trace_request(trace_request().SerializeToString()).items
    waiting = [threading.Thread(target=store.ingest, kwargs={"spans": spans}) for _ in range(3)]
    waiting[0].start()  # the writer takes it and blocks in its commit
    assert entered.wait(10)
    for t in waiting[1:]:  # these two fill the queue
        t.start()
    try:
        from _support.wait import wait_until

        assert wait_until(lambda: store._queue.full(), 5)
        with pytest.raises(StoreBusy):
            store.ingest(spans=spans)
    finally:
        release.set()
        for t in waiting:
            t.join(10)
    try:
        assert len(store.get_trace(spans[0].trace_id)) == 2 * 3  # the accepted ones all landed
    finally:
        store.close()
