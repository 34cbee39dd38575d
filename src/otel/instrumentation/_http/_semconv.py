"""Stable HTTP semantic conventions shared by every server and client instrumentation.

Pure functions and constants, no I/O, never raise on odd input: method normalisation
(unknown methods become ``_OTHER``), span names (``GET /users/<id>`` from a route
template, never the raw path; ``GET`` alone without a route), ``url.full`` with
credentials and signed query parameters redacted, the span status rules (ERROR for 5xx
on servers, for 4xx and 5xx on clients) and ``error.type``.
"""

from __future__ import annotations

KNOWN_METHODS: frozenset[str] = frozenset(
    ("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE", "QUERY")
)
OTHER = "_OTHER"
_REDACTED = "REDACTED"
# Query parameters whose values are secrets in signed URLs (semconv's default list).
_SIGNED_QUERY_KEYS = ("AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature")

# Pre-built ``str(code)`` for the error codes: ``error.type`` without a per-request format.
_CODE_STR = {code: str(code) for code in range(400, 600)}

HTTP_DURATION_BUCKETS: tuple[float, ...] = (
    0.005,
    0.01,
    0.025,
    0.05,
    0.075,
    0.1,
    0.25,
    0.5,
    0.75,
    1.0,
    2.5,
    5.0,
    7.5,
    10.0,
)
"""The spec's advisory bucket boundaries (seconds) for the HTTP duration histograms."""


def normalize_method(method: object) -> tuple[str, str | None]:
    """``(http.request.method, http.request.method_original or None)``.

    A known method in any case is upper-cased (the original is kept when it differed);
    anything else is ``_OTHER`` with the original beside it.
    """
    if type(method) is str:
        if method in KNOWN_METHODS:
            return method, None
        upper = method.upper()
        if upper in KNOWN_METHODS:
            return upper, method
        return OTHER, method
    if isinstance(method, bytes):
        return normalize_method(method.decode("latin-1"))
    return OTHER, None if method is None else str(method)


def span_name(method: str, route: str | None = None) -> str:
    """``{method} {route}``, ``{method}`` without a route; ``HTTP`` stands for ``_OTHER``."""
    if method == OTHER:
        method = "HTTP"
    if route:
        return f"{method} {route}"
    return method


def redact_url(url: str) -> str:
    """``url`` with ``user:password@`` replaced by ``REDACTED:REDACTED@`` and the values of
    signed-URL query parameters (``Signature``, ``sig``, ...) by ``REDACTED``."""
    try:
        scheme_end = url.find("://")
        if scheme_end >= 0:
            start = scheme_end + 3
            end = len(url)
            for sep in "/?#":
                pos = url.find(sep, start)
                if 0 <= pos < end:
                    end = pos
            at = url.rfind("@", start, end)
            if at >= 0:
                url = f"{url[:start]}{_REDACTED}:{_REDACTED}{url[at:]}"
        query_start = url.find("?")
        if query_start >= 0 and any(key in url for key in _SIGNED_QUERY_KEYS):
            url = url[: query_start + 1] + _redact_query(url[query_start + 1 :])
        return url
    except Exception:  # never break a request over a URL we cannot read
        return ""


def _redact_query(query: str) -> str:
    fragment = ""
    hash_pos = query.find("#")
    if hash_pos >= 0:
        query, fragment = query[:hash_pos], query[hash_pos:]
    parts = query.split("&")
    for index, part in enumerate(parts):
        key, eq, _ = part.partition("=")
        if eq and key in _SIGNED_QUERY_KEYS:
            parts[index] = f"{key}={_REDACTED}"
    return "&".join(parts) + fragment


def error_type_of(exception: BaseException) -> str:
    """``error.type`` for an exception: its fully qualified class name (builtins bare)."""
    cls = type(exception)
    module = cls.__module__
    if module == "builtins":
        return cls.__qualname__
    return f"{module}.{cls.__qualname__}"


def server_error_type(status_code: int) -> str | None:
    """``error.type`` for a server response status: the code for 5xx, else None."""
    if status_code >= 500:
        return _CODE_STR.get(status_code) or str(status_code)
    return None


def client_error_type(status_code: int) -> str | None:
    """``error.type`` for a client response status: the code for 4xx/5xx, else None."""
    if status_code >= 400:
        return _CODE_STR.get(status_code) or str(status_code)
    return None


def parse_status(status: object) -> int:
    """The integer code of a WSGI status line (``"404 Not Found"``) or an int; 0 if unreadable."""
    if type(status) is int:
        return status
    try:
        return int(str(status)[:3])
    except (TypeError, ValueError):
        return 0


def split_host_port(value: str, default_port: int | None) -> tuple[str, int | None]:
    """``("example.com", 8080)`` from ``"example.com:8080"``; IPv6 ``[::1]:80`` too."""
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return value, default_port
        host = value[1:end]
        rest = value[end + 1 :]
        if rest.startswith(":") and rest[1:].isdigit():
            return host, int(rest[1:])
        return host, default_port
    host, colon, port = value.rpartition(":")
    if colon and port.isdigit() and ":" not in host:
        return host, int(port)
    return value, default_port


_SCHEME_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def url_parts(url: str) -> tuple[str, str, int | None]:
    """``(scheme, host, port)`` of an absolute URL (port defaulted from the scheme);
    ``("", "", None)`` when ``url`` is not absolute. Never raises."""
    try:
        scheme_end = url.find("://")
        if scheme_end <= 0:
            return "", "", None
        scheme = url[:scheme_end].lower()
        start = scheme_end + 3
        end = len(url)
        for sep in "/?#":
            pos = url.find(sep, start)
            if 0 <= pos < end:
                end = pos
        authority = url[start:end]
        at = authority.rfind("@")
        if at >= 0:
            authority = authority[at + 1 :]
        host, port = split_host_port(authority, _SCHEME_PORTS.get(scheme))
        return scheme, host, port
    except Exception:
        return "", "", None
