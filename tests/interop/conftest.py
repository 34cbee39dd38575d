"""Interop tests import the shared peers: the OTLP receiver and the Collector launcher."""

from __future__ import annotations

import sys
from pathlib import Path

_TESTS = Path(__file__).resolve().parents[1]
for _path in (_TESTS / "exporter" / "otlp", _TESTS / "peers"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
