"""Interop tests use the OTLP test receiver of the exporter tests (decodes with
opentelemetry-proto); the peer launchers are in tests/_support."""

from __future__ import annotations

import sys
from pathlib import Path

_OTLP_PEERS = str(Path(__file__).resolve().parents[1] / "exporter" / "otlp")
if _OTLP_PEERS not in sys.path:
    sys.path.insert(0, _OTLP_PEERS)
