"""Semantic-convention names (official: ``opentelemetry.semconv``), one module per namespace
under ``otel.semconv.attributes`` (``http_attributes``, ``url_attributes``, ``db_attributes``,
...), each holding the stable attribute names as string constants."""

__all__: list[str] = []
