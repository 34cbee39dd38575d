"""``reset_globals``: put every process-wide otel setting back to its initial state."""

from __future__ import annotations

from otel.attributes._attributes import _reset_warnings
from otel.trace._tracer import _reset_tracer_provider


def reset_globals() -> None:
    """Forget global providers and propagators and the once-only warnings.

    For tests: providers set by a test are not shut down here (the test owns them); the
    proxies handed out before are unbound, so they go back to no-op behaviour.
    """
    _reset_tracer_provider()
    _reset_warnings()
