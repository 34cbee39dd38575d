"""SDK self-observability: read the ``otel.sdk.*`` metrics from Python (otel extension).

``read()`` returns what every live SDK component counts now (queue sizes and capacities,
items processed and dropped per processor, items in flight and exported per exporter,
``error.type`` on failures; export and collection durations as ``DurationSummary``)
without any meter provider. With
``OTEL_PYTHON_SDK_INTERNAL_METRICS_ENABLED=true`` (off by default) the providers also
count spans and log records as they start and end, and components built with
``meter_provider=`` report all of it as metrics of the ``otel.sdk`` scope through that
provider. See docs/self-metrics.md.
"""

from otel.sdk._self_metrics import ENABLED_ENV, METRICS, DurationSummary, enabled, read

__all__ = ["ENABLED_ENV", "METRICS", "DurationSummary", "enabled", "read"]
