"""The SQLite schema of the viewer's store (version 5: spans with their attributes as one JSON
text, appended in id order with no index; ``span_blocks`` summarising runs of span ids for
search, retention and time ranges; the service edges of ``_dependencies``)."""

from __future__ import annotations

import hashlib

SCHEMA_VERSION = 5
#: older versions whose files ``SCHEMA`` upgrades in place: version 4 had an index on
#: ``spans.start`` (dropped: every insert landed on a random page of it, a tenth of the
#: writer's work and 40% of its WAL bytes; ``span_blocks`` keeps each block's start range).
#: Version 3 kept four indexes on spans and an ``attr_blocks`` table: a 2 or 3 file is refused
UPGRADABLE_VERSIONS: tuple[int, ...] = (4,)

#: span ids ``n * BLOCK_SPANS`` to ``n * BLOCK_SPANS + BLOCK_SPANS - 1`` form block ``n``; a
#: ``span_blocks`` row summarises the ids of one commit in one block. Larger blocks cost
#: fewer rows and Bloom filters to test per search and more spans to read per candidate
#: block (``_sqlite_query._RARE_ATTRIBUTE_BLOCKS``) or per block of a trace
BLOCK_SPANS = 256


def attr_hash(key: str, text: str) -> int:
    """The signed 64-bit key of ``key = text`` in ``span_attrs`` (BLAKE2b: a false match
    needs a 64-bit collision)."""
    digest = hashlib.blake2b(
        key.encode("utf-8", "replace") + b"\x00" + text.encode("utf-8", "replace"), digest_size=8
    ).digest()
    return int.from_bytes(digest, "big", signed=True)


#: pseudo attribute keys under which a span's service and name enter its block's Bloom filter
#: (a NUL-led key: no real attribute's ``attr_hash`` is computed from it on purpose)
SERVICE_KEY = "\x00service"
NAME_KEY = "\x00name"


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
DROP INDEX IF EXISTS spans_start;
-- spans first_id..last_id (of one commit and one block; retention raises min_start past the
-- spans it deletes and drops the row of a block it empties): start range,
-- longest duration, and a Bloom filter (_bloom) of the attr_hash of their service
-- (SERVICE_KEY), names (NAME_KEY) and searchable attribute values. Appended in id order: no
-- random page is touched at ingest. Rows left by deleted spans are dropped by retention
CREATE TABLE IF NOT EXISTS span_blocks (
    first_id INTEGER PRIMARY KEY,
    last_id INTEGER NOT NULL,
    min_start INTEGER NOT NULL,
    max_start INTEGER NOT NULL,
    max_duration INTEGER NOT NULL,
    bloom BLOB NOT NULL
);
-- each service of the spans and the newest span id carrying it (GET /api/services)
CREATE TABLE IF NOT EXISTS span_services (
    service TEXT PRIMARY KEY,
    last_id INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS traces (
    trace_id BLOB PRIMARY KEY,
    root_service TEXT,
    root_name TEXT,
    services TEXT NOT NULL,
    span_count INTEGER NOT NULL,
    error_count INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    -- the numbers of the blocks (id // BLOCK_SPANS) holding its spans, ascending and
    -- comma-separated (_sqlite_blocks): how its spans are found, spans.trace_id has no index
    blocks TEXT NOT NULL
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
# service edges counted at ingest (_dependencies)
EDGES_SCHEMA = """
CREATE TABLE IF NOT EXISTS service_edges (
    width INTEGER NOT NULL,  -- seconds: 1, 60 or 3600
    bucket INTEGER NOT NULL,  -- unix nanoseconds, a multiple of the width
    parent_service TEXT NOT NULL,
    child_service TEXT NOT NULL,
    call_count INTEGER NOT NULL,
    error_count INTEGER NOT NULL,
    PRIMARY KEY (width, bucket, parent_service, child_service)
) WITHOUT ROWID;
-- one row: every pair of spans with both ids <= span_id is counted in service_edges
CREATE TABLE IF NOT EXISTS service_edges_done (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    span_id INTEGER NOT NULL
);
INSERT OR IGNORE INTO service_edges_done VALUES (1, 0);
"""
SCHEMA += EDGES_SCHEMA
