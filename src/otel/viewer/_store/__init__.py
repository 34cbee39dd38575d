"""Stores behind the ``Store`` protocol: SQLite (default) and in-memory."""
