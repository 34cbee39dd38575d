"""SDK set-up from the OTEL_* environment variables (official: opentelemetry.sdk._configuration).

Used by the zero-code bootstrap (``otel run``); applications that configure the SDK in
code do not need it.
"""

from otel.sdk._configuration._configure import SdkComponents, configure_sdk, exporter_names
from otel.sdk._configuration._exporters import ExporterUnavailable, Gate

__all__ = ["ExporterUnavailable", "Gate", "SdkComponents", "configure_sdk", "exporter_names"]
