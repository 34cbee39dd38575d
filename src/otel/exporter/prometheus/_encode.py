"""Render an :class:`Exposition` as Prometheus text 0.0.4 or OpenMetrics 1.0 text.

Pure functions, no I/O. The two formats differ in: the family name of counters (text:
``x_total``; OpenMetrics: ``x`` with samples ``x_total``), ``# UNIT`` lines, ``_created``
samples and exemplars (OpenMetrics only), the ``info`` type (text: a gauge), HELP escaping
(OpenMetrics also escapes ``"``) and the final ``# EOF`` (OpenMetrics only).
"""

from __future__ import annotations

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
    if kind == "info" and not om:
        append(f"# TYPE {header} gauge\n")
    else:
        append(f"# TYPE {header} {kind}\n")
    if om and family.unit:
        append(f"# UNIT {header} {family.unit}\n")
    series = family.series
    if kind == "gauge":
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
        for labels, histogram in series.items():
            _histogram(append, name, labels, histogram, om)


def _histogram(append: Any, name: str, labels: str, sample: list[Any], om: bool) -> None:
    if sample[0] == "h":
        _, bounds, counts, total, count, created, negative, exemplars = sample
    else:
        bounds, counts = exponential_as_classic(sample)
        total, count, created, negative, exemplars = sample[8:13]
    bucket = f"{name}_bucket{{{labels}," if labels else f"{name}_bucket{{"
    chosen = _bucket_exemplars(bounds, exemplars) if om and exemplars else None
    running = 0
    for i, bound in enumerate(bounds):
        running += counts[i]
        line = f'{bucket}le="{format_le(bound)}"}} {running}'
        if chosen is not None and chosen[i] is not None:
            line = f"{line} # {chosen[i]}"
        append(line + "\n")
    line = f'{bucket}le="+Inf"}} {count}'
    if chosen is not None and chosen[-1] is not None:
        line = f"{line} # {chosen[-1]}"
    append(line + "\n")
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
