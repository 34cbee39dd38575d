"""Render an :class:`Exposition` as Prometheus text 0.0.4 or OpenMetrics 1.0 text.

Pure functions, no I/O. The two formats differ in: the family name of counters (text:
``x_total``; OpenMetrics: ``x`` with samples ``x_total``), ``# UNIT`` lines, ``_created``
samples and exemplars (OpenMetrics only), the ``info`` type (text: a gauge), HELP escaping
(OpenMetrics also escapes ``"``) and the final ``# EOF`` (OpenMetrics only).
"""

from __future__ import annotations

from itertools import accumulate
from typing import Any

from otel.exporter.prometheus._model import Exposition, Family, exponential_as_classic
from otel.exporter.prometheus._names import format_float, format_le

TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8"


def _help(text: str, openmetrics: bool) -> str:
    if "\\" in text or "\n" in text:
        text = text.replace("\\", "\\\\").replace("\n", "\\n")
    if openmetrics and '"' in text:
        text = text.replace('"', '\\"')
    return text


def _value(value: Any) -> str:
    return str(value) if type(value) is int else format_float(float(value))


def encode(exposition: Exposition, openmetrics: bool) -> str:
    """The whole exposition as text in the chosen format."""
    out: list[str] = []
    for family in exposition.families.values():
        if family.series:
            _family(out, family, openmetrics)
    if openmetrics:
        out.append("# EOF\n")
    return "".join(out)


def _family(out: list[str], family: Family, om: bool) -> None:
    name, kind = family.name, family.kind
    append = out.append
    if kind == "counter":
        header = name if om else name + "_total"
    elif kind == "info":
        header = name if om else name + "_info"
    else:
        header = name
    append(f"# HELP {header} {_help(family.help, om)}\n")
    if (kind == "info" and not om) or kind == "updown":
        append(f"# TYPE {header} gauge\n")
    else:
        append(f"# TYPE {header} {kind}\n")
    if om and family.unit:
        append(f"# UNIT {header} {family.unit}\n")
    series = family.series
    if kind in ("gauge", "updown"):
        for labels, (value,) in series.items():
            if labels:
                append(f"{name}{{{labels}}} {_value(value)}\n")
            else:
                append(f"{name} {_value(value)}\n")
    elif kind == "info":
        sample = name + "_info"
        for labels in series:
            append(f"{sample}{{{labels}}} 1\n" if labels else f"{sample} 1\n")
    elif kind == "counter":
        total = name + "_total"
        created_name = name + "_created"
        for labels, (value, created, exemplar) in series.items():
            braces = f"{{{labels}}}" if labels else ""
            if om and exemplar is not None:
                append(f"{total}{braces} {_value(value)} # {exemplar}\n")
            else:
                append(f"{total}{braces} {_value(value)}\n")
            if om and created is not None:
                append(f"{created_name}{braces} {format_float(created)}\n")
    else:
        cache: dict[tuple[float, ...], list[str]] = {}
        for labels, histogram in series.items():
            _histogram(append, name, labels, histogram, om, cache)


def _le_texts(bounds: list[float], cache: dict[tuple[float, ...], list[str]]) -> list[str]:
    key = tuple(bounds)
    texts = cache.get(key)
    if texts is None:
        texts = [f'le="{format_le(bound)}"}} ' for bound in bounds]
        if len(cache) < 256:
            cache[key] = texts
    return texts


def _histogram(
    append: Any,
    name: str,
    labels: str,
    sample: list[Any],
    om: bool,
    cache: dict[tuple[float, ...], list[str]],
) -> None:
    if sample[0] == "h":
        _, bounds, counts, total, count, created, negative, exemplars = sample
    else:
        bounds, counts = exponential_as_classic(sample)
        total, count, created, negative, exemplars = sample[8:13]
    bucket = f"{name}_bucket{{{labels}," if labels else f"{name}_bucket{{"
    les = _le_texts(bounds, cache)
    if om and exemplars:
        chosen = _bucket_exemplars(bounds, exemplars)
        for le, running, exemplar in zip(les, accumulate(counts), chosen, strict=False):
            if exemplar is None:
                append(f"{bucket}{le}{running}\n")
            else:
                append(f"{bucket}{le}{running} # {exemplar}\n")
        if chosen[-1] is not None:
            append(f'{bucket}le="+Inf"}} {count} # {chosen[-1]}\n')
        else:
            append(f'{bucket}le="+Inf"}} {count}\n')
    else:
        for le, running in zip(les, accumulate(counts), strict=False):
            append(f"{bucket}{le}{running}\n")
        append(f'{bucket}le="+Inf"}} {count}\n')
    braces = f"{{{labels}}}" if labels else ""
    append(f"{name}_count{braces} {count}\n")
    if not negative:
        append(f"{name}_sum{braces} {_value(total)}\n")
    if om and created is not None:
        append(f"{name}_created{braces} {format_float(created)}\n")


def _bucket_exemplars(bounds: list[float], exemplars: list[Any]) -> list[str | None]:
    """One exemplar per bucket (the +Inf bucket last), as the specification asks.

    A bucket shows its largest exemplar; a bucket without one repeats the nearest lower
    bucket's (it holds that value too: buckets are cumulative).
    """
    ordered = sorted(exemplars, key=lambda e: e[0])
    chosen: list[str | None] = []
    current: str | None = None
    j = 0
    for bound in [*bounds, float("inf")]:
        while j < len(ordered) and ordered[j][0] <= bound:
            current = ordered[j][1]
            j += 1
        chosen.append(current)
    return chosen
