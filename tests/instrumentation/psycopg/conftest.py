"""A real PostgreSQL server for the psycopg tests: initdb into a tmp dir, started on
127.0.0.1 with a free port (and a unix socket in the tmp dir), stopped after the session.

PostgreSQL refuses to run as root: when the suite runs as root the server runs as the
``postgres`` user (from the Debian package) or ``nobody``. A missing server FAILS under
CI=true and skips otherwise.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    socket_dir: str
    dbname: str = "postgres"
    user: str = "postgres"

    @property
    def conninfo(self) -> str:
        return f"host={self.host} port={self.port} dbname={self.dbname} user={self.user}"


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL peer missing under CI: {reason}")
    pytest.skip(reason)


def _bin_dir() -> str | None:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda path: int(path.split("/")[-2]) if path.split("/")[-2].isdigit() else 0,
    )
    for candidate in reversed(candidates):
        if os.path.exists(os.path.join(candidate, "initdb")):
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        _missing("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin")
        raise AssertionError  # unreachable
    user: str | None = None
    if os.geteuid() == 0:
        for name in ("postgres", "nobody"):
            try:
                pwd.getpwnam(name)
            except KeyError:
                continue
            user = name
            break
        if user is None:
            _missing("running as root and no unprivileged user to run PostgreSQL")
    root = tempfile.mkdtemp(prefix="otel-pg-")
    data, sockets, log = f"{root}/data", f"{root}/sock", f"{root}/server.log"
    os.mkdir(sockets)
    if user is not None:
        entry = pwd.getpwnam(user)
        for path in (root, sockets):
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def run(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, user=user, capture_output=True, text=True, timeout=timeout, cwd=root
        )

    port = _free_port()
    try:
        done = run(
            f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--no-sync", "--no-instructions", timeout=120,
        )  # fmt: skip
        if done.returncode != 0:
            pytest.fail(f"initdb failed: {done.stderr}")
        options = f"-h 127.0.0.1 -p {port} -k {sockets} -F -c fsync=off"
        done = run(
            f"{bin_dir}/pg_ctl", "start", "-D", data, "-l", log, "-o", options, "-w", "-t", "60",
            timeout=90,
        )  # fmt: skip
        if done.returncode != 0:
            server_log = Path(log).read_text() if os.path.exists(log) else ""
            pytest.fail(f"pg_ctl start failed: {done.stderr}\n{server_log}")
        yield Postgres("127.0.0.1", port, sockets)
    finally:
        if os.path.exists(f"{data}/postmaster.pid"):
            run(f"{bin_dir}/pg_ctl", "stop", "-D", data, "-m", "immediate", "-w", timeout=60)
        shutil.rmtree(root, ignore_errors=True)
