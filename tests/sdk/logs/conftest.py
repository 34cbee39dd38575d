"""Logs tests also reset the global LoggerProvider (until reset_globals covers it) and
the once-only failure reports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from otel.logs import _reset_logger_provider
from otel.sdk.logs._guard import _reset_reported


@pytest.fixture(autouse=True)
def _fresh_logger_provider() -> Iterator[None]:
    _reset_logger_provider()
    _reset_reported()
    yield
    _reset_logger_provider()
    _reset_reported()
