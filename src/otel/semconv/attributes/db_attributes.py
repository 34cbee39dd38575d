"""Stable database attribute names.

Official: ``opentelemetry.semconv.attributes.db_attributes``.
"""

from typing import Final

DB_COLLECTION_NAME: Final = "db.collection.name"
"""The table (or collection) the operation acts on, without quoting, e.g. ``public.users``."""

DB_NAMESPACE: Final = "db.namespace"
"""The database name (PostgreSQL: the database; SQLite: the database file)."""

DB_OPERATION_BATCH_SIZE: Final = "db.operation.batch.size"
"""Number of queries in a batch operation (``executemany``), when it is 2 or more."""

DB_OPERATION_NAME: Final = "db.operation.name"
"""The operation, e.g. ``SELECT``; prefixed ``BATCH `` for batches."""

DB_QUERY_SUMMARY: Final = "db.query.summary"
"""Low-cardinality summary of the query, e.g. ``SELECT users``."""

DB_QUERY_TEXT: Final = "db.query.text"
"""The query as sent, with placeholders; parameter values are never recorded."""

DB_RESPONSE_STATUS_CODE: Final = "db.response.status_code"
"""The database's own status code (e.g. a PostgreSQL SQLSTATE) on failure."""

DB_STORED_PROCEDURE_NAME: Final = "db.stored_procedure.name"
"""The stored procedure called (``callproc``)."""

DB_SYSTEM_NAME: Final = "db.system.name"
"""The database management system, e.g. ``sqlite``, ``postgresql``."""

__all__ = [
    "DB_COLLECTION_NAME",
    "DB_NAMESPACE",
    "DB_OPERATION_BATCH_SIZE",
    "DB_OPERATION_NAME",
    "DB_QUERY_SUMMARY",
    "DB_QUERY_TEXT",
    "DB_RESPONSE_STATUS_CODE",
    "DB_STORED_PROCEDURE_NAME",
    "DB_SYSTEM_NAME",
]
