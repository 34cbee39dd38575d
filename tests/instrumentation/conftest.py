"""Fixtures shared by the instrumentation tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from otel.testing import CapturedSpans, capture_spans


@pytest.fixture
def spans() -> Iterator[CapturedSpans]:
    """The spans ended while the test runs."""
    with capture_spans() as captured:
        yield captured
