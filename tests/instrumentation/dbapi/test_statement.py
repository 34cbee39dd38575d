"""The cheap statement parser: operation and single collection, never an exception."""

from __future__ import annotations

import pytest

from otel.instrumentation.dbapi._statement import parse, query_text


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("SELECT * FROM users WHERE id = ?", ("SELECT", "users")),
        ("select a from public.users u where a = 1", ("SELECT", "public.users")),
        ('SELECT * FROM "My Table"', ("SELECT", "My Table")),
        ("  -- comment\n /* block */ SELECT 1 FROM t", ("SELECT", "t")),
        ("INSERT INTO users (id) VALUES (?)", ("INSERT", "users")),
        ("insert or replace into kv values (?, ?)", ("INSERT", "kv")),
        ("UPDATE users SET a = 1", ("UPDATE", "users")),
        ("DELETE FROM users WHERE id = 1", ("DELETE", "users")),
        ("CREATE TABLE IF NOT EXISTS users (id int)", ("CREATE", "users")),
        ("DROP TABLE IF EXISTS users", ("DROP", "users")),
        ("ALTER TABLE users ADD COLUMN b int", ("ALTER", "users")),
        ("TRUNCATE TABLE users", ("TRUNCATE", "users")),
        ("BEGIN", ("BEGIN", None)),
        ("PRAGMA journal_mode=WAL", ("PRAGMA", None)),
    ],
)
def test_parse_finds_operation_and_collection(
    statement: str, expected: tuple[str | None, str | None]
) -> None:
    assert parse(statement) == expected


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM a JOIN b ON a.id = b.id",
        "SELECT * FROM a, b",
        "SELECT * FROM generate_series(1, 10)",
        "SELECT 1",
    ],
)
def test_parse_names_no_collection_when_not_exactly_one(statement: str) -> None:
    assert parse(statement) == ("SELECT", None)


@pytest.mark.parametrize("statement", ["", "   ", "123", None, 42, ["SELECT"], "(SELECT 1)"])
def test_parse_of_unreadable_statement_gives_nothing_and_never_raises(statement: object) -> None:
    _operation, collection = parse(statement)
    assert collection is None


def test_parse_reads_bytes() -> None:
    assert parse(b"SELECT * FROM t") == ("SELECT", "t")


def test_query_text_of_composed_object_uses_as_string() -> None:
    class Composed:
        def as_string(self, context: object) -> str:
            return "SELECT 1"

    assert query_text(Composed()) == "SELECT 1"
    assert query_text(object()) is None
