"""Test helpers, public API: capture what your code emits, reset otel's globals.

Each signal contributes its own helpers (``_spans.py``, ``_metrics.py``, ``_logs.py``);
this module re-exports them.
"""

from otel.testing._globals import reset_globals

__all__ = ["reset_globals"]
