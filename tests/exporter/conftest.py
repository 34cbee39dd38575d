"""Exporter tests import their helpers by module name: the IDL peers (``tests/peers/idl.py``)
as ``idl``, the OTLP test kit (``otlp_testkit``), real SDK spans (``sdk_spans``) and the
dripping server (``drip_server``)."""

from __future__ import annotations

import sys
from pathlib import Path

_peers = str(Path(__file__).parent.parent / "peers")
_otlp = str(Path(__file__).parent / "otlp")
for _dir in (_peers, _otlp, str(Path(__file__).parent), str(Path(__file__).parent / "transport")):
    if _dir not in sys.path:
        sys.path.insert(0, _dir)
