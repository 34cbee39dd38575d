"""The ``Store`` protocol: what receivers write into and the query API reads from.

Another engine (ClickHouse, ...) can be added by implementing this protocol; receivers and
the JSON API only see it. All methods are thread-safe. ``ingest`` blocks its caller until the
data is committed (so a receiver answers 2xx only for stored data) and raises ``StoreBusy``
at once when the store is behind; the query methods never wait for ingest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from otel.exporter.otlp._proto._model import LogRecord, Metric, MetricPoint, Span

if TYPE_CHECKING:
    from otel.viewer._store._rows import PreparedSpans

#: A trace summary as the API returns it (``trace_id`` hex, ``services`` sorted list, ...).
TraceSummary = dict[str, Any]
#: Called on the writer thread after a commit with the ids of the traces that changed.
TraceListener = Callable[[set[bytes]], None]


class StoreError(Exception):
    """The store failed to commit (the request may be retried)."""


class StoreBusy(StoreError):
    """The writer queue is full: answer 503 with Retry-After, the client retries."""


@dataclass
class TraceQuery:
    """Filters of a trace search; all optional. A trace matches when one of its spans matches
    ``service``, ``span_name``, every ``attributes`` pair (compared as text) and the duration
    range; ``errors`` keeps traces with an error span; times bound the matching span's start."""

    service: str | None = None
    span_name: str | None = None
    attributes: list[tuple[str, str]] = field(default_factory=list)
    min_duration_nano: int | None = None
    max_duration_nano: int | None = None
    since_unix_nano: int | None = None
    until_unix_nano: int | None = None
    errors: bool = False
    limit: int = 20


@dataclass
class LogQuery:
    service: str | None = None
    trace_id: bytes | None = None
    span_id: bytes | None = None
    severity_min: int | None = None
    text: str | None = None
    since_unix_nano: int | None = None
    until_unix_nano: int | None = None
    limit: int = 100


@dataclass
class MetricInfo:
    name: str
    type: str
    unit: str
    description: str
    services: list[str]
    is_monotonic: bool
    temporality: int


@dataclass
class Series:
    service: str
    attributes: dict[str, Any]
    points: list[MetricPoint]


@dataclass
class Edge:
    parent: str
    child: str
    call_count: int
    error_count: int


@dataclass
class Retention:
    """Keep data at most ``max_age_seconds`` old and the store at most ``max_bytes`` big."""

    max_age_seconds: float = 7 * 24 * 3600.0
    max_bytes: int = 1 << 30


class Store(Protocol):
    def ingest(
        self,
        spans: Sequence[Span] | PreparedSpans = (),
        metrics: Sequence[Metric] = (),
        logs: Sequence[LogRecord] = (),
        timeout_millis: float = 30_000,
    ) -> None:
        """Commit the telemetry; raises ``StoreBusy`` or ``StoreError``. ``spans`` may come
        as model spans or already as rows (``PreparedSpans``, built by a receiver)."""

    def services(self) -> list[str]: ...

    def find_traces(self, query: TraceQuery) -> list[TraceSummary]:
        """Matching trace summaries, newest first."""

    def trace_summaries(self, trace_ids: Sequence[bytes]) -> list[TraceSummary]: ...

    def get_trace(self, trace_id: bytes) -> list[Span]:
        """The spans of a trace by start time (empty when unknown)."""

    def find_logs(self, query: LogQuery) -> list[LogRecord]:
        """Matching log records, newest first."""

    def metrics(self) -> list[MetricInfo]: ...

    def metric_series(
        self,
        name: str,
        service: str | None,
        since_unix_nano: int | None,
        until_unix_nano: int | None,
        attributes: Sequence[tuple[str, str]] = (),
    ) -> tuple[MetricInfo, list[Series]] | None:
        """The metric's points grouped by (service, attributes), oldest first; None if
        unknown."""

    def dependencies(
        self, since_unix_nano: int | None, until_unix_nano: int | None
    ) -> list[Edge]: ...

    def add_listener(self, listener: TraceListener) -> None: ...

    def close(self, timeout_millis: float = 10_000) -> None:
        """Stop accepting data, commit what was accepted, release files."""
