"""``otel view`` under load (issue 14 item 8): concurrent OTLP senders at full speed plus UI
queries (services, trace searches, dependencies, the fetch of a trace just stored), against a
real ``otel view`` process. Used by tests/viewer/test_load.py (short)
and benchmarks/viewer_load.py (60 s)."""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from viewer_kit import read_until, start_cli, stop
from viewer_protos import trace_request

from otel.testing import free_port

SERVICES = ("frontend", "checkout", "payments", "inventory")


@dataclass
class LoadResult:
    seconds: float
    batches_acknowledged: int = 0
    spans_acknowledged: int = 0
    failures: list[str] = field(default_factory=list)
    query_latencies_s: list[float] = field(default_factory=list)
    worst_by_path_s: dict[str, float] = field(default_factory=dict)
    latencies_by_path_s: dict[str, list[float]] = field(default_factory=dict)
    rss_kib: list[int] = field(default_factory=list)
    viewer_exit_code: int | None = None

    @property
    def worst_query_s(self) -> float:
        return max(self.query_latencies_s, default=0.0)

    @property
    def p99_query_s(self) -> float:
        ordered = sorted(self.query_latencies_s)
        return ordered[int(len(ordered) * 0.99)] if ordered else 0.0

    def summary(self) -> str:
        return (
            f"{self.seconds:.0f} s: {self.spans_acknowledged / self.seconds:,.0f} spans/s "
            f"acknowledged ({self.batches_acknowledged} batches), {len(self.failures)} failed; "
            f"{len(self.query_latencies_s)} queries, p99 {self.p99_query_s * 1e3:.0f} ms, "
            f"worst {self.worst_query_s * 1e3:.0f} ms "
            f"({', '.join(f'{p} {t * 1e3:.0f}' for p, t in self.worst_by_path_s.items())}); "
            f"viewer RSS "
            f"{self.rss_kib[0] // 1024 if self.rss_kib else 0} -> "
            f"{max(self.rss_kib, default=0) // 1024} MiB peak"
        )

    def by_path(self) -> str:
        """One line per endpoint: queries, median, p99 and worst latency."""
        lines = []
        for path, took in self.latencies_by_path_s.items():
            ordered = sorted(took)
            lines.append(
                f"  {path}: {len(ordered)} queries, median {ordered[len(ordered) // 2] * 1e3:.0f}"
                f" ms, p99 {ordered[int(len(ordered) * 0.99)] * 1e3:.0f} ms,"
                f" worst {ordered[-1] * 1e3:.0f} ms"
            )
        return "\n".join(lines)


class _Batches:
    """Encoded trace requests with fresh trace ids on every call (real traffic does not
    repeat trace ids): one template per sender, its ids patched in the bytes."""

    def __init__(self, sender: int, traces_per_batch: int) -> None:
        self.ids = [(sender << 96 | 0xFFFF << 32 | t).to_bytes(16, "big")
                    for t in range(traces_per_batch)]  # fmt: skip
        request = None
        for t, trace_id in enumerate(self.ids):
            one = trace_request(service=SERVICES[t % 4], trace_id=trace_id)
            if request is None:
                request = one
            else:
                request.resource_spans.extend(one.resource_spans)
        assert request is not None
        self.template = request.SerializeToString()
        self.sent = 0
        self.newest = self.ids[0]  # a trace id of the last batch made

    def next(self) -> bytes:
        self.sent += 1
        body = self.template
        for trace_id in self.ids:
            fresh = trace_id[:8] + self.sent.to_bytes(4, "big") + trace_id[12:]
            body = body.replace(trace_id, fresh)
            self.newest = fresh
        return body


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def run_load(db: Path, seconds: float, senders: int = 4, traces_per_batch: int = 25) -> LoadResult:
    """Start ``otel view`` on ``db``, load it for ``seconds``, stop it; what happened."""
    http_port, ui_port = free_port(), free_port()
    process = start_cli("--ui-port", str(ui_port), "--otlp-http-port", str(http_port),
                        "--otlp-grpc-port", "0", "--jaeger-udp-port", "0", "--zipkin-port", "0",
                        db=db)  # fmt: skip
    result = LoadResult(seconds)
    lock = threading.Lock()
    done = threading.Event()
    stored_trace: list[bytes] = []  # a trace id the viewer acknowledged
    try:
        read_until(process, "UI")
        prepared = [_Batches(s + 1, traces_per_batch) for s in range(senders)]

        def send(batches: _Batches) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=30)
            while not done.is_set():
                body = batches.next()
                try:
                    conn.request("POST", "/v1/traces", body,
                                 {"Content-Type": "application/x-protobuf"})  # fmt: skip
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                    failure = f"ingest answered {response.status}"
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", http_port, timeout=30)
                    ok, failure = False, f"ingest: {type(exc).__name__}: {exc}"
                with lock:
                    if ok:
                        stored_trace[:] = [batches.newest]
                        result.batches_acknowledged += 1
                        result.spans_acknowledged += 2 * traces_per_batch
                    else:
                        result.failures.append(failure)
            conn.close()

        def query() -> None:
            paths = ["/api/services", "/api/traces?service=checkout&limit=20",
                     "/api/traces?limit=50", "/api/dependencies", "/api/traces/{id}"]  # fmt: skip
            n = 0
            while not done.is_set():
                path = paths[n % len(paths)]
                n += 1
                with lock:
                    trace = stored_trace[0].hex() if stored_trace else None
                if trace is None and "{id}" in path:
                    continue
                url = path.replace("{id}", trace or "")
                started = time.monotonic()
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", ui_port, timeout=30)
                    conn.request("GET", url)
                    response = conn.getresponse()
                    response.read()
                    conn.close()
                    failure = None if response.status == 200 else f"{path}: {response.status}"
                except (OSError, http.client.HTTPException) as exc:
                    failure = f"{path}: {type(exc).__name__}: {exc}"
                with lock:
                    took = time.monotonic() - started
                    result.query_latencies_s.append(took)
                    result.worst_by_path_s[path] = max(took, result.worst_by_path_s.get(path, 0))
                    result.latencies_by_path_s.setdefault(path, []).append(took)
                    if failure:
                        result.failures.append(failure)
                done.wait(0.1)

        threads = [threading.Thread(target=send, args=(b,)) for b in prepared]
        threads.append(threading.Thread(target=query))
        result.rss_kib.append(_rss_kib(process.pid))
        for thread in threads:
            thread.start()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            time.sleep(0.5)
            result.rss_kib.append(_rss_kib(process.pid))
        done.set()
        for thread in threads:
            thread.join(60)
    finally:
        done.set()
        result.viewer_exit_code = stop(process)
    return result


def stored_span_count(db: Path) -> Any:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM spans").fetchone()[0]
    finally:
        conn.close()
