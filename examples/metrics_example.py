"""Getting started with metrics: a counter printed to the console.

Run: python examples/metrics_example.py
"""

import time

from otel import metrics
from otel.sdk.metrics import MeterProvider
from otel.sdk.metrics.export import ConsoleMetricExporter, PeriodicExportingMetricReader

# Export every second (the default is 60 s) so the example shows output quickly.
metric_reader = PeriodicExportingMetricReader(ConsoleMetricExporter(), export_interval_millis=1000)
provider = MeterProvider(metric_readers=[metric_reader])

# Sets the global default meter provider
metrics.set_meter_provider(provider)

# Creates a meter from the global meter provider
meter = metrics.get_meter("my.meter.name")

# A counter of requests, tagged with the environment
requests_counter = meter.create_counter(
    "requests", unit="1", description="The number of requests handled"
)

for _ in range(8):
    requests_counter.add(1, {"environment": "staging"})
    time.sleep(0.4)

# Export what is left and stop the exporting thread.
provider.shutdown()
