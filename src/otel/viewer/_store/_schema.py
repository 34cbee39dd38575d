"""The SQLite schema of the viewer's store (version 3: spans with their attributes as one JSON
text, ``attr_blocks`` for attribute search, and the service edges of ``_dependencies``)."""

from __future__ import annotations

import hashlib

from otel.viewer._store._dependencies import EDGES_SCHEMA

SCHEMA_VERSION = 3
#: older versions whose files ``SCHEMA`` upgrades in place (none: version 2 stored a span's
#: attributes as rows, version 3 as one text per span; a version 2 file is refused)
UPGRADABLE_VERSIONS: tuple[int, ...] = ()

#: ``attr_blocks`` records that some span among ids ``block * BLOCK_SPANS`` to
#: ``block * BLOCK_SPANS + BLOCK_SPANS - 1`` carries an attribute value: one row per distinct
#: value per block rather than one per span and attribute. Smaller blocks cost more rows at
#: ingest and fewer spans to look at when a rare value drives a search
#: (``_sqlite_query._RARE_ATTRIBUTE_BLOCKS``)
BLOCK_SPANS = 64
#: attr_blocks is purged of rows of deleted spans one slice of its key space at a time
ATTR_PURGE_SLICES = 256


def attr_hash(key: str, text: str) -> int:
    """The signed 64-bit key of ``key = text`` in ``span_attrs`` (BLAKE2b: a false match
    needs a 64-bit collision)."""
    digest = hashlib.blake2b(
        key.encode("utf-8", "replace") + b"\x00" + text.encode("utf-8", "replace"), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS scopes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE);
-- key/value facts about the store: 'next_span_id' keeps span ids monotonic when retention
-- deletes every span (cheaper than AUTOINCREMENT, which updates a counter per row)
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS spans (
    id INTEGER PRIMARY KEY,
    trace_id BLOB NOT NULL,
    span_id BLOB NOT NULL,
    parent_span_id BLOB,
    service TEXT NOT NULL,
    name TEXT NOT NULL,
    kind INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    duration INTEGER NOT NULL,
    status_code INTEGER NOT NULL,
    resource_id INTEGER NOT NULL,
    scope_id INTEGER NOT NULL,
    attrs TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS spans_trace_span ON spans (trace_id, span_id);
CREATE INDEX IF NOT EXISTS spans_service_start ON spans (service, start);
CREATE INDEX IF NOT EXISTS spans_name_start ON spans (name, start);
CREATE INDEX IF NOT EXISTS spans_start ON spans (start);
-- (hash of an attribute's key and value, spans.id / BLOCK_SPANS): some span of that block of
-- ids carries it (spans.attrs tells which). Span ids are never reused (meta), so
-- rows left by deleted spans only cost a look at an empty id range until purged
CREATE TABLE IF NOT EXISTS attr_blocks (
    h INTEGER NOT NULL,
    block INTEGER NOT NULL,
    PRIMARY KEY (h, block)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS traces (
    trace_id BLOB PRIMARY KEY,
    root_service TEXT,
    root_name TEXT,
    services TEXT NOT NULL,
    span_count INTEGER NOT NULL,
    error_count INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS traces_end ON traces (end);
CREATE TABLE IF NOT EXISTS logs (
    id INTEGER PRIMARY KEY,
    time INTEGER NOT NULL,
    observed_time INTEGER NOT NULL,
    service TEXT NOT NULL,
    severity_number INTEGER NOT NULL,
    severity_text TEXT NOT NULL,
    body TEXT NOT NULL,
    attributes TEXT NOT NULL,
    trace_id BLOB,
    span_id BLOB,
    flags INTEGER NOT NULL,
    event_name TEXT NOT NULL,
    resource_id INTEGER NOT NULL,
    scope_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS logs_time ON logs (time);
CREATE INDEX IF NOT EXISTS logs_service_time ON logs (service, time);
CREATE INDEX IF NOT EXISTS logs_trace ON logs (trace_id);
CREATE TABLE IF NOT EXISTS metrics (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    service TEXT NOT NULL,
    type TEXT NOT NULL,
    unit TEXT NOT NULL,
    description TEXT NOT NULL,
    is_monotonic INTEGER NOT NULL,
    temporality INTEGER NOT NULL,
    UNIQUE (name, service)
);
CREATE TABLE IF NOT EXISTS metric_points (
    id INTEGER PRIMARY KEY,
    metric_id INTEGER NOT NULL,
    time INTEGER NOT NULL,
    start INTEGER NOT NULL,
    attributes TEXT NOT NULL,
    value,
    data TEXT,
    flags INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS metric_points_metric_time ON metric_points (metric_id, time);
CREATE INDEX IF NOT EXISTS metric_points_time ON metric_points (time);
"""
SCHEMA += EDGES_SCHEMA
