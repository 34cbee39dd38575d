"""Viewer fixtures: a running viewer (in-process, free ports) on either store."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_here = str(Path(__file__).parent)
if _here not in sys.path:
    sys.path.insert(0, _here)

from viewer_kit import Client  # noqa: E402

from otel.testing import free_port  # noqa: E402
from otel.viewer import Viewer, start_viewer  # noqa: E402
from otel.viewer._store._interface import Store  # noqa: E402
from otel.viewer._store._memory import MemoryStore  # noqa: E402
from otel.viewer._store._sqlite import SQLiteStore  # noqa: E402
from otel.viewer._store._sqlite_process import SQLiteProcessStore  # noqa: E402


def _start(db: str) -> Viewer:
    return start_viewer(
        ui_port=free_port(),
        otlp_http_port=free_port(),
        otlp_grpc_port=0,
        jaeger_udp_port=0,
        zipkin_port=0,
        db=db,
    )


@pytest.fixture(params=["sqlite", "memory"])
def viewer(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Viewer]:
    db = str(tmp_path / "view.sqlite3") if request.param == "sqlite" else ":memory:"
    v = _start(db)
    try:
        yield v
    finally:
        v.stop()


@pytest.fixture
def sqlite_viewer(tmp_path: Path) -> Iterator[Viewer]:
    v = _start(str(tmp_path / "view.sqlite3"))
    try:
        yield v
    finally:
        v.stop()


@pytest.fixture
def client(viewer: Viewer) -> Client:
    return Client(viewer)


@pytest.fixture(params=["sqlite", "sqlite-process", "memory"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each store: SQLite with its writer on a thread, SQLite with its writer in a child
    process (``otel view``'s), and the in-memory one."""
    path = str(tmp_path / "v.db")
    s: Store
    if request.param == "sqlite":
        s = SQLiteStore(path)
    elif request.param == "sqlite-process":
        s = SQLiteProcessStore(path)
    else:
        s = MemoryStore()
    try:
        yield s
    finally:
        s.close()
