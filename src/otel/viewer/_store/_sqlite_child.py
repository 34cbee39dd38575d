"""The writer process of ``SQLiteProcessStore``: ``python -m otel.viewer._store._sqlite_child
PATH MAX_AGE_SECONDS MAX_BYTES``, its stdin and stdout the pipes of ``_sqlite_process``'s
protocol. Runs a ``SQLiteStore`` (its writer thread commits, retention included) fed by this
process's main thread; exits once its stdin ends, after committing everything it was sent
(so a parent killed outright loses nothing it was answered for). Ignores SIGINT and SIGTERM:
Ctrl-C in a terminal, or a stop sent to the process group, reaches it too, and the parent
decides when the writer stops (SIGKILL still ends it)."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from typing import IO

from otel.viewer._store._interface import Retention, StoreBusy, StoreError
from otel.viewer._store._sqlite import SQLiteStore, _Waiter
from otel.viewer._store._sqlite_process import (
    BUSY,
    CHANGED,
    COMMITTED,
    FAILED,
    READY,
    REFUSED,
    REPLY,
    REQUEST,
    decode_request,
    read_exactly,
)


class _Replies:
    """Writes replies to the parent; thread-safe (the writer thread and the reading one)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, kind: int, key: int, body: bytes = b"") -> None:
        with self._lock:
            try:
                self._stream.write(REPLY.pack(kind, key, len(body)) + body)
                self._stream.flush()
            except (OSError, ValueError):
                pass  # the parent is gone: commits go on until stdin ends

    def committed(self, waiter: _Waiter, key: int) -> None:
        if waiter.error is None:
            self.send(COMMITTED, key)
        else:
            self.send(FAILED, key, str(waiter.error).encode("utf-8", "replace"))


def serve(path: str, retention: Retention, requests: IO[bytes], replies: _Replies) -> int:
    """Open the store, answer READY (or REFUSED and return 1), then queue every request
    read from ``requests`` until it ends; close the store (everything queued committed)."""
    try:
        store = SQLiteStore(path, retention)
    except (StoreError, OSError, ValueError) as exc:
        replies.send(REFUSED, 0, str(exc).encode("utf-8", "replace"))
        return 1
    store.add_listener(lambda changed: replies.send(CHANGED, 0, b"".join(changed)))
    replies.send(READY, 0)
    try:
        while True:
            head = read_exactly(requests, REQUEST.size)
            if head is None:
                break
            key, size = REQUEST.unpack(head)
            body = read_exactly(requests, size)
            if body is None:
                break
            try:
                prepared, metrics, logs = decode_request(body)
                waiter = _Waiter(lambda w, key=key: replies.committed(w, key))  # type: ignore[misc]
                store.submit(prepared, metrics, logs, waiter)
            except StoreError as exc:  # StoreBusy: the queue is full
                kind = BUSY if isinstance(exc, StoreBusy) else FAILED
                replies.send(kind, key, str(exc).encode("utf-8", "replace"))
            except Exception as exc:  # a body this process cannot read: refuse it alone
                replies.send(FAILED, key, f"unreadable request: {exc}".encode())
    finally:
        store.close(timeout_millis=60_000)
    return 0


def main(argv: list[str]) -> int:
    # Ctrl-C in a terminal, or a stop signal sent to the whole process group, reaches this
    # process too: it stops when the viewer closes its stdin, after committing everything
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, format="%(message)s", stream=sys.stderr)
    # the protocol's pipes on private descriptors; anything printed goes to stderr
    requests = os.fdopen(os.dup(0), "rb")
    replies = _Replies(os.fdopen(os.dup(1), "wb"))
    os.dup2(2, 1)
    path, max_age, max_bytes = argv
    return serve(
        path, Retention(max_age_seconds=float(max_age), max_bytes=int(max_bytes)), requests, replies
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
