"""The exposition model: metric families keyed by name, series keyed by their label text.

One model serves three jobs: what a reader's collection translates into, what a prefork
worker writes to its snapshot file (it is plain lists, so JSON round-trips it), and what
the encoders render. ``Exposition.family`` enforces one HELP/TYPE per family and refuses a
family whose sample names clash with another's; ``Exposition.add`` merges a series into
one already there (sums and histograms add, gauges keep the newest).

Series layouts (lists, index constants below):
- ``counter``: ``[value, created_seconds | None, exemplar_text | None]``
- ``gauge`` / ``info``: ``[value]``; ``updown`` (a non-monotonic sum, TYPE gauge, but
  additive across processes): ``[value]``
- ``histogram`` with explicit buckets: ``["h", bounds, counts, sum, count, created,
  negative, exemplars]``
- ``histogram`` from an exponential histogram: ``["e", scale, zero_count, zero_threshold,
  positive_offset, positive_counts, negative_offset, negative_counts, sum, count, created,
  negative, exemplars]``; rendered as classic buckets at encode time.

``exemplars`` is a list of ``[value, text]`` where text is the rendered OpenMetrics
exemplar (``{trace_id="...",span_id="..."} 1.5 1700000000.0``). Not thread-safe: each
scrape builds its own Exposition.
"""

from __future__ import annotations

import math
from typing import Any

from otel._log import get_logger
from otel._once import FirstSeen

_logger = get_logger("otel.exporter.prometheus")
_WARNED = FirstSeen(512)

# Sample names each kind of family owns (beside its own name), as OpenMetrics reserves them.
_SUFFIXES = {
    "counter": ("_total", "_created"),
    "gauge": (),
    "updown": (),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "info": ("_info",),
}

Series = list[Any]


def warn_once(key: object, message: str, *args: object) -> None:
    """Log a warning the first time ``key`` is seen (bounded memory)."""
    if _WARNED.first(key):
        _logger.warning(message, *args)


class Family:
    """One metric family: name (OpenMetrics spelling, no ``_total``), kind, help, unit."""

    __slots__ = ("help", "kind", "name", "series", "unit")

    def __init__(self, name: str, kind: str, help_text: str, unit: str) -> None:
        self.name = name
        self.kind = kind
        self.help = help_text
        self.unit = unit
        self.series: dict[str, Series] = {}

    def to_json(self) -> list[Any]:
        return [self.name, self.kind, self.help, self.unit, self.series]


class Exposition:
    """The families of one scrape, in first-seen order, with name-clash protection."""

    __slots__ = ("_owners", "families")

    def __init__(self) -> None:
        self.families: dict[str, Family] = {}
        self._owners: dict[str, str] = {}

    def family(self, name: str, kind: str, help_text: str, unit: str) -> Family | None:
        """The family called ``name``, created on first use; None if it cannot be exposed.

        A second metric with the same name and kind joins the family (the first HELP wins);
        a different kind, or sample names another family already owns, drops the metric
        with a warning logged once (the specification's rule for conflicting TYPEs).
        """
        existing = self.families.get(name)
        if existing is not None:
            if existing.kind != kind:
                warn_once(
                    ("type", name, kind),
                    "Prometheus: metric %r is a %s but an earlier metric with that name is a "
                    "%s; it is not exposed (one TYPE per family)",
                    name,
                    kind,
                    existing.kind,
                )
                return None
            if help_text != existing.help and existing.help and help_text:
                warn_once(
                    ("help", name),
                    "Prometheus: metrics named %r have different descriptions; "
                    "the first one is the HELP text",
                    name,
                )
            return existing
        owners = self._owners
        names = [name, *(name + suffix for suffix in _SUFFIXES[kind])]
        for sample_name in names:
            owner = owners.get(sample_name)
            if owner is not None:
                warn_once(
                    ("clash", name, owner),
                    "Prometheus: metric %r (%s) would expose samples named like family %r; "
                    "it is not exposed",
                    name,
                    kind,
                    owner,
                )
                return None
        for sample_name in names:
            owners[sample_name] = name
        family = Family(name, kind, help_text, unit)
        self.families[name] = family
        return family

    def add(self, family: Family, key: str, series: Series) -> None:
        """Put ``series`` under ``key``; merge with a series already there (see module doc)."""
        current = family.series.get(key)
        if current is None:
            family.series[key] = series
            return
        kind = family.kind
        if kind == "counter":
            current[0] += series[0]
            if series[1] is not None and (current[1] is None or series[1] < current[1]):
                current[1] = series[1]
            if series[2] is not None:
                current[2] = series[2]
        elif kind == "updown":
            current[0] += series[0]
        elif kind == "histogram":
            merged = merge_histograms(current, series)
            if merged is None:
                warn_once(
                    ("buckets", family.name),
                    "Prometheus: histogram %r has series with different bucket boundaries "
                    "under the same labels; only the first is exposed",
                    family.name,
                )
            else:
                family.series[key] = merged
        else:
            family.series[key] = series

    def to_json(self) -> list[Any]:
        return [f.to_json() for f in self.families.values()]

    def add_json(
        self, data: list[Any], pid_label: str | None = None, *, gauges: bool = True
    ) -> None:
        """Merge a snapshot written by ``to_json`` (another process's families).

        ``pid_label`` (``pid="123"``) is prepended to gauge series keys: gauges of
        different processes are separate series, not added up. ``gauges=False`` skips
        gauge and info families (a dead process's last values mean nothing any more).
        """
        for name, kind, help_text, unit, series in data:
            if not gauges and kind in ("gauge", "info"):
                continue
            family = self.family(name, kind, help_text, unit)
            if family is None:
                continue
            tag = pid_label if pid_label is not None and kind == "gauge" else None
            for key, value in series.items():
                if tag is not None:
                    key = f"{tag},{key}" if key else tag
                self.add(family, key, value)


# --- histograms ---------------------------------------------------------------------------


def merge_histograms(a: Series, b: Series) -> Series | None:
    """The sum of two histogram series (None when explicit bucket bounds differ)."""
    if a[0] == "h" and b[0] == "h":
        if list(a[1]) != list(b[1]):
            return None
        counts = [x + y for x, y in zip(a[2], b[2], strict=True)]
        created = _earliest(a[5], b[5])
        return ["h", a[1], counts, a[3] + b[3], a[4] + b[4], created, a[6] or b[6], a[7] + b[7]]
    if a[0] == "e" and b[0] == "e":
        return _merge_exponential(a, b)
    return None


def _earliest(x: float | None, y: float | None) -> float | None:
    if x is None:
        return y
    if y is None:
        return x
    return min(x, y)


def _downscaled(offset: int, counts: list[int], shift: int) -> dict[int, int]:
    out: dict[int, int] = {}
    for i, count in enumerate(counts):
        if count:
            index = (offset + i) >> shift
            out[index] = out.get(index, 0) + count
    return out


def _dense(buckets: dict[int, int]) -> tuple[int, list[int]]:
    if not buckets:
        return 0, []
    low, high = min(buckets), max(buckets)
    return low, [buckets.get(i, 0) for i in range(low, high + 1)]


def _merge_exponential(a: Series, b: Series) -> Series:
    scale = min(a[1], b[1])
    positive: dict[int, int] = {}
    negative: dict[int, int] = {}
    for s in (a, b):
        shift = s[1] - scale
        for index, count in _downscaled(s[4], s[5], shift).items():
            positive[index] = positive.get(index, 0) + count
        for index, count in _downscaled(s[6], s[7], shift).items():
            negative[index] = negative.get(index, 0) + count
    pos_offset, pos_counts = _dense(positive)
    neg_offset, neg_counts = _dense(negative)
    return [
        "e",
        scale,
        a[2] + b[2],
        max(a[3], b[3]),
        pos_offset,
        pos_counts,
        neg_offset,
        neg_counts,
        a[8] + b[8],
        a[9] + b[9],
        _earliest(a[10], b[10]),
        a[11] or b[11],
        a[12] + b[12],
    ]


def _power(index: int, scale: int) -> float:
    """``base ** index`` with ``base = 2 ** (2 ** -scale)``: the bucket boundaries."""
    if scale <= 0:
        return math.ldexp(1.0, index << -scale)
    size = 1 << scale
    return math.ldexp(2.0 ** ((index & (size - 1)) / size), index >> scale)


def exponential_as_classic(series: Series) -> tuple[list[float], list[int]]:
    """Classic bucket bounds (ascending ``le``, without +Inf) and per-bucket counts.

    Negative bucket ``i`` holds values in ``[-base**(i+1), -base**i)`` so its ``le`` is
    ``-base**i``; the zero bucket's ``le`` is the zero threshold; positive bucket ``i``
    holds ``(base**i, base**(i+1)]`` so its ``le`` is ``base**(i+1)``. The last bucket
    (+Inf) gets nothing: every value falls in a finite bucket.
    """
    scale, zero_count, zero_threshold = series[1], series[2], float(series[3])
    pos_offset, pos_counts, neg_offset, neg_counts = series[4], series[5], series[6], series[7]
    bounds: list[float] = []
    counts: list[int] = []
    for i in range(len(neg_counts) - 1, -1, -1):
        bounds.append(-_power(neg_offset + i, scale))
        counts.append(neg_counts[i])
    bounds.append(zero_threshold)
    counts.append(zero_count)
    last = zero_threshold
    for i, count in enumerate(pos_counts):
        bound = _power(pos_offset + i + 1, scale)
        if bound <= last:  # a positive bucket below the zero threshold: fold it in
            counts[-1] += count
            continue
        bounds.append(bound)
        counts.append(count)
        last = bound
    return bounds, counts
