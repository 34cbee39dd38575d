"""Service dependency edges of the SQLite store, counted at ingest instead of at query time.

An edge is a (parent span, child span) pair of one trace whose services differ; it is
counted in time buckets of the child's start (1 s, 1 min and 1 h wide, one row per
bucket and service pair in ``service_edges``). The writer thread calls
``EdgeCounter.count_commit`` inside each commit's transaction with the spans it inserts
(and ``EdgeCounter.advance`` after it, which takes any spans left uncounted, by
``spans.id``, which only grows); each pair is counted exactly once, when the later of its
two spans arrives: a new child with any stored parent, or a new parent with an older
child (older spans are found through their traces' blocks, ``_sqlite_blocks``).
``service_edges_done`` records up to which span id the buckets are complete.

``query_edges`` answers a time window with the widest buckets that fit in it, the spans
after the last counted id (usually none), and the pairs of the spans of the sub-second
ends of the window: its cost no longer grows with the store.

Retention deletes old spans by start time; ``EdgeCounter.after_retention`` then deletes the
buckets below the oldest kept span and recounts the bucket of each width that straddles
it. A call whose parent span was deleted before its child stays counted.

Everything here runs on the connection given (no locks of its own): the writer's for
``EdgeCounter``, a reader's for ``query_edges``.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Hashable, Iterator, Sequence
from typing import Any, TypeVar

from otel.viewer._store._common import STATUS_ERROR
from otel.viewer._store._interface import Edge
from otel.viewer._store._sqlite_blocks import rows_in_blocks, trace_blocks, trace_rows

_log = logging.getLogger("otel.viewer")


_SECOND = 1_000_000_000
#: bucket widths in seconds, widest first; each a multiple of the next
WIDTHS_S = (3600, 60, 1)
#: beyond any stored start (SQLite integers are signed 64-bit), a multiple of every width
_END = ((1 << 63) - 1) // (3600 * _SECOND) * (3600 * _SECOND)
#: spans counted per ``advance`` step; a query whose uncounted tail is longer (an old
#: database being caught up) joins the whole window instead
STEP_SPANS = 50_000

#: the ``spans`` columns pairing reads: (id, trace_id, span_id, parent_span_id, service,
#: start, status_code)
_PAIR_COLUMNS = "id, trace_id, span_id, parent_span_id, service, start, status_code"

_K = TypeVar("_K", bound=Hashable)
#: (parent service, child service, child start // divisor) -> [calls, errors]
_Counts = dict[tuple[str, str, int], list[int]]


def _add(counts: dict[_K, list[int]], key: _K, calls: int, errors: int) -> None:
    found = counts.get(key)
    if found is None:
        counts[key] = [calls, errors]
    else:
        found[0] += calls
        found[1] += errors


def _count_pairs(
    conn: sqlite3.Connection,
    counts: _Counts,
    after_id: int,
    upto_id: int,
    start_from: int,
    start_to: int,
    divisor: int,
    new: Sequence[Sequence[Any]] | None = None,
    older: dict[bytes, str] | None = None,
) -> None:
    """Add to ``counts`` every edge pair whose later span has an id in (after_id, upto_id]
    and whose child starts in [start_from, start_to), keyed by the child's start // divisor.
    The writer passes those spans as ``new`` columns (``_PAIR_COLUMNS``, one sequence
    each, ids ascending) and as ``older`` the ``traces.blocks`` of those of their traces
    stored before (the others have no older spans); without them both are read.

    Reads the new spans by id, then the older spans of their traces (through the blocks
    their summaries list: a trace may hold 10,000 spans), and pairs them: the spans by
    span id in a dict and each parent looked up in it, built and looked up by
    C loops (zip, map) -- Python code runs per span only to test the pair found."""
    if new is None:
        rows = conn.execute(
            f"SELECT {_PAIR_COLUMNS} FROM spans WHERE id > ? AND id <= ?", (after_id, upto_id)
        ).fetchall()
        columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    else:
        columns = list(new)
    if not columns or not columns[0]:
        return
    if after_id > 0:
        if older is None:
            older = trace_blocks(conn, set(columns[1]))
        if older:
            more = rows_in_blocks(conn, _PAIR_COLUMNS, older, after_id)
            if more:
                columns = [
                    (*column, *added)
                    for column, added in zip(columns, zip(*more, strict=True), strict=True)
                ]
    ids, trace_ids, span_ids, parent_ids, services, starts, statuses = columns
    # by span id alone (no key tuples to build and hash), the trace compared on a match: a
    # span id repeated, in one trace or across traces, takes the general path
    spans = dict(zip(span_ids, zip(ids, services, trace_ids, strict=True), strict=True))
    if len(spans) < len(ids):
        rows = list(zip(*columns, strict=True))
        _count_pairs_twice(counts, rows, after_id, start_from, start_to, divisor)
        return
    error = STATUS_ERROR
    for parent, trace_id, span_id, service, start, status in zip(
        map(spans.get, parent_ids), trace_ids, ids, services, starts, statuses, strict=True
    ):
        if (
            parent is None
            or parent[1] == service
            or parent[2] != trace_id
            or not start_from <= start < start_to
            or (span_id <= after_id and parent[0] <= after_id)
        ):
            continue
        slot = (parent[1], service, start // divisor)  # _add, inlined: once per span
        found = counts.get(slot)
        if found is None:
            counts[slot] = [1, int(status == error)]
        else:
            found[0] += 1
            found[1] += status == error


def _count_pairs_twice(
    counts: _Counts,
    rows: list[Any],
    after_id: int,
    start_from: int,
    start_to: int,
    divisor: int,
) -> None:
    """``_count_pairs`` of ``rows`` (``_PAIR_COLUMNS``) when some span id comes more than
    once (a span stored twice: a child pairs with every copy of its parent, as the join
    would; or the same id in two traces)."""
    spans: dict[tuple[bytes, bytes], list[tuple[int, str]]] = {}
    for row in rows:
        spans.setdefault((row[1], row[2]), []).append((row[0], row[4]))
    for span_id, trace_id, _, parent_id, service, start, status in rows:
        if parent_id is None or not start_from <= start < start_to:
            continue
        for parent_id_, parent in spans.get((trace_id, parent_id), ()):
            if parent != service and (span_id > after_id or parent_id_ > after_id):
                _add(counts, (parent, service, start // divisor), 1, int(status == STATUS_ERROR))


def _done(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT span_id FROM service_edges_done").fetchone()
    return int(row[0]) if row else 0


def _max_id(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT max(id) FROM spans").fetchone()
    return int(row[0] or 0)


class EdgeCounter:
    """Keeps ``service_edges`` up to date; called on the store's writer thread only. Its
    methods log and swallow SQLite errors (the writer must keep running; a failed step is
    retried by the next call)."""

    def __init__(self) -> None:
        self._floor: int | None = None

    def advance(self, conn: sqlite3.Connection, max_spans: int = STEP_SPANS) -> int:
        """Count the edges of up to ``max_spans`` spans inserted since the last call, in one
        transaction of its own; returns how many spans it took."""
        try:
            if _max_id(conn) <= _done(conn):  # idle: no write lock taken
                return 0
            conn.execute("BEGIN IMMEDIATE")
            try:
                taken = self._advance(conn, max_spans)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            _log.warning("otel view: counting service edges failed: %s", exc)
            return 0
        return taken

    def count_commit(
        self, conn: sqlite3.Connection, new: Sequence[Sequence[Any]], older: dict[bytes, str]
    ) -> None:
        """Count the edges of the spans a commit is inserting (``new``: their
        ``_PAIR_COLUMNS``, one sequence each, ids ascending; ``older``: the blocks of their
        traces stored before) inside its transaction, when every older span is counted
        already (else ``advance`` will)."""
        if not new or not new[0]:
            return
        try:
            done = _done(conn)
            first = new[0][0]
            last = new[0][-1]
            if conn.execute(
                "SELECT 1 FROM spans WHERE id > ? AND id < ? LIMIT 1", (done, first)
            ).fetchone():
                return
            conn.execute("SAVEPOINT edges")
            try:
                counts: _Counts = {}
                _count_pairs(conn, counts, first - 1, last, 0, _END, _SECOND, new, older)
                self._store(conn, counts, last)
                conn.execute("RELEASE edges")
            except BaseException:
                conn.execute("ROLLBACK TO edges")
                conn.execute("RELEASE edges")
                raise
        except sqlite3.Error as exc:
            _log.warning("otel view: counting service edges failed: %s", exc)

    def _advance(self, conn: sqlite3.Connection, max_spans: int) -> int:
        done = _done(conn)
        upto = min(_max_id(conn), done + max_spans)
        if upto <= done:
            return 0
        counts: _Counts = {}
        _count_pairs(conn, counts, done, upto, 0, _END, _SECOND)
        self._store(conn, counts, upto)
        return upto - done

    @staticmethod
    def _store(conn: sqlite3.Connection, counts: _Counts, upto: int) -> None:
        """Add ``counts`` (keyed by the child's start second) to the buckets of every
        width; every pair with both ids <= ``upto`` is now counted."""
        rows: dict[tuple[int, int, str, str], list[int]] = {}
        for (parent, child, second), (calls, errors) in counts.items():
            start = second * _SECOND
            for width in WIDTHS_S:
                bucket = start - start % (width * _SECOND)
                _add(rows, (width, bucket, parent, child), calls, errors)
        conn.executemany(
            "INSERT INTO service_edges VALUES (?,?,?,?,?,?)"
            " ON CONFLICT (width, bucket, parent_service, child_service) DO UPDATE SET"
            " call_count = call_count + excluded.call_count,"
            " error_count = error_count + excluded.error_count",
            [(*key, calls, errors) for key, (calls, errors) in rows.items()],
        )
        conn.execute("UPDATE service_edges_done SET span_id = ?", (upto,))

    def after_retention(self, conn: sqlite3.Connection) -> None:
        """Drop the buckets below the oldest kept span and recount those that straddle it
        (1 s of spans joined, the wider ones summed from the narrower)."""
        try:
            # the blocks' start ranges are exact: retention updates or drops those it cuts
            row = conn.execute("SELECT min(min_start) FROM span_blocks").fetchone()
            floor = _END if row[0] is None else int(row[0])
            if floor == self._floor:
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                self._cut(conn, floor)
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            self._floor = floor
        except sqlite3.Error as exc:
            _log.warning("otel view: trimming service edges failed: %s", exc)

    def _cut(self, conn: sqlite3.Connection, floor: int) -> None:
        done = _done(conn)
        for width in reversed(WIDTHS_S):  # narrowest first: wider ones sum narrower ones
            w = width * _SECOND
            conn.execute(
                "DELETE FROM service_edges WHERE width = ? AND bucket <= ?", (width, floor - w)
            )
            bucket = floor - floor % w
            if bucket == floor or floor == _END:
                continue
            conn.execute(
                "DELETE FROM service_edges WHERE width = ? AND bucket = ?", (width, bucket)
            )
            if width == WIDTHS_S[-1]:
                counts: _Counts = {}
                # pairs already counted (both ids <= done) whose child starts in the cut
                _pairs_by_start(conn, counts, done, floor, bucket + w)
                rows = [(p, c, n, e) for (p, c, _), (n, e) in counts.items()]
            else:
                narrower = WIDTHS_S[WIDTHS_S.index(width) + 1]
                rows = conn.execute(
                    "SELECT parent_service, child_service, sum(call_count), sum(error_count)"
                    " FROM service_edges WHERE width = ? AND bucket >= ? AND bucket < ?"
                    " GROUP BY 1, 2",
                    (narrower, bucket, bucket + w),
                ).fetchall()
            conn.executemany(
                "INSERT INTO service_edges VALUES (?,?,?,?,?,?)",
                [(width, bucket, p, c, n, e) for p, c, n, e in rows],
            )


def _pairs_by_start(
    conn: sqlite3.Connection, counts: _Counts, upto_id: int, start_from: int, start_to: int
) -> None:
    """Add to ``counts`` (keyed by service pair, third part 0) every pair of spans with ids
    <= ``upto_id`` whose child starts in [start_from, start_to): the children read from the
    blocks whose start range meets it, their parents among the spans of their traces -- as
    joining each span to its parent would (a span stored twice pairs twice)."""
    children = []
    for first_id, last_id in conn.execute(
        "SELECT first_id, last_id FROM span_blocks WHERE min_start < ? AND max_start >= ?"
        " AND first_id <= ?",
        (start_to, start_from, upto_id),
    ).fetchall():
        children += conn.execute(
            f"SELECT {_PAIR_COLUMNS} FROM spans WHERE id BETWEEN ? AND ? AND start >= ?"
            " AND start < ? AND id <= ? AND parent_span_id IS NOT NULL",
            (first_id, last_id, start_from, start_to, upto_id),
        ).fetchall()
    if not children:
        return
    services: dict[tuple[bytes, bytes], list[str]] = {}
    for _, trace_id, span_id, _, service, _, _ in trace_rows(
        conn, _PAIR_COLUMNS, {row[1] for row in children}, upto_id
    ):
        services.setdefault((trace_id, span_id), []).append(service)
    for _, trace_id, _, parent_id, service, _, status in children:
        for parent in services.get((trace_id, parent_id), ()):
            if parent != service:
                _add(counts, (parent, service, 0), 1, int(status == STATUS_ERROR))


def _bucket_ranges(start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """(width in seconds, first bucket, end) covering [start, end) — both whole seconds —
    with the widest buckets that fit."""

    def cover(lo: int, hi: int, level: int) -> Iterator[tuple[int, int, int]]:
        width = WIDTHS_S[level]
        w = width * _SECOND
        first, last = -(-lo // w) * w, hi // w * w
        if level == len(WIDTHS_S) - 1:
            yield width, lo, hi
            return
        if first >= last:
            yield from cover(lo, hi, level + 1)
            return
        yield width, first, last
        if lo < first:
            yield from cover(lo, first, level + 1)
        if last < hi:
            yield from cover(last, hi, level + 1)

    if start < end:
        yield from cover(start, end, 0)


def query_edges(
    conn: sqlite3.Connection, since_unix_nano: int | None, until_unix_nano: int | None
) -> list[Edge]:
    """Edges whose child span starts in [since, until] (each bound optional), the same
    answer as joining every span to its parent. Reads one snapshot (a read transaction
    on ``conn``)."""
    lo = max(0, since_unix_nano or 0)
    hi = _END if until_unix_nano is None else max(0, min(until_unix_nano + 1, _END))
    if lo >= hi:
        return []
    counts: _Counts = {}
    conn.execute("BEGIN")
    try:
        done = _done(conn)
        newest = _max_id(conn)
        first, last = -(-lo // _SECOND) * _SECOND, hi // _SECOND * _SECOND
        if newest - done > STEP_SPANS or first >= last:
            # counting is far behind (an old database being caught up), or under a second
            ranges = [(lo, hi)]
        else:
            ranges = [(lo, first), (last, hi)]
            for width, bucket_from, bucket_to in _bucket_ranges(first, last):
                for parent, child, calls, errors in conn.execute(
                    "SELECT parent_service, child_service, sum(call_count), sum(error_count)"
                    " FROM service_edges WHERE width = ? AND bucket >= ? AND bucket < ?"
                    " GROUP BY 1, 2",
                    (width, bucket_from, bucket_to),
                ):
                    _add(counts, (parent, child, 0), calls, errors)
            _count_pairs(conn, counts, done, _END, first, last, _END)
        for start_from, start_to in ranges:
            if start_from < start_to:
                _pairs_by_start(conn, counts, _END, start_from, start_to)
    finally:
        conn.execute("COMMIT")
    return [
        Edge(parent, child, calls, errors)
        for (parent, child, _), (calls, errors) in sorted(counts.items())
    ]
