"""Reading side of the SQLite store: a small pool of read-only connections (WAL readers never
wait for the writer) and the ``Store`` query methods. Thread-safe."""

from __future__ import annotations

import json
import queue
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from otel.exporter.otlp._proto._model import LogRecord, MetricPoint, Span
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
from otel.viewer._store._schema import BLOCK_SPANS, attr_hash

_READERS = 4


def _next_service(table: str) -> str:
    return (
        f"{table}_services(service) AS (SELECT min(service) FROM {table} UNION ALL"
        f" SELECT (SELECT min(service) FROM {table} t WHERE t.service > s.service)"
        f" FROM {table}_services s WHERE s.service IS NOT NULL)"
    )


_SERVICES = (
    f"WITH RECURSIVE {_next_service('spans')}, {_next_service('logs')}"
    " SELECT service FROM spans_services WHERE service IS NOT NULL"
    " UNION SELECT service FROM logs_services WHERE service IS NOT NULL"
    " UNION SELECT service FROM metrics ORDER BY 1"
)
#: an attribute value found in fewer blocks of span ids than this drives a search (at most
#: ~32,000 spans looked at); a more common one is checked on the spans walked newest first.
#: A value on N spans costs N * BLOCK_SPANS rows one way and about limit / N * all spans
#: the other: they cross near N = 560 at a million spans (~36,000 rows either way)
_RARE_ATTRIBUTE_BLOCKS = 512
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
        # a DISTINCT over spans reads every index entry (118 ms at 1M spans); hopping from
        # one service to the next along the index reads one entry per service
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
        hashes = [attr_hash(key, value) for key, value in query.attributes]
        driver = self._rare_attribute(hashes)
        for key, text in query.attributes:
            # SQLite's instr() narrows the spans to candidates; Python checks them exactly
            needles = attr_needles(key, text)
            where.append("(" + " OR ".join(["instr(s.attrs, ?) > 0"] * len(needles)) + ")")
            params.extend(needles)
        if query.errors:
            where.append("s.trace_id IN (SELECT trace_id FROM traces WHERE error_count > 0)")
        if driver is not None:
            # few blocks of spans carry the rarest attribute: look at those, sort what matches
            sql = (
                "SELECT s.trace_id, s.attrs FROM attr_blocks d CROSS JOIN spans s NOT INDEXED"
                f" ON s.id >= d.block * {BLOCK_SPANS} AND s.id < (d.block + 1) * {BLOCK_SPANS}"
            )
            where.insert(0, "d.h = ?")
            params.insert(0, driver)
        else:
            # walk the spans newest first along the index that orders them, stop at `limit`
            # traces (the planner would otherwise pick the duration index and sort everything)
            index = (
                "spans_service_start"
                if query.service is not None
                else "spans_name_start"
                if query.span_name is not None
                else "spans_start"
            )
            sql = f"SELECT s.trace_id, s.attrs FROM spans s INDEXED BY {index}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY s.start DESC"
        found: list[bytes] = []
        seen: set[bytes] = set()
        wanted = query.attributes
        with self._reader() as c:
            for trace_id, attrs in c.execute(sql, params):
                if trace_id not in seen and (not wanted or _attributes_match(attrs, wanted)):
                    seen.add(trace_id)
                    found.append(trace_id)
                    if len(found) >= query.limit:
                        break
            out = self._summaries(c, found)
        out.sort(key=lambda t: t["start_unix_nano"], reverse=True)
        return out

    def _rare_attribute(self, hashes: list[int]) -> int | None:
        """The attribute filter found in fewest blocks of spans, when they are few enough to
        drive the search (else None: walk the spans newest first and check each)."""
        best: tuple[int, int] | None = None
        with self._reader() as c:
            for h in hashes:
                n = c.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM attr_blocks WHERE h = ? LIMIT ?)",
                    (h, _RARE_ATTRIBUTE_BLOCKS),
                ).fetchone()[0]
                if n < _RARE_ATTRIBUTE_BLOCKS and (best is None or n < best[0]):
                    best = (n, h)
        return best[1] if best else None

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
            rows = c.execute(
                "SELECT span_id, parent_span_id, name, kind, start, end, status_code, attrs,"
                " body, resource_id, scope_id FROM spans WHERE trace_id = ? ORDER BY start",
                (trace_id,),
            ).fetchall()
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
            rows = c.execute(
                "SELECT span_id, parent_span_id, name, kind, service, start, end, status_code,"
                " attrs, body, resource_id, scope_id FROM spans WHERE trace_id = ? ORDER BY start",
                (trace_id,),
            ).fetchall()
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
