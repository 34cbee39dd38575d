"""Per-instrumentation HTTP configuration, read once when an instrumentation is built.

- Excluded URLs: ``OTEL_PYTHON_<LIB>_EXCLUDED_URLS`` (falls back to
  ``OTEL_PYTHON_EXCLUDED_URLS``) or an ``excluded_urls=`` argument: comma-separated
  regular expressions searched in the full URL. Compiled once into one pattern.
- Header capture: ``OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST`` /
  ``_SERVER_RESPONSE`` / ``_CLIENT_REQUEST`` / ``_CLIENT_RESPONSE`` list header names
  (case-insensitive; an entry with regex characters such as ``x-.*`` is a full-match
  pattern). Values of names matching ``..._SANITIZE_FIELDS`` are replaced by
  ``[REDACTED]``. Captured as ``http.request.header.<name>`` / ``http.response.header.<name>``
  with a tuple of values.

Nothing here raises: a bad pattern is logged and skipped.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from otel.instrumentation._http._semconv import HTTP_DURATION_BUCKETS
from otel.metrics import Histogram, Meter, MeterProvider, get_meter

_logger = logging.getLogger("otel.instrumentation")

_CAPTURE_ENV = "OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_"
SANITIZE_ENV = "OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SANITIZE_FIELDS"
REDACTED_HEADER = "[REDACTED]"
_REGEX_CHARS = frozenset(".*+?[](){}|^$\\")


def _split(raw: str | Iterable[str] | None) -> list[str]:
    if raw is None:
        return []
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return [item.strip() for item in items if isinstance(item, str) and item.strip()]


def _compile(patterns: list[str], flags: int = 0) -> re.Pattern[str] | None:
    good: list[str] = []
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            _logger.warning("Ignoring invalid URL/header pattern %r: %s", pattern, exc)
            continue
        good.append(f"(?:{pattern})")
    if not good:
        return None
    return re.compile("|".join(good), flags)


class ExcludedUrls:
    """Matches URLs against the excluded patterns (``re.search``); falsy when empty."""

    __slots__ = ("search",)

    def __init__(self, patterns: str | Iterable[str] | None) -> None:
        compiled = _compile(_split(patterns))
        # ``re.search`` of the joined patterns, None when there are none
        self.search: Callable[[str], re.Match[str] | None] | None = (
            compiled.search if compiled is not None else None
        )

    def __bool__(self) -> bool:
        return self.search is not None

    def url_disabled(self, url: str) -> bool:
        """True when ``url`` matches one of the patterns (official name)."""
        search = self.search
        return search is not None and search(url) is not None


def excluded_urls_for(library: str, excluded_urls: str | Iterable[str] | None) -> ExcludedUrls:
    """The argument when given, else ``OTEL_PYTHON_<LIBRARY>_EXCLUDED_URLS``, else
    ``OTEL_PYTHON_EXCLUDED_URLS``."""
    if excluded_urls is None:
        excluded_urls = os.environ.get(f"OTEL_PYTHON_{library.upper()}_EXCLUDED_URLS")
        if excluded_urls is None:
            excluded_urls = os.environ.get("OTEL_PYTHON_EXCLUDED_URLS")
    return ExcludedUrls(excluded_urls)


class HeaderCapture:
    """Which headers to record as span attributes, and which values to redact.

    ``capture(pairs)`` takes ``(name, value)`` pairs (names in any case) and returns
    ``{attribute: tuple_of_values}``; ``exact_names`` (lower case) lets a caller look the
    configured names up directly instead of scanning every header. Falsy when nothing is
    configured, so callers skip it with one test.
    """

    __slots__ = (
        "_match",
        "_prefix",
        "_sanitize_exact",
        "_sanitize_match",
        "active",
        "exact_names",
    )

    def __init__(
        self, names: str | Iterable[str] | None, sanitize: str | Iterable[str] | None, prefix: str
    ) -> None:
        exact, patterns = _exact_and_patterns(_split(names))
        self.exact_names: frozenset[str] = frozenset(exact)
        compiled = _compile(patterns, re.IGNORECASE)
        self._match = compiled.fullmatch if compiled is not None else None
        s_exact, s_patterns = _exact_and_patterns(_split(sanitize))
        self._sanitize_exact = frozenset(s_exact)
        s_compiled = _compile(s_patterns, re.IGNORECASE)
        self._sanitize_match = s_compiled.fullmatch if s_compiled is not None else None
        self._prefix = prefix
        # what ``bool()`` answers, as a plain attribute a request path reads without a call
        self.active: bool = bool(self.exact_names) or self._match is not None

    def __bool__(self) -> bool:
        return self.active

    def wants(self, name: str) -> bool:
        """True when header ``name`` (lower case) is to be captured."""
        if name in self.exact_names:
            return True
        match = self._match
        return match is not None and match(name) is not None

    def capture(self, pairs: Iterable[tuple[Any, Any]]) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        for raw_name, raw_value in pairs:
            name = _text(raw_name).lower()
            if not self.wants(name):
                continue
            found.setdefault(name, []).append(_text(raw_value))
        out: dict[str, tuple[str, ...]] = {}
        for name, values in found.items():
            if self._sanitized(name):
                values = [REDACTED_HEADER] * len(values)
            out[f"{self._prefix}{name}"] = tuple(values)
        return out

    def capture_mapping(self, headers: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
        """Like ``capture`` for a mapping (lists of values are spread)."""
        pairs: list[tuple[Any, Any]] = []
        for name, value in headers.items():
            if isinstance(value, list | tuple):
                pairs.extend((name, item) for item in value)
            else:
                pairs.append((name, value))
        return self.capture(pairs)

    def _sanitized(self, name: str) -> bool:
        if name in self._sanitize_exact:
            return True
        match = self._sanitize_match
        return match is not None and match(name) is not None


def _exact_and_patterns(items: list[str]) -> tuple[list[str], list[str]]:
    exact: list[str] = []
    patterns: list[str] = []
    for item in items:
        if _REGEX_CHARS.intersection(item):
            patterns.append(item)
        else:
            exact.append(item.lower())
    return exact, patterns


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


def header_capture(
    side: str,
    request_headers: str | Iterable[str] | None = None,
    response_headers: str | Iterable[str] | None = None,
    sanitize_fields: str | Iterable[str] | None = None,
) -> tuple[HeaderCapture, HeaderCapture]:
    """``(request, response)`` captures for ``side`` ``"SERVER"`` or ``"CLIENT"``:
    arguments when given, else the ``OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_*`` variables."""
    env = os.environ
    if request_headers is None:
        request_headers = env.get(f"{_CAPTURE_ENV}{side}_REQUEST")
    if response_headers is None:
        response_headers = env.get(f"{_CAPTURE_ENV}{side}_RESPONSE")
    if sanitize_fields is None:
        sanitize_fields = env.get(SANITIZE_ENV)
    return (
        HeaderCapture(request_headers, sanitize_fields, "http.request.header."),
        HeaderCapture(response_headers, sanitize_fields, "http.response.header."),
    )


def duration_histogram(
    name: str,
    instrumentation: str,
    version: str,
    meter_provider: MeterProvider | None,
    description: str,
) -> Histogram:
    """The ``http.server.request.duration`` / ``http.client.request.duration`` histogram
    (unit ``s``, the spec's advisory buckets) from ``meter_provider`` or the global one."""
    meter: Meter = get_meter(instrumentation, version, meter_provider)
    return meter.create_histogram(
        name,
        unit="s",
        description=description,
        explicit_bucket_boundaries_advisory=HTTP_DURATION_BUCKETS,
    )
