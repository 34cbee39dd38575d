"""The ``/api/live`` hub: trace changes from the store's writer, coalesced for SSE clients.

The store calls ``notify`` on its writer thread (cheap: a set update under a lock). Each
connected client thread calls ``wait_events``: at most one event per trace per interval.
"""

from __future__ import annotations

import threading
import time

from otel.viewer._store._interface import Store, TraceSummary

COALESCE_SECONDS = 0.5
PING_SECONDS = 15.0


class LiveHub:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._cond = threading.Condition()
        self._version = 0
        self._changes: list[tuple[int, set[bytes]]] = []  # (version, trace ids), recent only
        self._closed = False
        store.add_listener(self.notify)

    def notify(self, trace_ids: set[bytes]) -> None:
        with self._cond:
            self._version += 1
            self._changes.append((self._version, set(trace_ids)))
            if len(self._changes) > 1000:
                del self._changes[:500]
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed

    def current(self) -> int:
        with self._cond:
            return self._version

    def wait_events(self, since_version: int, timeout_s: float) -> tuple[int, list[TraceSummary]]:
        """Block until something changed after ``since_version`` (or the timeout), then wait out
        the coalescing interval; returns the new version and the changed traces' summaries."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while self._version == since_version and not self._closed:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return since_version, []
                self._cond.wait(remaining)
        time.sleep(COALESCE_SECONDS)
        with self._cond:
            version = self._version
            ids: set[bytes] = set()
            for v, changed in self._changes:
                if v > since_version:
                    ids |= changed
        return version, self._store.trace_summaries(sorted(ids)) if ids else []
