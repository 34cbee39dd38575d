"""The SQLite schema of the viewer's store (version 1)."""

from __future__ import annotations

SCHEMA_VERSION = 1

#: span attribute rows get rowid ``span_rowid << ATTR_SHIFT | n``: a span's rows are one range
ATTR_SHIFT = 8
MAX_INDEXED_ATTRIBUTES = (1 << ATTR_SHIFT) - 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS scopes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE);
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
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS spans_trace ON spans (trace_id);
CREATE INDEX IF NOT EXISTS spans_service_start ON spans (service, start);
CREATE INDEX IF NOT EXISTS spans_name_start ON spans (name, start);
CREATE INDEX IF NOT EXISTS spans_service_duration ON spans (service, duration);
CREATE INDEX IF NOT EXISTS spans_start ON spans (start);
CREATE TABLE IF NOT EXISTS span_attrs (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS span_attrs_key_value ON span_attrs (key, value);
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
CREATE INDEX IF NOT EXISTS traces_start ON traces (start);
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
