"""``otel demo``: the viewer plus a small instrumented two-service shop, driven by traffic.

Run it with ``otel demo`` (or ``make demo``) and open the printed URL. Flask and requests
are needed (they are never dependencies of otel itself; ``make setup`` installs them).
"""

from otel.demo._runner import Demo, DemoOptions

__all__ = ["Demo", "DemoOptions"]
