"""SQLite store: WAL, one writer thread committing in batches, readers on their own connections.

Receivers call ``ingest`` from their own threads: spans are turned into rows there
(``prepare_spans``, unless the receiver built ``PreparedSpans`` itself), the telemetry is
queued (bounded; a full queue raises ``StoreBusy`` at once) and the caller waits until the
writer thread has committed the batch holding it. The writer numbers the rows, hands them
to SQLite (which releases the GIL while it works), records their blocks (``span_blocks``,
the traces' block lists: ``_sqlite_blocks``) and counts their service edges, all appended
in id order except one ``traces`` row per trace. Queries run on a small pool of
read connections and never wait for the writer (WAL). Retention runs on the writer thread
in small chunks between batches, so deleting old data never stalls ingest for long. WAL
checkpoints run on a thread of their own (SQLite releases the GIL while copying pages), so a
commit only appends to the WAL and the copying into the database file uses the other core.
"""

from __future__ import annotations

import logging
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from otel.exporter.otlp._proto._model import LogRecord, Metric, Span
from otel.viewer._store._common import TraceAccumulator, dumps, resource_key, scope_key
from otel.viewer._store._dependencies import EdgeCounter
from otel.viewer._store._interface import (
    Retention,
    StoreBusy,
    StoreError,
    TraceListener,
)
from otel.viewer._store._rows import SPAN_COLUMNS, PreparedSpans, SpanRow, prepare_spans
from otel.viewer._store._schema import (
    BLOCK_SPANS,
    SCHEMA,
    SCHEMA_VERSION,
    UPGRADABLE_VERSIONS,
    attr_hash,
)
from otel.viewer._store._sqlite_blocks import BlockCache, merge_blocks, write_blocks
from otel.viewer._store._sqlite_query import SQLiteReader

_log = logging.getLogger("otel.viewer")

_MAX_QUEUED_REQUESTS = 256
_MAX_BATCH_ROWS = 20_000
_RETENTION_INTERVAL_S = 10.0
_RETENTION_CHUNK = 5_000
#: the checkpointer copies the WAL into the database at most this often...
_CHECKPOINT_INTERVAL_S = 0.5
#: ...and the writer checkpoints itself when the WAL passes this many pages (checkpointer
#: starved by long readers or a busy machine, or commits landing during every checkpoint so
#: the WAL never restarts: the WAL stays under ~40 MB)
_WAL_LIMIT_PAGES = 10_000


class _Waiter:
    """One queued request's completion: ``event`` is set once its batch is committed (or
    failed: ``error``), then ``callback`` (if any) is called with it on the writer thread."""

    __slots__ = ("callback", "error", "event")

    def __init__(self, callback: Callable[[_Waiter], None] | None = None) -> None:
        self.event = threading.Event()
        self.error: BaseException | None = None
        self.callback = callback

    def done(self, error: BaseException | None = None) -> None:
        self.error = error
        self.event.set()
        if self.callback is not None:
            try:
                self.callback(self)
            except Exception:
                _log.exception("otel view: commit callback failed")


_Item = tuple[PreparedSpans | None, Sequence[Metric], Sequence[LogRecord], _Waiter]
#: rows are inserted up to this many per statement: each statement step releases and takes
#: back the GIL (a wait of up to the switch interval while a receiver decodes), so fewer
#: steps keep the writer moving
_ROWS_PER_INSERT = 64
_INSERT_SPANS = f"INSERT INTO spans ({SPAN_COLUMNS}) VALUES "
#: ``sqlite3`` binds int, float, str and bytearray as they are, but runs every other value
#: (bytes, None) through its adapter look-ups first (~0.8 us each, most of binding a span):
#: the writer binds ids as bytearray, a root's missing parent as an empty one (stored NULL)
_ROOT_PARENT: dict[Any, bytes] = {None: b""}
#: ``_INSERT_SPANS`` placeholders of ``n`` rows, by (``n``, bodies bound)
_span_values: dict[tuple[int, bool], str] = {}
#: the ``SpanRow`` fields bound once per row (the service is the group's, bound once per
#: statement), in ``SPAN_COLUMNS`` order; the last, the body, only when some row has one
_ROW_FIELDS = (0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11)


def _span_placeholders(n: int, bodies: bool = True) -> str:
    """The VALUES of ``n`` rows of one ``SpanGroup`` whose parameters are: the first row's
    id, the resource id, the scope id, the service, then each ``_ROW_FIELDS`` column of
    the ``n`` rows (``_insert_spans``; without the bodies when ``bodies`` is false: all
    are "", the usual case). Per row, only those 10 or 11 values are bound."""
    found = _span_values.get((n, bodies))
    if found is None:
        values = []
        for k in range(n):
            column = [f"?{5 + c * n + k}" for c in range(len(_ROW_FIELDS))]
            column[2] = f"nullif({column[2]},x'')"  # the parent id: b"" for a root
            if not bodies:
                column[-1] = "''"
            values.append(f"(?1+{k},?2,?3,{','.join(column[:3])},?4,{','.join(column[3:])})")
        found = _span_values[(n, bodies)] = ",".join(values)
    return found


#: a ``SpanGroup``'s rows as columns (``SpanRow`` order) and the columns ``_insert_spans``
#: binds (``_ROW_FIELDS``)
GroupColumns = tuple[tuple[Sequence[Any], ...], list[Sequence[Any]]]


def group_columns(rows: Sequence[SpanRow]) -> GroupColumns:
    """``rows`` as columns, and as bound (ids as ``bytearray``): built by C loops (zip,
    map). Pure; ``submit`` runs it on the caller's thread, off the writer's."""
    columns = tuple(zip(*rows, strict=True))
    trace_ids, span_ids, parents = columns[:3]
    bound: list[Sequence[Any]] = [
        list(map(bytearray, trace_ids)),
        list(map(bytearray, span_ids)),
        list(map(bytearray, map(_ROOT_PARENT.get, parents, parents))),  # type: ignore[arg-type]
        *columns[4:],
    ]
    return columns, bound


def _insert_spans(
    conn: sqlite3.Connection, first_id: int, head: tuple[int, int, str], group: GroupColumns
) -> None:
    """Insert a group's rows (``group_columns``; ids from ``first_id``; ``head``: resource
    id, scope id, service, stored for every row: a group's rows carry its service) with
    ``_span_placeholders`` statements, ``_ROWS_PER_INSERT`` rows each, in id order. The
    parameters are list slices: no Python code runs per span."""
    columns, bound = group
    bodies = columns[11]
    count = len(bodies)
    pending: list[list[object]] = []  # full statements of one kind, not executed yet
    pending_bodies = False
    for lo in range(0, count, _ROWS_PER_INSERT):
        hi = lo + _ROWS_PER_INSERT
        params: list[object] = [first_id + lo, *head]
        with_bodies = any(bodies[lo:hi])
        for column in bound if with_bodies else bound[:-1]:
            params += column[lo:hi]
        if pending and (with_bodies != pending_bodies or hi > count):
            full = _span_placeholders(_ROWS_PER_INSERT, pending_bodies)
            conn.executemany(_INSERT_SPANS + full, pending)
            pending = []
        if hi > count:
            conn.execute(_INSERT_SPANS + _span_placeholders(count - lo, with_bodies), params)
        else:
            pending.append(params)
            pending_bodies = with_bodies
    if pending:
        full = _span_placeholders(_ROWS_PER_INSERT, pending_bodies)
        conn.executemany(_INSERT_SPANS + full, pending)


def _insert_rows(conn: sqlite3.Connection, sql: str, width: int, values: list[object]) -> None:
    """``sql`` ("INSERT ... VALUES ") with ``values``, ``width`` per row one after the other,
    ``_ROWS_PER_INSERT`` rows per statement."""
    one = "(" + ",".join("?" * width) + ")"
    per = width * _ROWS_PER_INSERT
    whole = len(values) // per * per
    if whole:
        many = sql + ",".join([one] * _ROWS_PER_INSERT)
        conn.executemany(many, [values[i : i + per] for i in range(0, whole, per)])
    if whole < len(values):
        rest = (len(values) - whole) // width
        conn.execute(sql + ",".join([one] * rest), values[whole:])


def connect(path: str) -> sqlite3.Connection:
    """A connection to the store file ``path`` in WAL mode (any thread may use it; one at a
    time)."""
    # the writer's statements: ~25, plus a 64-row INSERT of spans with and without bodies
    # and one per shorter length a group's last rows came in (_span_placeholders)
    conn = sqlite3.connect(
        path, check_same_thread=False, isolation_level=None, cached_statements=512
    )
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=10000")
    conn.execute("PRAGMA cache_size=-65536")
    # statement journals and sorter spills in memory: on disk each commit opened, wrote and
    # closed a temporary file
    conn.execute("PRAGMA temp_store=MEMORY")
    return conn


class SQLiteStoreBase(SQLiteReader):
    """What both SQLite stores share: ``ingest``'s checks and row building around the
    subclass's ``_commit_request``, and the trace listeners (``_listeners``, ``_closed``
    set by the subclass)."""

    _listeners: list[TraceListener]

    def ingest(
        self,
        spans: Sequence[Span] | PreparedSpans = (),
        metrics: Sequence[Metric] = (),
        logs: Sequence[LogRecord] = (),
        timeout_millis: float = 30_000,
    ) -> None:
        if self._closed:
            raise StoreError("the store is closed")
        if not spans and not metrics and not logs:
            return
        prepared = None
        if spans:
            prepared = spans if isinstance(spans, PreparedSpans) else prepare_spans(spans)
        self._commit_request(prepared, metrics, logs, timeout_millis)

    def _commit_request(
        self,
        prepared: PreparedSpans | None,
        metrics: Sequence[Metric],
        logs: Sequence[LogRecord],
        timeout_millis: float,
    ) -> None:
        """Commit one request's telemetry, waiting at most ``timeout_millis``."""
        raise NotImplementedError

    def add_listener(self, listener: TraceListener) -> None:
        self._listeners.append(listener)

    def _notify(self, changed: set[bytes]) -> None:
        for listener in list(self._listeners):
            try:
                listener(changed)
            except Exception:
                _log.exception("otel view: trace listener failed")


class SQLiteStore(SQLiteStoreBase):
    """The default store. ``path`` is a file (created with its directory) or ``":memory:"``
    is refused (use ``MemoryStore``). Thread-safe; ``close`` is bounded by its timeout."""

    def __init__(self, path: str, retention: Retention | None = None) -> None:
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        self._path = path
        self._retention = retention or Retention()
        self._queue: queue.Queue[_Item | None] = queue.Queue(_MAX_QUEUED_REQUESTS)
        self._listeners: list[TraceListener] = []
        self._closed = False
        self._writer_conn = self._connect()
        try:
            self._create_schema(self._writer_conn)
            # commits never checkpoint: the checkpointer thread does (see _checkpoints)
            self._writer_conn.execute(f"PRAGMA wal_autocheckpoint = {_WAL_LIMIT_PAGES}")
            self._checkpoint_conn = self._connect()
        except BaseException:
            self._writer_conn.close()
            raise
        self._committed = threading.Event()
        self._stopping = threading.Event()
        self._resource_ids: dict[str, int] = {}
        self._scope_ids: dict[str, int] = {}
        self._key_hashes: dict[tuple[str, str], int] = {}
        self._block_cache = BlockCache()
        self._readers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._reader_count = 0
        self._reader_lock = threading.Lock()
        self._last_retention = 0.0
        self._edges = EdgeCounter()
        self._thread = threading.Thread(target=self._run, name="otel-view-writer", daemon=True)
        self._thread.start()
        self._checkpointer = threading.Thread(
            target=self._checkpoints, name="otel-view-checkpoint", daemon=True
        )
        self._checkpointer.start()

    def _checkpoints(self) -> None:
        """Copy committed WAL pages into the database file after commits, at most every
        ``_CHECKPOINT_INTERVAL_S`` (PASSIVE: never waits for, nor blocks, the writer or the
        readers). Durability does not depend on it: a commit is in the WAL already."""
        conn = self._checkpoint_conn
        try:
            while True:
                self._committed.wait()  # set after each commit, and by close
                if self._stopping.is_set():
                    break
                self._committed.clear()
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as exc:
                    _log.warning("otel view: WAL checkpoint failed: %s", exc)
                if self._stopping.wait(_CHECKPOINT_INTERVAL_S):
                    break
        finally:
            conn.close()

    def _create_schema(self, conn: sqlite3.Connection) -> None:
        """Create the tables, or check that an existing file has this version's schema (an
        older one raises ``StoreError`` saying so; nothing is changed in it)."""
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_tables = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'spans'"
        ).fetchone()[0]
        if has_tables and version != SCHEMA_VERSION and version not in UPGRADABLE_VERSIONS:
            raise StoreError(
                f"{self._path} was written by another version of otel view (schema"
                f" {version}, this one reads {SCHEMA_VERSION}): move it away or pass another --db"
            )
        conn.executescript(SCHEMA)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _connect(self) -> sqlite3.Connection:
        return connect(self._path)

    # ------------------------------------------------------------------ writing

    def _commit_request(
        self,
        prepared: PreparedSpans | None,
        metrics: Sequence[Metric],
        logs: Sequence[LogRecord],
        timeout_millis: float,
    ) -> None:
        waiter = _Waiter()
        self.submit(prepared, metrics, logs, waiter)
        if not waiter.event.wait(timeout_millis / 1000):
            raise StoreBusy("the store did not commit in time, retry later")
        if waiter.error is not None:
            raise StoreError(f"commit failed: {waiter.error}")

    def submit(
        self,
        prepared: PreparedSpans | None,
        metrics: Sequence[Metric],
        logs: Sequence[LogRecord],
        waiter: _Waiter,
    ) -> None:
        """Queue telemetry for the writer without waiting: ``waiter`` completes once it is
        committed. Raises ``StoreBusy`` at once when the queue is full, ``StoreError`` when
        the store is closed. Never blocks."""
        if self._closed:
            raise StoreError("the store is closed")
        if prepared is not None and prepared.columns is None:
            prepared.columns = [group_columns(group.rows) for group in prepared.groups]
        try:
            self._queue.put_nowait((prepared, metrics, logs, waiter))
        except queue.Full:
            raise StoreBusy("the store is behind, retry later") from None

    def _run(self) -> None:
        conn = self._writer_conn
        while True:
            try:
                first = self._queue.get(timeout=1.0)
            except queue.Empty:
                self._edges.advance(conn)
                self._maybe_retain(conn)
                continue
            if first is None:
                break
            batch = [first]
            rows = len(first[0] or ()) + len(first[1]) + len(first[2])
            stop = False
            while rows < _MAX_BATCH_ROWS:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                    break
                batch.append(item)
                rows += len(item[0] or ()) + len(item[1]) + len(item[2])
            self._commit(conn, batch)
            self._edges.advance(conn)
            if stop:
                break
            self._maybe_retain(conn)
        conn.close()

    def _commit(self, conn: sqlite3.Connection, batch: list[_Item]) -> None:
        changed: set[bytes] = set()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                spans = [item[0] for item in batch if item[0] is not None]
                if spans:
                    self._write_spans(conn, spans, changed)
                for item in batch:
                    if item[1]:
                        self._write_metrics(conn, item[1])
                    if item[2]:
                        self._write_logs(conn, item[2])
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                self._resource_ids.clear()
                self._scope_ids.clear()
                raise
        except Exception as exc:
            _log.warning("otel view: commit failed: %s", exc)
            for item in batch:
                item[3].done(exc)
            return
        for item in batch:
            item[3].done()
        self._committed.set()
        if changed:
            self._notify(changed)

    def _id_of(self, conn: sqlite3.Connection, table: str, cache: dict[str, int], key: str) -> int:
        found = cache.get(key)
        if found is None:
            row = conn.execute(f"SELECT id FROM {table} WHERE body = ?", (key,)).fetchone()
            if row is None:
                cursor = conn.execute(f"INSERT INTO {table} (body) VALUES (?)", (key,))
                found = int(cursor.lastrowid or 0)
            else:
                found = int(row[0])
            if len(cache) > 10_000:
                cache.clear()
            cache[key] = found
        return found

    def _write_spans(
        self, conn: sqlite3.Connection, batch: list[PreparedSpans], changed: set[bytes]
    ) -> None:
        row = conn.execute(
            "SELECT max(coalesce((SELECT value FROM meta WHERE key = 'next_span_id'), 1),"
            " coalesce((SELECT max(id) FROM spans), 0) + 1)"
        ).fetchone()
        first_id = next_id = row[0]
        # the spans' columns (as ``_dependencies._PAIR_COLUMNS`` reads them), and names
        ids: list[int] = []
        trace_ids: list[bytes] = []
        span_ids: list[bytes] = []
        parents: list[bytes | None] = []
        services: list[str] = []
        names: list[str] = []
        starts: list[int] = []
        codes: list[int] = []
        span_hashes: list[tuple[int, ...]] = []  # per span id from first_id on
        groups: list[tuple[int, int, str]] = []  # (first id, end id, service)
        traces: dict[bytes, TraceAccumulator] = {}
        for prepared in batch:
            if prepared.columns is None:
                prepared.columns = [group_columns(group.rows) for group in prepared.groups]
            for group, group_cols in zip(prepared.groups, prepared.columns, strict=True):
                count = len(group.rows)
                if not count:
                    continue
                head = (
                    self._id_of(conn, "resources", self._resource_ids, group.resource_key),
                    self._id_of(conn, "scopes", self._scope_ids, group.scope_key),
                    group.service,
                )
                _insert_spans(conn, next_id, head, group_cols)
                columns = group_cols[0]
                ids += range(next_id, next_id + count)
                trace_ids += columns[0]
                span_ids += columns[1]
                parents += columns[2]
                services += columns[3]
                names += columns[4]
                starts += columns[6]
                codes += columns[9]
                span_hashes += group.hashes
                groups.append((next_id, next_id + count, group.service))
                next_id += count
            for trace_id, acc in prepared.traces.items():
                have = traces.get(trace_id)
                if have is None:
                    traces[trace_id] = acc
                else:
                    have.merge(acc)
        if not ids:
            return
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('next_span_id', ?)", (next_id,))
        # what the edge counter pairs (_dependencies._PAIR_COLUMNS)
        pair_columns = (ids, trace_ids, span_ids, parents, services, starts, codes)
        blocks = write_blocks(conn, first_id, trace_ids, names, span_hashes, groups, self._key_hash)
        older = self._update_traces(conn, traces, blocks)
        self._edges.count_commit(conn, pair_columns, older)
        changed.update(traces)

    def _key_hash(self, key: str, text: str) -> int:
        """``attr_hash(key, text)`` for the service and name pseudo attributes, memoised."""
        found = self._key_hashes.get((key, text))
        if found is None:
            if len(self._key_hashes) > 100_000:
                self._key_hashes.clear()
            found = self._key_hashes[(key, text)] = attr_hash(key, text)
        return found

    def _update_traces(
        self,
        conn: sqlite3.Connection,
        traces: dict[bytes, TraceAccumulator],
        blocks: dict[bytes, list[int]],
    ) -> dict[bytes, str]:
        """Upsert the summaries of ``traces``, with the new ``blocks`` of their spans;
        returns the stored blocks of those that had a summary."""
        ids = list(traces)
        texts: dict[bytes, str] = {}
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(
                "SELECT trace_id, root_service, root_name, services, span_count, error_count,"
                f" start, end, blocks FROM traces WHERE trace_id IN ({marks})",
                chunk,
            ):
                traces[row[0]].merge_row(row[1:8])
                texts[row[0]] = row[8]
        values: list[object] = []
        for trace_id, acc in traces.items():
            values.append(bytearray(trace_id))  # not adapted (_ROOT_PARENT)
            values.extend(acc.row())
            values.append(merge_blocks(texts.get(trace_id, ""), blocks[trace_id]))
        _insert_rows(conn, "INSERT OR REPLACE INTO traces VALUES ", 9, values)
        return texts

    def _write_logs(self, conn: sqlite3.Connection, logs: Sequence[LogRecord]) -> None:
        rows = []
        for rec in logs:
            rows.append(
                (
                    rec.time_unix_nano or rec.observed_time_unix_nano,
                    rec.observed_time_unix_nano,
                    rec.resource.service,
                    rec.severity_number,
                    rec.severity_text,
                    dumps(rec.body),
                    dumps(rec.attributes) if rec.attributes else "",
                    rec.trace_id or None,
                    rec.span_id or None,
                    rec.flags,
                    rec.event_name,
                    self._id_of(conn, "resources", self._resource_ids, resource_key(rec.resource)),
                    self._id_of(conn, "scopes", self._scope_ids, scope_key(rec.scope)),
                )
            )
        conn.executemany(
            "INSERT INTO logs (time, observed_time, service, severity_number, severity_text, body,"
            " attributes, trace_id, span_id, flags, event_name, resource_id, scope_id)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )

    def _write_metrics(self, conn: sqlite3.Connection, metrics: Sequence[Metric]) -> None:
        rows = []
        for metric in metrics:
            service = metric.resource.service
            conn.execute(
                "INSERT INTO metrics (name, service, type, unit, description, is_monotonic,"
                " temporality) VALUES (?,?,?,?,?,?,?) ON CONFLICT (name, service) DO UPDATE SET"
                " type=excluded.type, unit=excluded.unit, description=excluded.description,"
                " is_monotonic=excluded.is_monotonic, temporality=excluded.temporality",
                (
                    metric.name,
                    service,
                    metric.type,
                    metric.unit,
                    metric.description,
                    int(metric.is_monotonic),
                    metric.temporality,
                ),
            )
            metric_id = conn.execute(
                "SELECT id FROM metrics WHERE name = ? AND service = ?", (metric.name, service)
            ).fetchone()[0]
            for p in metric.points:
                rows.append(
                    (
                        metric_id,
                        p.time_unix_nano,
                        p.start_time_unix_nano,
                        dumps(p.attributes),
                        p.value,
                        dumps(p.data) if p.data is not None else None,
                        p.flags,
                    )
                )
        conn.executemany(
            "INSERT INTO metric_points (metric_id, time, start, attributes, value, data, flags)"
            " VALUES (?,?,?,?,?,?,?)",
            rows,
        )

    # ------------------------------------------------------------------ retention

    def _maybe_retain(self, conn: sqlite3.Connection) -> None:
        now = time.monotonic()
        if now - self._last_retention < _RETENTION_INTERVAL_S:
            return
        self._last_retention = now
        try:
            self.retain_now(conn)
        except sqlite3.Error as exc:
            _log.warning("otel view: retention failed: %s", exc)

    def retain_now(self, conn: sqlite3.Connection | None = None, max_chunks: int = 20) -> int:
        """Delete data older than the retention age, then the oldest data while the database
        is over its size; at most ``max_chunks`` chunks per call. Returns spans deleted.
        Called on the writer thread (or before it starts, in tests)."""
        conn = conn or self._writer_conn
        cutoff = time.time_ns() - int(self._retention.max_age_seconds * 1e9)
        deleted = 0
        for _ in range(max_chunks):
            n, total = self._delete_before(conn, cutoff)
            deleted += n
            if total < _RETENTION_CHUNK:
                break
        for _ in range(max_chunks):
            if self.size_bytes(conn) <= self._retention.max_bytes:
                break
            oldest = self._oldest_chunk_end(conn)
            if oldest is None:
                break
            n, total = self._delete_before(conn, oldest)
            deleted += n
            if total == 0:
                break
        self._purge_blocks(conn)
        self._edges.after_retention(conn)
        return deleted

    def _oldest_chunk_end(self, conn: sqlite3.Connection) -> int | None:
        """A time before which about one chunk of the oldest data lies (spans, logs or
        metric points, whichever is oldest), or None when the store is empty."""
        ends = []
        # the spans: those of the oldest blocks all started by the latest start among them
        row = conn.execute(
            "SELECT max(max_start) + 1 FROM (SELECT max_start FROM span_blocks"
            " ORDER BY first_id LIMIT ?)",
            (max(1, _RETENTION_CHUNK // BLOCK_SPANS),),
        ).fetchone()
        if row is not None and row[0] is not None:
            ends.append(int(row[0]))
        for table, column in (("logs", "time"), ("metric_points", "time")):
            row = conn.execute(
                f"SELECT {column} FROM {table} ORDER BY {column} LIMIT 1 OFFSET ?",
                (_RETENTION_CHUNK,),
            ).fetchone()
            if row is None:
                row = conn.execute(f"SELECT max({column}) + 1 FROM {table}").fetchone()
            if row is not None and row[0] is not None:
                ends.append(int(row[0]))
        return min(ends) if ends else None

    def _purge_blocks(self, conn: sqlite3.Connection) -> None:
        """Drop the ``span_blocks`` rows of ids below the oldest live span (a range at the
        start of the table: retention deletes the oldest spans first)."""
        conn.execute(
            "DELETE FROM span_blocks WHERE last_id < coalesce((SELECT min(id) FROM spans),"
            " (SELECT value FROM meta WHERE key = 'next_span_id'))"
        )

    def _delete_before(self, conn: sqlite3.Connection, cutoff: int) -> tuple[int, int]:
        """Delete one chunk of data older than ``cutoff``: (spans deleted, rows deleted)."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            spans = self._delete_spans_before(conn, cutoff)
            total = spans
            total += conn.execute("DELETE FROM traces WHERE end < ?", (cutoff,)).rowcount
            total += conn.execute(
                "DELETE FROM logs WHERE id IN (SELECT id FROM logs WHERE time < ? LIMIT ?)",
                (cutoff, _RETENTION_CHUNK),
            ).rowcount
            total += conn.execute(
                "DELETE FROM metric_points WHERE id IN"
                " (SELECT id FROM metric_points WHERE time < ? LIMIT ?)",
                (cutoff, _RETENTION_CHUNK),
            ).rowcount
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return spans, total

    def _delete_spans_before(self, conn: sqlite3.Connection, cutoff: int) -> int:
        """Delete about ``_RETENTION_CHUNK`` spans that started before ``cutoff``, oldest
        blocks first (the blocks' start ranges find them: ``spans.start`` has no index);
        a block's row then says where its remaining spans start, or goes with its last
        span. Returns the spans deleted."""
        deleted = 0
        blocks = conn.execute(
            "SELECT first_id, last_id FROM span_blocks WHERE min_start < ? ORDER BY first_id",
            (cutoff,),
        ).fetchall()
        for first_id, last_id in blocks:
            deleted += conn.execute(
                "DELETE FROM spans WHERE id BETWEEN ? AND ? AND start < ?",
                (first_id, last_id, cutoff),
            ).rowcount
            left = conn.execute(
                "SELECT min(start) FROM spans WHERE id BETWEEN ? AND ?", (first_id, last_id)
            ).fetchone()[0]
            if left is None:
                conn.execute("DELETE FROM span_blocks WHERE first_id = ?", (first_id,))
            else:
                conn.execute(
                    "UPDATE span_blocks SET min_start = ? WHERE first_id = ?", (left, first_id)
                )
            if deleted >= _RETENTION_CHUNK:
                break
        return deleted

    def size_bytes(self, conn: sqlite3.Connection | None = None) -> int:
        """Bytes in use by the database (free pages not counted)."""
        with self._reader() if conn is None else _same(conn) as c:
            page_size = c.execute("PRAGMA page_size").fetchone()[0]
            pages = c.execute("PRAGMA page_count").fetchone()[0]
            free = c.execute("PRAGMA freelist_count").fetchone()[0]
        return int((pages - free) * page_size)

    # ------------------------------------------------------------------ lifecycle

    def close(self, timeout_millis: float = 10_000) -> None:
        if self._closed:
            return
        self._closed = True
        deadline = time.monotonic() + timeout_millis / 1000
        while True:
            try:
                self._queue.put(None, timeout=max(0.01, deadline - time.monotonic()))
                break
            except queue.Full:
                if time.monotonic() >= deadline:
                    break
        self._thread.join(max(0.0, deadline - time.monotonic()))
        self._stopping.set()
        self._committed.set()
        self._checkpointer.join(max(0.0, deadline - time.monotonic()))
        self._close_readers()


@contextmanager
def _same(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    yield conn
