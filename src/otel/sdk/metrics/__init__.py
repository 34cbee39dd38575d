"""The metrics SDK: MeterProvider, views, aggregations, readers and exporters."""

__all__: list[str] = []
