"""OpenTelemetry names, units and attributes turned into Prometheus ones.

Pure functions (no I/O, no shared state except the bounded caches they fill), following the
OpenTelemetry "Prometheus and OpenMetrics compatibility" specification: invalid characters
become ``_``, runs of ``_`` collapse to one, units are spelled out and appended to the name
unless it already ends with them, annotations in braces are dropped, ``1`` is ``ratio`` for
gauges, ``a/b`` is ``a_per_b``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping

_INVALID_METRIC = re.compile(r"[^a-zA-Z0-9_:]")
_INVALID_LABEL = re.compile(r"[^a-zA-Z0-9_]")
_RUNS = re.compile(r"__+")
_ANNOTATION = re.compile(r"\{[^}]*\}")

# UCUM-ish units the semantic conventions use, spelled as Prometheus names them.
_UNIT_WORDS = {
    "d": "days",
    "h": "hours",
    "min": "minutes",
    "s": "seconds",
    "ms": "milliseconds",
    "us": "microseconds",
    "ns": "nanoseconds",
    "By": "bytes",
    "KiBy": "kibibytes",
    "MiBy": "mebibytes",
    "GiBy": "gibibytes",
    "TiBy": "tibibytes",
    "KBy": "kilobytes",
    "MBy": "megabytes",
    "GBy": "gigabytes",
    "TBy": "terabytes",
    "m": "meters",
    "V": "volts",
    "A": "amperes",
    "J": "joules",
    "W": "watts",
    "g": "grams",
    "Cel": "celsius",
    "Hz": "hertz",
    "%": "percent",
}
# The denominator of "x/y" in the singular.
_PER_WORDS = {
    "s": "second",
    "m": "minute",
    "min": "minute",
    "h": "hour",
    "d": "day",
    "w": "week",
    "mo": "month",
    "y": "year",
}


def _collapse(text: str) -> str:
    return _RUNS.sub("_", text) if "__" in text else text


def sanitize_metric_name(name: str) -> str:
    """``name`` with characters outside ``[a-zA-Z0-9_:]`` replaced and ``_`` runs collapsed."""
    text = _collapse(_INVALID_METRIC.sub("_", name))
    if not text:
        return "_"
    if text[0].isdigit():
        text = _collapse("_" + text)
    return text


def sanitize_label_name(name: str) -> str:
    """``name`` as a valid label name (``[a-zA-Z_][a-zA-Z0-9_]*``, no ``_`` runs)."""
    text = _collapse(_INVALID_LABEL.sub("_", name))
    if not text:
        return "_"
    if text[0].isdigit():
        text = _collapse("_" + text)
    return text


def _unit_word(unit: str) -> str:
    word = _UNIT_WORDS.get(unit)
    if word is not None:
        return word
    return _collapse(_INVALID_LABEL.sub("_", unit)).strip("_")


def prometheus_unit(unit: str | None, *, is_gauge: bool) -> str:
    """The unit word(s) appended to a metric name ("" when the metric is unitless).

    ``{packets}`` and other annotations are dropped, ``1`` is ``ratio`` for gauges and
    nothing otherwise, ``By/s`` is ``bytes_per_second``.
    """
    if not unit:
        return ""
    text = _ANNOTATION.sub("", unit).strip() if "{" in unit else unit.strip()
    if not text:
        return ""
    if text == "1":
        return "ratio" if is_gauge else ""
    if "/" in text:
        top, _, bottom = text.partition("/")
        top_word = _unit_word(top.strip()) if top.strip() not in ("", "1") else ""
        bottom = bottom.strip()
        bottom_word = _PER_WORDS.get(bottom) or _unit_word(bottom)
        if not bottom_word:
            return top_word
        return f"{top_word}_per_{bottom_word}" if top_word else f"per_{bottom_word}"
    return _unit_word(text)


def family_name(name: str, unit_word: str, *, counter: bool, prefix: str = "") -> str:
    """The OpenMetrics family name: sanitized, prefixed, unit-suffixed, without ``_total``.

    Counters' samples are the family name plus ``_total``; a name that already ends with
    ``_total`` loses it here so the unit lands before it.
    """
    text = sanitize_metric_name(f"{prefix}_{name}" if prefix else name)
    if counter:
        while text.endswith("_total") and len(text) > 6:
            text = text[:-6]
    if unit_word and not (text == unit_word or text.endswith("_" + unit_word)):
        text = _collapse(f"{text}_{unit_word}")
    return text


def label_value(value: object) -> str:
    """An attribute value as a label value string (bools lowercase, sequences as JSON)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, (tuple, list)):
        return json.dumps([_json_item(v) for v in value], separators=(",", ":"))
    return str(value)


def _json_item(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return format_float(value)
    return value


def escape_label_value(text: str) -> str:
    """Label value escaping of both text formats: backslash, double quote, newline."""
    if "\\" in text or '"' in text or "\n" in text:
        return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return text


def format_float(value: float) -> str:
    """A float in exposition syntax: ``+Inf``, ``-Inf``, ``NaN`` or Python's shortest repr."""
    if value != value:
        return "NaN"
    if value == math.inf:
        return "+Inf"
    if value == -math.inf:
        return "-Inf"
    return repr(value)


def format_value(value: int | float) -> str:
    """A sample value: ints exactly, floats as ``format_float``."""
    if type(value) is int:
        return str(value)
    return format_float(float(value))


def format_le(bound: float) -> str:
    """A bucket bound as an ``le`` value (``+Inf`` is the one spelling OpenMetrics fixes)."""
    return format_float(float(bound))


def render_labels(
    pairs: Mapping[str, object], renamed: dict[str, str], reserved: frozenset[str]
) -> tuple[str, list[str]]:
    """``k="v",...`` for ``pairs`` (sorted, sanitized, colliding keys merged with ``;``).

    ``renamed`` caches key sanitisation; a key that sanitizes onto a ``reserved`` label
    (``le``, ``otel_scope_name``...) gets a leading ``_``. Returns the text and the
    original keys that collided (for the caller to log once).
    """
    merged: dict[str, list[tuple[str, str]]] = {}
    for key, value in pairs.items():
        label = renamed.get(key)
        if label is None:
            label = sanitize_label_name(key)
            if label in reserved:
                label = "_" + label
            if len(renamed) < 4096:
                renamed[key] = label
        merged.setdefault(label, []).append((key, label_value(value)))
    collided: list[str] = []
    parts = []
    for label in sorted(merged):
        entries = merged[label]
        if len(entries) == 1:
            text = entries[0][1]
        else:
            entries.sort()
            collided.extend(k for k, _ in entries)
            text = ";".join(v for _, v in entries)
        parts.append(f'{label}="{escape_label_value(text)}"')
    return ",".join(parts), collided
