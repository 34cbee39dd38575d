"""The OTLP receiver fixture of the zero-code tests (helpers live in ``zerocode_kit``)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_here = str(Path(__file__).parent)
if _here not in sys.path:
    sys.path.insert(0, _here)

from zerocode_kit import Receiver, serve_receiver  # noqa: E402


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found, stop_serving = serve_receiver()
    yield found
    stop_serving()
