"""Cheap SQL statement parsing: the operation name and the single collection it acts on.

``parse(statement) -> (operation, collection)``, either may be ``None``. It reads only the
start of the statement (leading comments and whitespace skipped) with one compiled regex
per operation, never the whole text, and never raises. Results are cached per statement
string in a bounded dict (cleared when full), so a repeated query costs one dict lookup.
Pure and thread-safe (the cache is a plain dict; a racing insert is harmless).
"""

from __future__ import annotations

import re

_CACHE_SIZE = 1024
_cache: dict[object, tuple[str | None, str | None]] = {}

# An identifier, possibly quoted ("x", `x`, [x]) and qualified (schema.table).
_PART = r'(?:"[^"]+"|`[^`]+`|\[[^\]]+\]|[A-Za-z_][\w$]*)'
_NAME = rf"({_PART}(?:\s*\.\s*{_PART}){{0,2}})"
_ALIAS = r"(?:\s+(?:AS\s+)?(?!WHERE\b|GROUP\b|ORDER\b|LIMIT\b)\w+)?"
_IF = r"(?:IF\s+(?:NOT\s+)?EXISTS\s+)?"

# Operation -> pattern whose group 1 is the collection; applied from the operation onwards.
_TARGETS: dict[str, str] = {
    "SELECT": rf"\bFROM\s+{_NAME}{_ALIAS}(\s*[,(])?",
    "DELETE": rf"DELETE\s+FROM\s+{_NAME}",
    "INSERT": rf"INSERT\s+(?:OR\s+\w+\s+)?INTO\s+{_NAME}",
    "REPLACE": rf"REPLACE\s+INTO\s+{_NAME}",
    "UPDATE": rf"UPDATE\s+(?:OR\s+\w+\s+)?(?:ONLY\s+)?{_NAME}",
    "CREATE": rf"CREATE\s+(?:TEMP\w*\s+|UNLOGGED\s+)?TABLE\s+{_IF}{_NAME}",
    "DROP": rf"DROP\s+TABLE\s+{_IF}{_NAME}",
    "ALTER": rf"ALTER\s+TABLE\s+{_IF}(?:ONLY\s+)?{_NAME}",
    "TRUNCATE": rf"TRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?{_NAME}",
    "COPY": rf"COPY\s+{_NAME}",
}
_MAY_JOIN = frozenset(("SELECT", "DELETE", "UPDATE"))
_compiled: dict[str, re.Pattern[str]] = {}
_join: re.Pattern[str] | None = None


def _join_pattern() -> re.Pattern[str]:
    global _join
    if _join is None:
        _join = re.compile(r"\bJOIN\b", re.I)
    return _join


_leading: re.Pattern[str] | None = None


def _leading_pattern() -> re.Pattern[str]:
    global _leading
    if _leading is None:
        # Whitespace and comments, then the first word.
        _leading = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*([A-Za-z]+)", re.S)
    return _leading


def _unquote(name: str) -> str:
    parts = [part.strip().strip('"`[]') for part in name.split(".")]
    return ".".join(parts)


def _parse(statement: str) -> tuple[str | None, str | None]:
    match = _leading_pattern().match(statement)
    if match is None:
        return None, None
    operation = match.group(1).upper()
    source = _TARGETS.get(operation)
    if source is None:
        return operation, None
    pattern = _compiled.get(operation)
    if pattern is None:
        pattern = _compiled[operation] = re.compile(source, re.I | re.S)
    found = pattern.search(statement, match.start(1))
    if found is not None and operation in _MAY_JOIN and _join_pattern().search(statement):
        return operation, None  # a join acts on several tables
    if found is None:
        return operation, None
    if found.lastindex and found.lastindex >= 2 and found.group(2):
        return operation, None  # several tables (a join, a list) or a function: not one
    return operation, _unquote(found.group(1))


def parse(statement: object) -> tuple[str | None, str | None]:
    """``(operation, collection)`` of a SQL statement (str or bytes); ``(None, None)`` if
    it cannot be read. ``operation`` is the first keyword upper-cased (``SELECT``)."""
    try:
        cached = _cache.get(statement)
    except TypeError:  # unhashable (a composed query object)
        cached = None
    if cached is not None:
        return cached
    text = statement
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", "replace")
    if not isinstance(text, str):
        text = _as_text(text)
        if text is None:
            return None, None
    try:
        result = _parse(text)
    except Exception:  # pragma: no cover - a regex on a str does not raise
        result = (None, None)
    if isinstance(statement, (str, bytes)):
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[statement] = result
    return result


def _as_text(statement: object) -> str | None:
    """Text of a non-string query object (psycopg ``sql.Composed``: ``as_string(None)``)."""
    as_string = getattr(statement, "as_string", None)
    if as_string is not None:
        try:
            value = as_string(None)
        except Exception:
            value = None
        if isinstance(value, str):
            return value
    return None


def query_text(statement: object) -> str | None:
    """The statement as a ``str`` for ``db.query.text`` (None when it has no text form)."""
    if isinstance(statement, str):
        return statement
    if isinstance(statement, (bytes, bytearray)):
        return bytes(statement).decode("utf-8", "replace")
    return _as_text(statement)
