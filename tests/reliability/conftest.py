"""Fixtures of the reliability tests: the OTLP receiver (opentelemetry-proto decodes every
body) and the launch helpers of the zero-code tests, reused, not rewritten."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

for _dir in (
    Path(__file__).parent,
    Path(__file__).parents[1] / "instrumentation" / "auto_instrumentation",
):
    if str(_dir) not in sys.path:
        sys.path.insert(0, str(_dir))

from zerocode_kit import Receiver, serve_receiver  # noqa: E402


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found, stop_serving = serve_receiver()
    yield found
    stop_serving()
