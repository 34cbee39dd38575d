"""Prefork support: every process writes its families to a file, a scrape merges them all.

Enabled by ``OTEL_PYTHON_PROMETHEUS_MULTIPROC_DIR`` (a directory shared by the workers of
one server, emptied by the operator before the server starts). Each process writes
``<pid>-<token>.json`` (the token is fresh in every process, so a reused pid never
inherits a dead worker's file) by writing a temporary file and renaming it: a reader sees
the old snapshot or the new one, never half of one. Writes happen on a daemon thread every
``OTEL_PYTHON_PROMETHEUS_MULTIPROC_INTERVAL_MILLIS`` (5000), at exit, and in the scraping
process just before it reads the others — never on the path that records a measurement.

Merging: sums (counters, up-down counters) and histograms add up, gauges stay per process
with a ``pid`` label. A dead worker's file (its pid no longer exists) keeps counting: the
next scrape folds its sums and histograms into ``archive.json`` and deletes it (so files
do not pile up when workers are recycled); its gauges go away with it. Scrapes take a
shared ``flock`` on ``.lock`` and folding takes it exclusively, so no scrape ever sees a
dead worker's counts twice or not at all: counters never go backwards.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from typing import Any

from otel._log import get_logger
from otel.exporter.prometheus._model import Exposition, warn_once

_logger = get_logger("otel.exporter.prometheus")

MULTIPROC_DIR_ENV = "OTEL_PYTHON_PROMETHEUS_MULTIPROC_DIR"
MULTIPROC_INTERVAL_ENV = "OTEL_PYTHON_PROMETHEUS_MULTIPROC_INTERVAL_MILLIS"
_ARCHIVE = "archive.json"
_LOCK = ".lock"
_SUFFIX = ".json"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, it is someone else's
        return True
    return True


def _pid_of(filename: str) -> int | None:
    head, sep, _ = filename.partition("-")
    if not sep or not filename.endswith(_SUFFIX) or not head.isdigit():
        return None
    return int(head)


def _stale_temporary(filename: str) -> bool:
    """A temporary snapshot (``<pid>-....tmp``, see ``_dump``) of a worker that died while
    writing it: nobody will rename it, so the next scrape removes it."""
    head, sep, _ = filename.partition("-")
    return bool(sep) and filename.endswith(".tmp") and head.isdigit() and not _alive(int(head))


def _merge(out: Exposition, name: str, data: Any, **options: Any) -> bool:
    """Merge one snapshot into ``out``; False, with a warning logged once per file, when it
    is not a snapshot otel wrote (its shape is checked per family before anything is
    merged, so such a file adds nothing)."""
    try:
        if not isinstance(data, list) or not all(
            isinstance(f, list) and len(f) == 5 and isinstance(f[4], dict) for f in data
        ):
            raise ValueError("unexpected layout")
        out.add_json(data, **options)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        warn_once(
            ("snapshot", name),
            "Prometheus multiprocess: %s is not a snapshot otel wrote (%s); ignored",
            name,
            error,
        )
        return False
    return True


def _load(path: str) -> Any:
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def _dump(path: str, data: Any) -> None:
    tmp = f"{path}.{secrets.token_hex(4)}.tmp"
    try:
        text = json.dumps(data, separators=(",", ":"))  # one C-speed call, one write
        with open(tmp, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class MultiprocessDirectory:
    """The shared directory: this process's file, the others', the archive of dead ones.

    Thread-safe for one process's threads (each write goes to its own temporary file; the
    rename is atomic). Errors are logged once per kind and never raised to the caller
    of ``write``; ``merge_into`` skips a file it cannot read.
    """

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.renew()

    def renew(self) -> None:
        """A new file name for this process (called at start and in a forked child)."""
        self.pid = os.getpid()
        self.filename = f"{self.pid}-{secrets.token_hex(6)}{_SUFFIX}"

    @property
    def path(self) -> str:
        return os.path.join(self.directory, self.filename)

    def write(self, families: list[Any]) -> None:
        """Replace this process's snapshot with ``families`` (``Exposition.to_json()``)."""
        try:
            _dump(self.path, families)
        except OSError as error:
            _logger.warning(
                "Prometheus multiprocess: cannot write %s: %s", self.path, error, exc_info=False
            )

    @contextlib.contextmanager
    def _locked(self, exclusive: bool) -> Iterator[None]:
        fd = os.open(os.path.join(self.directory, _LOCK), os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def merge_into(self, out: Exposition, own_families: list[Any]) -> None:
        """Merge this process's ``own_families`` and every other process's file into ``out``."""
        out.add_json(own_families, pid_label=f'pid="{self.pid}"')
        dead: list[str] = []
        stale: list[str] = []
        with self._locked(exclusive=False):
            archived: set[str] = set()
            archive = self._read(_ARCHIVE)
            if archive is not None:
                try:
                    archived = set(archive["files"])
                except (KeyError, TypeError):
                    archive = None
                if archive is None or not _merge(out, _ARCHIVE, archive["families"]):
                    archived = set()
            for name in sorted(os.listdir(self.directory)):
                if name.endswith(".tmp"):
                    if _stale_temporary(name):
                        stale.append(name)
                    continue
                pid = _pid_of(name)
                if pid is None or name == self.filename or name in archived:
                    continue
                data = self._read(name)
                if data is None:
                    continue
                if _alive(pid):
                    _merge(out, name, data, pid_label=f'pid="{pid}"')
                elif _merge(out, name, data, gauges=False):
                    dead.append(name)
        for name in stale:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(self.directory, name))
        if dead:
            self._fold(dead)

    def _read(self, name: str) -> Any:
        path = os.path.join(self.directory, name)
        try:
            return _load(path)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            _logger.warning("Prometheus multiprocess: cannot read %s: %s", path, error)
            return None

    def _fold(self, dead: list[str]) -> None:
        """Add dead workers' sums and histograms to the archive, then delete their files."""
        try:
            with self._locked(exclusive=True):
                archive = self._read(_ARCHIVE) or {"files": [], "families": []}
                merged = Exposition()
                merged.add_json(archive["families"])
                included = set(archive["files"])
                for name in dead:
                    if name in included:
                        continue
                    data = self._read(name)
                    if data is not None:
                        merged.add_json(data, gauges=False)
                    included.add(name)
                present = set(os.listdir(self.directory))
                files = sorted(n for n in included if n in present)
                _dump(
                    os.path.join(self.directory, _ARCHIVE),
                    {"files": files, "families": merged.to_json()},
                )
                for name in dead:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(os.path.join(self.directory, name))
        except OSError as error:
            _logger.warning("Prometheus multiprocess: cannot fold dead workers: %s", error)
