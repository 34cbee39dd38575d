"""Reading side of the SQLite store: a small pool of read-only connections (WAL readers never
wait for the writer) and the ``Store`` query methods. Thread-safe."""

from __future__ import annotations

import heapq
import json
import queue
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from otel.exporter.otlp._proto._model import LogRecord, MetricPoint, Span
from otel.viewer._store import _bloom
from otel.viewer._store._common import (
    KINDS,
    STATUS,
    attr_text,
    dumps,
    resource_from,
    scope_from,
    span_from_row,
    summary,
)
from otel.viewer._store._dependencies import query_edges
from otel.viewer._store._interface import (
    Edge,
    LogQuery,
    MetricInfo,
    Series,
    TraceQuery,
    TraceSummary,
)
from otel.viewer._store._schema import NAME_KEY, SERVICE_KEY, attr_hash
from otel.viewer._store._sqlite_blocks import Block, BlockCache, trace_rows

_READERS = 4


_SERVICES = (
    "SELECT service FROM span_services WHERE last_id >= (SELECT min(id) FROM spans)"
    " UNION SELECT service FROM (WITH RECURSIVE logs_services(service) AS"
    " (SELECT min(service) FROM logs UNION ALL SELECT (SELECT min(service) FROM logs t"
    " WHERE t.service > s.service) FROM logs_services s WHERE s.service IS NOT NULL)"
    " SELECT service FROM logs_services WHERE service IS NOT NULL)"
    " UNION SELECT service FROM metrics ORDER BY 1"
)
#: a search whose values (service, name, attributes) and ranges fewer ``span_blocks`` than
#: this may hold reads those blocks (at most ~32,000 spans looked at); a more common one
#: reads its candidate blocks newest first (``_newest_first``) until it has its traces.
#: Matches on N blocks cost N * BLOCK_SPANS rows one way and about limit / N * all spans
#: the other
_RARE_ATTRIBUTE_BLOCKS = 128
_encode_text = json.encoder.encode_basestring
_NON_FINITE = {"inf": "Infinity", "-inf": "-Infinity", "nan": "NaN"}


def attr_needles(key: str, text: str) -> list[str]:
    """Substrings of a span's ``attrs`` JSON text, one of which is present when the span has
    ``key`` with a value whose ``attr_text`` is ``text`` (string and literal spellings).
    A hit is only a candidate: the value may be longer or the key nested in another value."""
    prefix = dumps(key) + ":"
    needles = [prefix + dumps(text)]
    literal = _NON_FINITE.get(text, text)
    if text in ("true", "false") or literal != text:
        needles.append(prefix + literal)
    else:
        try:
            float(text)
        except ValueError:
            pass
        else:
            needles.append(prefix + text)
    return needles


def _attributes_match(attrs: str, wanted: Sequence[tuple[str, str]]) -> bool:
    """The exact check behind ``attr_needles``: every (key, text) pair is an attribute."""
    if not attrs:
        return False
    parsed = json.loads(attrs)
    return all(attr_text(parsed.get(key)) == text for key, text in wanted)


class SQLiteReader:
    """The query methods; a subclass provides ``_connect`` and sets ``_closed``."""

    _closed: bool
    _readers: queue.LifoQueue[sqlite3.Connection]
    _block_cache: BlockCache

    def _connect(self) -> sqlite3.Connection:
        raise NotImplementedError

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._readers.get_nowait()
        except queue.Empty:
            conn = self._connect()
            conn.execute("PRAGMA query_only=ON")
        try:
            yield conn
        finally:
            if self._readers.qsize() < _READERS and not self._closed:
                self._readers.put(conn)
            else:
                conn.close()

    def services(self) -> list[str]:
        # span services are kept in a table; a DISTINCT over logs would read every index
        # entry, hopping from one service to the next along it reads one per service
        with self._reader() as c:
            rows = c.execute(_SERVICES).fetchall()
        return [r[0] for r in rows]

    def find_traces(self, query: TraceQuery) -> list[TraceSummary]:
        where: list[str] = []
        params: list[Any] = []
        for clause, value in (
            ("s.service = ?", query.service),
            ("s.name = ?", query.span_name),
            ("s.duration >= ?", query.min_duration_nano),
            ("s.duration <= ?", query.max_duration_nano),
            ("s.start >= ?", query.since_unix_nano),
            ("s.start <= ?", query.until_unix_nano),
        ):
            if value is not None:
                where.append(clause)
                params.append(value)
        for key, text in query.attributes:
            # SQLite's instr() narrows the spans to candidates; Python checks them exactly
            needles = attr_needles(key, text)
            where.append("(" + " OR ".join(["instr(s.attrs, ?) > 0"] * len(needles)) + ")")
            params.extend(needles)
        if query.errors:
            where.append(
                "EXISTS (SELECT 1 FROM traces t WHERE t.trace_id = s.trace_id"
                " AND t.error_count > 0)"
            )
        wanted = query.attributes
        sql = "SELECT s.trace_id, s.attrs, s.start FROM spans s WHERE s.id BETWEEN ? AND ?"
        sql += "".join(" AND " + w for w in where)
        with self._reader() as c:
            blocks = self._candidate_blocks(c, query)
            hits: Iterable[tuple[bytes, str, int]]
            if len(blocks) < _RARE_ATTRIBUTE_BLOCKS:
                # few blocks of spans may hold a match: read those, sort what matches
                rows: list[tuple[bytes, str, int]] = []
                for block in blocks:
                    rows += c.execute(sql, (block.first_id, block.last_id, *params))
                rows.sort(key=lambda r: r[2], reverse=True)
                hits = rows
            else:
                # read the blocks newest first, stop at `limit` traces
                hits = _newest_first(c, blocks, sql, params)
            found: list[bytes] = []
            seen: set[bytes] = set()
            for trace_id, attrs, _ in hits:
                if trace_id not in seen and (not wanted or _attributes_match(attrs, wanted)):
                    seen.add(trace_id)
                    found.append(trace_id)
                    if len(found) >= query.limit:
                        break
            out = self._summaries(c, found)
        out.sort(key=lambda t: t["start_unix_nano"], reverse=True)
        return out

    def _candidate_blocks(self, c: sqlite3.Connection, query: TraceQuery) -> list[Block]:
        """The ``span_blocks`` that may hold a matching span: their Bloom filter has every
        value searched for, their start and duration ranges overlap the query's."""
        values = [attr_hash(key, text) for key, text in query.attributes]
        if query.service is not None:
            values.append(attr_hash(SERVICE_KEY, query.service))
        if query.span_name is not None:
            values.append(attr_hash(NAME_KEY, query.span_name))
        probe = _bloom.Probe(values)
        masks: dict[int, int] = {}  # per filter size (probe.mask, without a call per block)
        lowest = query.min_duration_nano
        since = query.since_unix_nano
        until = query.until_unix_nano
        found: list[Block] = []
        for block in self._block_cache.blocks(c):
            mask = masks.get(block.bits)
            if mask is None:
                mask = masks[block.bits] = probe.mask(block.bits)
            if (
                block.bloom & mask == mask
                and (lowest is None or block.max_duration >= lowest)
                and (since is None or block.max_start >= since)
                and (until is None or block.min_start <= until)
            ):
                found.append(block)
        return found

    def _summaries(self, c: sqlite3.Connection, trace_ids: Sequence[bytes]) -> list[TraceSummary]:
        out = []
        for start in range(0, len(trace_ids), 500):
            chunk = list(trace_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for row in c.execute(
                "SELECT trace_id, root_service, root_name, services, span_count, error_count,"
                f" start, end FROM traces WHERE trace_id IN ({marks})",
                chunk,
            ):
                out.append(summary(row[0], row[1:]))
        return out

    def trace_summaries(self, trace_ids: Sequence[bytes]) -> list[TraceSummary]:
        with self._reader() as c:
            return self._summaries(c, trace_ids)

    def get_trace(self, trace_id: bytes) -> list[Span]:
        with self._reader() as c:
            rows = trace_rows(
                c,
                "span_id, parent_span_id, name, kind, start, end, status_code, attrs, body,"
                " resource_id, scope_id",
                (trace_id,),
            )
            rows.sort(key=lambda row: row[4])
            # a trace has a few resources and scopes: read each once (a join would copy
            # their text into every one of 10,000 rows)
            resources = {
                rid: resource_from(body)
                for rid, body in self._bodies(c, "resources", {row[9] for row in rows})
            }
            scopes = {
                sid: scope_from(body)
                for sid, body in self._bodies(c, "scopes", {row[10] for row in rows})
            }
        # one JSON parse for every span of the trace (10,000 small parses cost 2x more)
        parsed = json.loads(
            "[" + ",".join(f"[{row[7] or '{}'},{row[8] or '{}'}]" for row in rows) + "]"
        )
        spans = []
        for (sid, parent, name, kind, start, end, code, _, _, res, sc), (a, b) in zip(
            rows, parsed, strict=True
        ):
            b["a"] = a
            spans.append(
                span_from_row(
                    resources[res],
                    scopes[sc],
                    trace_id,
                    sid,
                    parent,
                    name,
                    kind,
                    start,
                    end,
                    code,
                    b,
                )
            )
        return spans

    def trace_json(self, trace_id: bytes) -> str | None:
        """``GET /api/traces/{id}``'s answer as JSON text (None for an unknown trace): the
        stored attribute JSON of each span is spliced in as it is, not parsed and re-encoded.
        Same content as shaping ``get_trace``'s spans."""
        with self._reader() as c:
            rows = trace_rows(
                c,
                "span_id, parent_span_id, name, kind, service, start, end, status_code, attrs,"
                " body, resource_id, scope_id",
                (trace_id,),
            )
            rows.sort(key=lambda row: row[5])
            if not rows:
                return None
            resources = {
                rid: '{"attributes":' + dumps(json.loads(body)[0]) + "}"
                for rid, body in self._bodies(c, "resources", {row[10] for row in rows})
            }
            scopes = {
                sid: dumps({"name": scope[0], "version": scope[1]})
                for sid, body in self._bodies(c, "scopes", {row[11] for row in rows})
                for scope in (json.loads(body),)
            }
        tid = trace_id.hex()
        enc = _encode_text
        parts = []
        for sid, parent, name, kind, service, start, end, code, attrs, body, res, sc in rows:
            rest = _rest_json(json.loads(body)) if body else _EMPTY_REST
            parts.append(
                f'{{"trace_id":"{tid}","span_id":"{sid.hex()}","parent_span_id":'
                f"{'null' if parent is None else chr(34) + parent.hex() + chr(34)},"
                f'"name":{enc(name)},"kind":"{KINDS[kind] if 0 <= kind < 6 else KINDS[0]}",'
                f'"service":{enc(service)},"start_unix_nano":{start},"end_unix_nano":{end},'
                f'"status":{{"code":"{STATUS[code] if 0 <= code < 3 else STATUS[0]}",'
                f'"message":{rest[0]}}},"attributes":{attrs or "{}"},{rest[1]},'
                f'"resource":{resources[res]},"scope":{scopes[sc]},{rest[2]}}}'
            )
        return '{"trace_id":"' + tid + '","spans":[' + ",".join(parts) + "]}"

    @staticmethod
    def _bodies(c: sqlite3.Connection, table: str, ids: set[int]) -> list[tuple[int, str]]:
        """(id, body) of the ``resources`` or ``scopes`` rows with these ids."""
        found: list[tuple[int, str]] = []
        ordered = sorted(ids)
        for i in range(0, len(ordered), 500):
            chunk = ordered[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found += c.execute(f"SELECT id, body FROM {table} WHERE id IN ({marks})", chunk)
        return found

    def find_logs(self, query: LogQuery) -> list[LogRecord]:
        where: list[str] = []
        params: list[Any] = []
        for column, value in (
            ("l.service = ?", query.service),
            ("l.trace_id = ?", query.trace_id),
            ("l.span_id = ?", query.span_id),
            ("l.severity_number >= ?", query.severity_min),
            ("l.time >= ?", query.since_unix_nano),
            ("l.time <= ?", query.until_unix_nano),
        ):
            if value is not None:
                where.append(column)
                params.append(value)
        if query.text:
            where.append(
                "(instr(lower(l.body), lower(?)) > 0 OR instr(lower(l.attributes), lower(?)) > 0)"
            )
            params.extend((query.text, query.text))
        sql = (
            "SELECT l.time, l.observed_time, l.severity_number, l.severity_text, l.body,"
            " l.attributes, l.trace_id, l.span_id, l.flags, l.event_name, r.body, sc.body"
            " FROM logs l JOIN resources r ON r.id = l.resource_id"
            " JOIN scopes sc ON sc.id = l.scope_id"
        )
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY l.time DESC, l.id DESC LIMIT ?"
        params.append(query.limit)
        with self._reader() as c:
            rows = c.execute(sql, params).fetchall()
        out = []
        for t, obs, sev, sev_text, body, attrs, tid, sid, flags, event, res, sc in rows:
            rec = LogRecord(resource_from(res), scope_from(sc))
            rec.time_unix_nano = t
            rec.observed_time_unix_nano = obs
            rec.severity_number = sev
            rec.severity_text = sev_text
            rec.body = json.loads(body)
            rec.attributes = json.loads(attrs) if attrs else {}
            rec.trace_id = tid or b""
            rec.span_id = sid or b""
            rec.flags = flags
            rec.event_name = event
            out.append(rec)
        return out

    def metrics(self) -> list[MetricInfo]:
        with self._reader() as c:
            rows = c.execute(
                "SELECT name, type, unit, description, service, is_monotonic, temporality"
                " FROM metrics ORDER BY name, service"
            ).fetchall()
        out: dict[str, MetricInfo] = {}
        for name, kind, unit, desc, service, mono, temporality in rows:
            info = out.get(name)
            if info is None:
                out[name] = MetricInfo(name, kind, unit, desc, [service], bool(mono), temporality)
            else:
                info.services.append(service)
        return list(out.values())

    def metric_series(
        self,
        name: str,
        service: str | None,
        since_unix_nano: int | None,
        until_unix_nano: int | None,
        attributes: Sequence[tuple[str, str]] = (),
    ) -> tuple[MetricInfo, list[Series]] | None:
        infos = [m for m in self.metrics() if m.name == name]
        if not infos:
            return None
        info = infos[0]
        sql = (
            "SELECT m.service, p.attributes, p.time, p.start, p.value, p.data, p.flags"
            " FROM metric_points p JOIN metrics m ON m.id = p.metric_id WHERE m.name = ?"
        )
        params: list[Any] = [name]
        for clause, value in (
            (" AND m.service = ?", service),
            (" AND p.time >= ?", since_unix_nano),
            (" AND p.time <= ?", until_unix_nano),
        ):
            if value is not None:
                sql += clause
                params.append(value)
        sql += " ORDER BY p.time, p.id"
        with self._reader() as c:
            rows = c.execute(sql, params).fetchall()
        series: dict[tuple[str, str], Series] = {}
        for svc, attrs, t, start, value, data, flags in rows:
            s = series.get((svc, attrs))
            if s is None:
                parsed = json.loads(attrs)
                if any(attr_text(parsed.get(k)) != v for k, v in attributes):
                    series[(svc, attrs)] = s = Series(svc, parsed, [])
                    s.points = _SKIP
                else:
                    series[(svc, attrs)] = s = Series(svc, parsed, [])
            if s.points is _SKIP:
                continue
            point = MetricPoint()
            point.attributes = s.attributes
            point.time_unix_nano = t
            point.start_time_unix_nano = start
            point.value = value
            point.data = json.loads(data) if data else None
            point.flags = flags
            s.points.append(point)
        return info, [s for s in series.values() if s.points is not _SKIP]

    def dependencies(self, since_unix_nano: int | None, until_unix_nano: int | None) -> list[Edge]:
        # counted at ingest (see _dependencies); only the newest spans are joined here
        with self._reader() as c:
            return query_edges(c, since_unix_nano, until_unix_nano)

    def _close_readers(self) -> None:
        while True:
            try:
                self._readers.get_nowait().close()
            except queue.Empty:
                break


def _newest_first(
    c: sqlite3.Connection, blocks: list[Block], sql: str, params: Sequence[Any]
) -> Iterator[tuple[bytes, str, int]]:
    """The rows ``sql`` (``(trace_id, attrs, start)`` of the spans with ids between its
    first two parameters, then ``params``) finds in ``blocks``, newest start first: the
    blocks are read in order of their latest start, and a row is given once no unread
    block can hold a later one. Reads a block only when the caller asks for more rows."""
    blocks = sorted(blocks, key=lambda b: b.max_start, reverse=True)
    waiting: list[tuple[int, int, tuple[bytes, str, int]]] = []  # a heap by -start
    order = 0  # ties keep the order rows were read in (no comparing of rows)
    for i, block in enumerate(blocks):
        for row in c.execute(sql, (block.first_id, block.last_id, *params)):
            heapq.heappush(waiting, (-row[2], order, row))
            order += 1
        later = blocks[i + 1].max_start if i + 1 < len(blocks) else None
        while waiting and (later is None or -waiting[0][0] >= later):
            yield heapq.heappop(waiting)[2]


_SKIP: list[MetricPoint] = []


def _rest_json(b: dict[str, Any]) -> tuple[str, str, str]:
    """From a stored span body: the status message, the events and links members, and the
    flags/trace state/dropped counts members of the API's span object, as JSON text."""
    events = [{"name": e[1], "time_unix_nano": e[0], "attributes": e[2]} for e in b.get("e", ())]
    links = [{"trace_id": ln[0], "span_id": ln[1], "attributes": ln[3]} for ln in b.get("l", ())]
    return (
        dumps(b.get("m", "")),
        f'"events":{dumps(events)},"links":{dumps(links)}',
        f'"flags":{b.get("f", 0)},"trace_state":{dumps(b.get("s", ""))},'
        f'"dropped_attributes_count":{b.get("da", 0)},"dropped_events_count":{b.get("de", 0)},'
        f'"dropped_links_count":{b.get("dl", 0)}',
    )


_EMPTY_REST = _rest_json({})
