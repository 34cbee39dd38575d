"""The official SDK's ``opentelemetry.sdk.metrics._internal`` paths, for code that imports them.

Some official examples import names from the official SDK's private package; these modules
give the same names at the same paths (``otel.sdk.metrics._internal.aggregation``,
``otel.sdk.metrics._internal.exemplar``) so that such code runs after the import swap.
They only re-export otel's own classes; new code should use the public modules.
"""

__all__: list[str] = []
