"""Interop tests share interop_kit.py (this folder) and the OTLP test receiver of the
exporter tests (decodes with opentelemetry-proto); peer launchers are in tests/_support."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parents[1]
for _path in (_TESTS / "exporter" / "otlp", _TESTS / "interop"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from otlp_peers import Receiver, serving  # noqa: E402


@pytest.fixture
def forwarded() -> Iterator[Receiver]:
    """Where a Collector forwards what it received (decoded with opentelemetry-proto)."""
    with serving() as receiver:
        yield receiver
