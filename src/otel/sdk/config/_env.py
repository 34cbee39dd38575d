"""Typed readers for OTEL_* environment variables.

Every reader takes the variable name and a default, reads ``os.environ`` at call time
(never at import), and on an invalid value logs one warning naming the variable and
returns the default: a typo in the environment must not break the application.
"""

from __future__ import annotations

import os

from otel._log import get_logger

_logger = get_logger("otel.sdk.config")

_TRUE = frozenset({"true"})
_FALSE = frozenset({"false"})


def env_str(name: str, default: str | None = None) -> str | None:
    """The stripped value of ``name``, or ``default`` when unset or empty."""
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip()
    return value if value else default


def env_bool(name: str, default: bool = False) -> bool:
    """``true``/``false`` (case-insensitive) per the spec; anything else warns, gives default."""
    value = env_str(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    _logger.warning("Invalid boolean %r for %s; using %s", value, name, default)
    return default


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """A whole number (``minimum`` enforced); an invalid value warns and gives ``default``."""
    value = env_str(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        _logger.warning("Invalid integer %r for %s; using %s", value, name, default)
        return default
    if minimum is not None and number < minimum:
        _logger.warning("%s=%s is below %s; using %s", name, number, minimum, default)
        return default
    return number


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    """A number (``minimum`` enforced); an invalid value warns and gives ``default``."""
    value = env_str(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        _logger.warning("Invalid number %r for %s; using %s", value, name, default)
        return default
    if number != number or (minimum is not None and number < minimum):
        _logger.warning("%s=%s is out of range; using %s", name, value, default)
        return default
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """A comma-separated list, entries stripped, empty entries removed."""
    value = env_str(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_key_value_list(text: str, *, source: str) -> dict[str, str]:
    """Parse ``k1=v1,k2=v2`` with percent-decoded keys and values (W3C-baggage style).

    Used by OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS. A malformed entry is
    skipped with a warning naming ``source``; the others are kept.
    """
    from urllib.parse import unquote  # lazily: keeps ~1.6 ms off `import otel.sdk`

    result: dict[str, str] = {}
    for entry in text.split(","):
        if not entry.strip():
            continue
        key, sep, value = entry.partition("=")
        key = unquote(key.strip())
        if not sep or not key:
            _logger.warning("Ignoring malformed entry %r in %s", entry, source)
            continue
        result[key] = unquote(value.strip())
    return result


def sdk_disabled() -> bool:
    """True when ``OTEL_SDK_DISABLED=true``: SDK providers then hand out no-op objects."""
    return env_bool("OTEL_SDK_DISABLED", False)
