"""Suite-wide fixtures: every test starts and ends with otel's globals reset."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from otel.testing import reset_globals


@pytest.fixture(autouse=True)
def _fresh_otel_globals() -> Iterator[None]:
    reset_globals()
    yield
    reset_globals()
