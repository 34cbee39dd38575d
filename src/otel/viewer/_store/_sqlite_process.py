"""The SQLite store with its writer in a child process: the default of ``otel view``.

In one process the writer thread and the receiving threads share the GIL: every SQLite call
releases it, and taking it back behind receivers that decode requests left the writer
waiting about as long as it worked. Here the child (``_sqlite_child``) runs a
``SQLiteStore`` whose writer has a GIL of its own; this process decodes, sends each
request's rows to it over a pipe and reads the database on its own connections (WAL: a
reader never waits for the writer). ``ingest`` returns once the child has committed.

Pipe protocol, both ways a header and a body. To the child: ``REQUEST`` (key, body length)
and the ``encode_request`` body. From the child: ``REPLY`` (kind,
key, body length) with kinds ``COMMITTED``, ``BUSY`` and ``FAILED`` (body: the reason, UTF-8)
for a request, ``CHANGED`` (body: the committed trace ids, 16 bytes each), and ``READY`` or
``REFUSED`` (body: the reason) once at start.
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
import pickle
import queue
import sqlite3
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from otel.exporter.otlp._proto._model import LogRecord, Metric
from otel.viewer._store._interface import Retention, StoreBusy, StoreError, TraceListener
from otel.viewer._store._rows import PreparedSpans
from otel.viewer._store._sqlite import SQLiteStoreBase, connect
from otel.viewer._store._sqlite_blocks import BlockCache

_log = logging.getLogger("otel.viewer")

REQUEST = struct.Struct("<QI")
REPLY = struct.Struct("<BQI")
COMMITTED, BUSY, FAILED, CHANGED, READY, REFUSED = range(6)
#: requests in flight (sent, not answered) beyond which ``ingest`` answers busy at once
_MAX_IN_FLIGHT = 256
_START_TIMEOUT_S = 60.0
_PIPE_BYTES = 1 << 20


def encode_request(
    prepared: PreparedSpans | None, metrics: Sequence[Metric], logs: Sequence[LogRecord]
) -> bytes:
    """A request's body: ``marshal`` of the spans' ``to_wire`` form and of the metrics' and
    logs' pickle (model objects; rarely large). Only a child of this same interpreter reads
    it (``decode_request``)."""
    others = (
        pickle.dumps((list(metrics), list(logs)), pickle.HIGHEST_PROTOCOL)
        if metrics or logs
        else b""
    )
    return marshal.dumps((None if prepared is None else prepared.to_wire(), others))


def decode_request(
    body: bytes,
) -> tuple[PreparedSpans | None, Sequence[Metric], Sequence[LogRecord]]:
    wire, others = marshal.loads(body)
    metrics, logs = pickle.loads(others) if others else ((), ())
    return (None if wire is None else PreparedSpans.from_wire(wire)), metrics, logs


def _widen(pipe: IO[bytes]) -> None:
    """Room in ``pipe`` for a few requests, so that a receiver's write returns without
    waiting for the child to read (Linux; best effort: the default 64 KiB works too)."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


class _Pending:
    __slots__ = ("error", "event", "kind")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.kind = COMMITTED
        self.error = ""


def read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    """``size`` bytes from ``stream``, or None at its end (or a short read: the peer died)."""
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


class SQLiteProcessStore(SQLiteStoreBase):
    """``SQLiteStore``'s data and queries, its writer in a child process started here.

    Thread-safe. ``ingest`` blocks until the child committed (or ``timeout_millis``), raises
    ``StoreBusy`` when the child is behind and ``StoreError`` when it failed or is gone (it
    is started again by the next ``ingest``). Opening raises ``StoreError`` when the child
    refuses the file (another schema version). ``close`` is bounded by its timeout: the
    child commits what it was sent and exits; one that does not in time is killed."""

    def __init__(self, path: str, retention: Retention | None = None) -> None:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self._path = path
        self._retention = retention or Retention()
        self._closed = False
        self._readers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._block_cache = BlockCache()
        self._listeners: list[TraceListener] = []
        self._send_lock = threading.Lock()
        self._pending: dict[int, _Pending] = {}
        self._next_key = 0
        self._child: subprocess.Popen[bytes] | None = None
        self._start_child()

    def _connect(self) -> sqlite3.Connection:
        return connect(self._path)

    # ------------------------------------------------------------------ the child

    def _start_child(self) -> None:
        """Start the writer process and wait for it to open the store (``_send_lock``
        held, or during ``__init__``)."""
        env = dict(os.environ)  # the child imports this otel, installed or not
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(Path(__file__).resolve().parents[3]), env.get("PYTHONPATH")) if p
        )
        child = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "otel.viewer._store._sqlite_child",
                self._path,
                repr(self._retention.max_age_seconds),
                str(self._retention.max_bytes),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert child.stdin is not None and child.stdout is not None
        _widen(child.stdin)
        _widen(child.stdout)
        head = read_exactly(child.stdout, REPLY.size)
        kind, _, size = REPLY.unpack(head) if head is not None else (REFUSED, 0, 0)
        body = read_exactly(child.stdout, size) if size else b""
        if kind != READY:
            child.stdin.close()
            child.stdout.close()
            child.wait(_START_TIMEOUT_S)
            reason = (body or b"").decode("utf-8", "replace")
            raise StoreError(reason or f"the store's writer exited at start ({child.returncode})")
        self._child = child
        self._replies = threading.Thread(
            target=self._read_replies, args=(child,), name="otel-view-writer-replies", daemon=True
        )
        self._replies.start()

    def _read_replies(self, child: subprocess.Popen[bytes]) -> None:
        """Complete requests as the child answers; at its end fail those still pending."""
        stream = child.stdout
        assert stream is not None
        with stream:
            while True:
                head = read_exactly(stream, REPLY.size)
                if head is None:
                    break
                kind, key, size = REPLY.unpack(head)
                body = read_exactly(stream, size) if size else b""
                if body is None:
                    break
                if kind == CHANGED:
                    self._notify({body[i : i + 16] for i in range(0, len(body), 16)})
                    continue
                pending = self._pending.pop(key, None)
                if pending is not None:
                    pending.kind = kind
                    pending.error = body.decode("utf-8", "replace")
                    pending.event.set()
        with self._send_lock:
            if self._child is child:
                self._child = None
            orphans = list(self._pending.values())
            self._pending.clear()
            if not self._closed:  # else close() closes it: the child's signal to stop
                with contextlib.suppress(OSError):
                    child.stdin.close()  # type: ignore[union-attr]
        if not self._closed:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(_START_TIMEOUT_S)
            _log.warning("otel view: the store's writer process exited (%s)", child.poll())
        for pending in orphans:
            pending.kind = FAILED
            pending.error = "the store's writer process exited"
            pending.event.set()

    # ------------------------------------------------------------------ writing

    def _commit_request(
        self,
        prepared: PreparedSpans | None,
        metrics: Sequence[Metric],
        logs: Sequence[LogRecord],
        timeout_millis: float,
    ) -> None:
        body = encode_request(prepared, metrics, logs)
        pending = _Pending()
        with self._send_lock:
            if len(self._pending) >= _MAX_IN_FLIGHT:
                raise StoreBusy("the store is behind, retry later")
            if self._child is None:
                if self._closed:
                    raise StoreError("the store is closed")
                self._start_child()
            child = self._child
            assert child is not None and child.stdin is not None
            self._next_key += 1
            key = self._next_key
            self._pending[key] = pending
            try:
                child.stdin.write(REQUEST.pack(key, len(body)))
                child.stdin.write(body)
                child.stdin.flush()
            except (OSError, ValueError) as exc:
                self._pending.pop(key, None)
                raise StoreError(f"the store's writer process is gone: {exc}") from None
        if not pending.event.wait(timeout_millis / 1000):
            self._pending.pop(key, None)
            raise StoreBusy("the store did not commit in time, retry later")
        if pending.kind == BUSY:
            raise StoreBusy(pending.error)
        if pending.kind != COMMITTED:
            raise StoreError(f"commit failed: {pending.error}")

    # ------------------------------------------------------------------ lifecycle

    def close(self, timeout_millis: float = 10_000) -> None:
        if self._closed:
            return
        self._closed = True
        deadline = time.monotonic() + timeout_millis / 1000
        with self._send_lock:
            child = self._child
        if child is not None:
            try:
                assert child.stdin is not None
                child.stdin.close()  # the child commits what it has and exits
            except OSError:
                pass
            try:
                child.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _log.warning("otel view: the store's writer did not stop in time; killed")
                child.kill()
                child.wait()
            self._replies.join(max(0.1, deadline - time.monotonic()))
        self._close_readers()
