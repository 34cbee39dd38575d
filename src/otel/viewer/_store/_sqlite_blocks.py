"""Blocks of span ids in the SQLite store: what the writer records of each commit's spans
(``span_blocks`` rows, each trace's list of blocks in ``traces.blocks``) and how a trace's
spans are read back through that list (there is no index on ``spans.trace_id``).

A ``span_blocks`` row covers the span ids of one commit within one aligned range of
``BLOCK_SPANS`` ids (``id // BLOCK_SPANS``, the block number); ``traces.blocks`` is the
comma-separated numbers of the ranges holding some span of the trace. Everything runs on
the connection given (no locks of its own).
"""

from __future__ import annotations

import bisect
import sqlite3
import threading
from collections.abc import Callable, Collection, Sequence
from typing import Any, NamedTuple

from otel.viewer._store import _bloom
from otel.viewer._store._schema import BLOCK_SPANS, NAME_KEY, SERVICE_KEY

#: (first id, end id, service) of the spans of one ``SpanGroup`` as numbered by the writer
GroupRange = tuple[int, int, str]
_CHUNK = 500


def write_blocks(
    conn: sqlite3.Connection,
    first_id: int,
    trace_ids: Sequence[bytes],
    names: Sequence[str],
    span_hashes: Sequence[tuple[int, ...]],
    groups: list[GroupRange],
    key_hash: Callable[[str, str], int],
) -> dict[bytes, list[int]]:
    """Insert the ``span_blocks`` rows of the spans just inserted with ids ``first_id`` on
    (per span: its trace id, name and attribute hashes) and upsert their services'
    ``span_services`` rows. Returns the block numbers of each trace's spans among them."""
    end_id = first_id + len(names)
    blocks = []
    of_trace: dict[bytes, list[int]] = {}
    lo = first_id
    while lo < end_id:
        number = lo // BLOCK_SPANS
        hi = min((number + 1) * BLOCK_SPANS, end_id)
        a, b = lo - first_id, hi - first_id
        distinct = set().union(*span_hashes[a:b])
        distinct.update([key_hash(NAME_KEY, name) for name in set(names[a:b])])
        distinct.update(
            [key_hash(SERVICE_KEY, s) for g_lo, g_hi, s in groups if g_lo < hi and g_hi > lo]
        )
        blocks.append((lo, hi - 1, _bloom.build(distinct, len(distinct))))
        for trace_id in set(trace_ids[a:b]):
            found = of_trace.get(trace_id)
            if found is None:
                of_trace[trace_id] = [number]
            else:
                found.append(number)
        lo = hi
    conn.executemany(
        "INSERT INTO span_blocks SELECT ?1, ?2, min(start), max(start), max(duration), ?3"
        " FROM spans WHERE id BETWEEN ?1 AND ?2",
        blocks,
    )
    newest = {service: g_hi - 1 for _, g_hi, service in groups}
    conn.executemany(
        "INSERT INTO span_services VALUES (?, ?)"
        " ON CONFLICT (service) DO UPDATE SET last_id = excluded.last_id",
        list(newest.items()),
    )
    return of_trace


def merge_blocks(stored: str, new: list[int]) -> str:
    """The ``traces.blocks`` text of ``stored`` and ``new`` block numbers (ascending), each
    once (a trace's spans of successive commits often share the last block)."""
    if not stored:
        return ",".join(map(str, new))
    last = int(stored[stored.rfind(",") + 1 :])
    return ",".join([stored, *(str(n) for n in new if n > last)])


def trace_blocks(conn: sqlite3.Connection, trace_ids: Collection[bytes]) -> dict[bytes, str]:
    """``traces.blocks`` of those of ``trace_ids`` that have a summary row."""
    ids = list(trace_ids)
    found: dict[bytes, str] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(
            conn.execute(f"SELECT trace_id, blocks FROM traces WHERE trace_id IN ({marks})", chunk)
        )
    return found


def trace_rows(
    conn: sqlite3.Connection,
    columns: str,
    trace_ids: Collection[bytes],
    upto_id: int | None = None,
) -> list[Any]:
    """``columns`` of the spans of ``trace_ids`` (with ids <= ``upto_id``), block after
    block: the blocks each trace's summary lists, read by id range."""
    return rows_in_blocks(conn, columns, trace_blocks(conn, trace_ids), upto_id)


def rows_in_blocks(
    conn: sqlite3.Connection, columns: str, blocks: dict[bytes, str], upto_id: int | None
) -> list[Any]:
    """``trace_rows`` given the traces' ``traces.blocks`` texts."""
    by_block: dict[int, list[bytes]] = {}
    last_block = None if upto_id is None else upto_id // BLOCK_SPANS
    for trace_id, text in blocks.items():
        for block in map(int, text.split(",")) if text else ():
            if last_block is None or block <= last_block:
                found = by_block.get(block)
                if found is None:
                    by_block[block] = [trace_id]
                else:
                    found.append(trace_id)
    rows: list[Any] = []
    one = f"SELECT {columns} FROM spans WHERE id BETWEEN ? AND ? AND trace_id = ?"
    for block in sorted(by_block):
        first = block * BLOCK_SPANS
        last = first + BLOCK_SPANS - 1
        if upto_id is not None:
            last = min(last, upto_id)
        ids = by_block[block]
        if len(ids) == 1:
            rows += conn.execute(one, (first, last, ids[0]))
            continue
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            rows += conn.execute(
                f"SELECT {columns} FROM spans WHERE id BETWEEN ? AND ?"
                f" AND trace_id IN ({','.join('?' * len(chunk))})",
                (first, last, *chunk),
            )
    return rows


class Block(NamedTuple):
    """A ``span_blocks`` row, its Bloom filter as an int (``_bloom.Probe``)."""

    first_id: int
    last_id: int
    min_start: int
    max_start: int
    max_duration: int
    bloom: int
    bits: int


class BlockCache:
    """The ``span_blocks`` rows in memory for searches (~0.6 KB per 256 spans): a row never
    changes once written, so each call reads only the rows added since the last and forgets
    those retention dropped. Thread-safe; ``blocks`` holds a lock while it reads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._blocks: list[Block] = []
        self._firsts: list[int] = []

    def blocks(self, conn: sqlite3.Connection) -> list[Block]:
        """Every block as of ``conn``'s snapshot or later, oldest first (a list never
        changed afterwards: the caller may keep it)."""
        with self._lock:
            last = self._firsts[-1] if self._firsts else 0
            new = [
                Block(
                    first, last_id, low, high, longest, int.from_bytes(bloom, "big"), len(bloom) * 8
                )
                for first, last_id, low, high, longest, bloom in conn.execute(
                    "SELECT first_id, last_id, min_start, max_start, max_duration, bloom"
                    " FROM span_blocks WHERE first_id > ? ORDER BY first_id",
                    (last,),
                )
            ]
            oldest = conn.execute("SELECT min(first_id) FROM span_blocks").fetchone()[0]
            cut = bisect.bisect_left(self._firsts, oldest) if oldest is not None else 0
            if new or cut:
                if oldest is None:
                    self._blocks, self._firsts = [], []
                else:
                    self._blocks = self._blocks[cut:] + new
                    self._firsts = self._firsts[cut:] + [b.first_id for b in new]
            return self._blocks
