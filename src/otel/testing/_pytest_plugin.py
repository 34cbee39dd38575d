"""pytest plugin (entry point ``pytest11``): otel's capture helpers as fixtures.

Each fixture yields what the context manager of the same name yields, for one test.
Loading this plugin has no side effect beyond registering the fixtures.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from otel.testing._logs import CapturedLogs
from otel.testing._logs import capture_logs as _capture_logs
from otel.testing._metrics import CapturedMetrics
from otel.testing._metrics import capture_metrics as _capture_metrics
from otel.testing._spans import CapturedSpans
from otel.testing._spans import capture_spans as _capture_spans


@pytest.fixture(name="capture_spans")
def capture_spans_fixture() -> Iterator[CapturedSpans]:
    """The spans finished during the test (the global TracerProvider records them)."""
    with _capture_spans() as captured:
        yield captured


@pytest.fixture(name="capture_metrics")
def capture_metrics_fixture() -> Iterator[CapturedMetrics]:
    """Metrics recorded during the test, collected on demand."""
    with _capture_metrics() as captured:
        yield captured


@pytest.fixture(name="capture_logs")
def capture_logs_fixture() -> Iterator[CapturedLogs]:
    """Log records emitted during the test, stdlib ``logging`` included."""
    with _capture_logs() as captured:
        yield captured
