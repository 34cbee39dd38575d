"""Exporter tests import the IDL peers (``tests/peers/idl.py``) as ``idl``."""

from __future__ import annotations

import sys
from pathlib import Path

_peers = str(Path(__file__).parent.parent / "peers")
if _peers not in sys.path:
    sys.path.insert(0, _peers)
