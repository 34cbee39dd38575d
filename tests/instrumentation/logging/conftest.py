"""Logs tests also reset the global LoggerProvider (until reset_globals covers it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from otel.logs import _reset_logger_provider


@pytest.fixture(autouse=True)
def _fresh_logger_provider() -> Iterator[None]:
    _reset_logger_provider()
    yield
    _reset_logger_provider()
