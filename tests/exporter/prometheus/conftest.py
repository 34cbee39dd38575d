"""Puts the Prometheus test helpers (prom_peers, and otlp_tls for certificates) on the path."""

from __future__ import annotations

import sys
from pathlib import Path

for _dir in (Path(__file__).parent, Path(__file__).parent.parent / "otlp"):  # + otlp_tls
    if str(_dir) not in sys.path:
        sys.path.insert(0, str(_dir))
