"""``reset_globals``: put every process-wide otel setting back to its initial state."""

from __future__ import annotations

from otel._once import forget_all
from otel.attributes._attributes import _reset_warnings
from otel.logs._logs import _reset_logger_provider
from otel.metrics._meter import _reset_globals as _reset_meter_provider
from otel.propagate._propagate import _reset_global_textmap
from otel.propagators._warn import _reset_warnings as _reset_propagation_warnings
from otel.sdk.logs._guard import _reset_reported as _reset_log_bridge_reports
from otel.trace._tracer import _reset_tracer_provider


def reset_globals() -> None:
    """Forget the global tracer, meter and logger providers, the global propagator and
    the once-only warnings.

    For tests: providers set by a test are not shut down here (the test owns them); the
    proxies handed out before are unbound, so they go back to no-op behaviour.
    """
    _reset_tracer_provider()
    _reset_meter_provider()
    _reset_logger_provider()
    _reset_global_textmap()
    _reset_warnings()
    _reset_propagation_warnings()
    _reset_log_bridge_reports()
    forget_all()  # every other FirstSeen too (lone-callback warning, ...), present or future
