"""Same data, same buckets as the official OpenTelemetry Python SDK.

The official SDK runs in its own interpreter (``benchmarks/.venv-official``, created by
``make bench``) as an oracle; the test is skipped when that environment is missing. Values
are positive normal floats and zeros: the official SDK drops negative histogram values
and rounds subnormal values up to the smallest normal one, where otel keeps their exact
buckets (both allowed by the specification).
"""

from __future__ import annotations

import json
import math
import random
import struct
import subprocess
from pathlib import Path

import pytest

from otel.sdk.metrics._exponential import ExponentialHistogramAccumulator

pytestmark = pytest.mark.interop

OFFICIAL_PYTHON = Path(__file__).parents[4] / "benchmarks" / ".venv-official" / "bin" / "python"

_OFFICIAL_SCRIPT = """
import json, sys
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.metrics.view import ExponentialBucketHistogramAggregation, View

results = []
for case in json.load(sys.stdin):
    reader = InMemoryMetricReader()
    aggregation = ExponentialBucketHistogramAggregation(max_size=case["max_size"])
    provider = MeterProvider(
        metric_readers=[reader], views=[View(instrument_name="h", aggregation=aggregation)]
    )
    histogram = provider.get_meter("oracle").create_histogram("h")
    for value in case["values"]:
        histogram.record(value)
    metrics = reader.get_metrics_data().resource_metrics[0].scope_metrics[0].metrics
    point = metrics[0].data.data_points[0]
    counts = list(point.positive.bucket_counts)
    offset = point.positive.offset
    while counts and counts[0] == 0:
        counts.pop(0)
        offset += 1
    while counts and counts[-1] == 0:
        counts.pop()
    results.append([point.count, point.scale, point.zero_count, offset if counts else 0,
                    counts, point.min, point.max])
    provider.shutdown()
json.dump(results, sys.stdout)
"""


def _cases() -> list[dict[str, object]]:
    rng = random.Random(20251125)

    def any_normal() -> float:
        while True:
            bits = rng.getrandbits(63)
            v: float = struct.unpack("<d", struct.pack("<Q", bits))[0]
            if 2.2250738585072014e-308 <= v < math.inf:
                return v

    def near_power_of_two() -> float:
        p = math.ldexp(1.0, rng.randint(-1000, 1000))
        return rng.choice([p, math.nextafter(p, 0.0), math.nextafter(p, math.inf)])

    makers = [
        lambda: rng.lognormvariate(rng.uniform(-20, 20), rng.uniform(0.01, 5)),
        any_normal,
        near_power_of_two,
        lambda: rng.uniform(0, 1e-3),
        lambda: float(rng.randint(0, 10**6)),
        lambda: rng.expovariate(1 / 50.0),
    ]
    cases: list[dict[str, object]] = []
    for k in range(120):
        make = makers[k % len(makers)]
        values = [make() for _ in range(rng.randint(1, 150))]
        cases.append({"max_size": rng.choice([2, 3, 4, 8, 20, 64, 160]), "values": values})
    return cases


def test_buckets_match_the_official_sdk(official_python: str) -> None:
    cases = _cases()
    proc = subprocess.run(
        [official_python, "-c", _OFFICIAL_SCRIPT],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    official = json.loads(proc.stdout)
    for case, theirs in zip(cases, official, strict=True):
        acc = ExponentialHistogramAccumulator(max_size=case["max_size"])  # type: ignore[arg-type]
        for v in case["values"]:  # type: ignore[attr-defined]
            acc.record(v)
        s = acc.snapshot()
        ours = [s.count, s.scale, s.zero_count, s.positive_offset, s.positive_bucket_counts]
        assert [*ours, s.min, s.max] == theirs, case["max_size"]
