"""A real HTTP peer on 127.0.0.1 that reads the request and then answers one byte at a time."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4096\r\n\r\n" + (
    b"x" * 4096
)


@contextlib.contextmanager
def dripping_server(interval_s: float = 0.2) -> Iterator[str]:
    """Yields ``http://127.0.0.1:port``; every answer trickles out one byte per interval."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def serve(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(0.1)
            received = b""
            while b"\r\n\r\n" not in received and not stop.is_set():
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                received += chunk
            for i in range(len(RESPONSE)):
                if stop.wait(interval_s):
                    return
                try:
                    conn.sendall(RESPONSE[i : i + 1])
                except OSError:
                    return

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=serve, args=(conn,), daemon=True)
            threads.append(thread)
            thread.start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        acceptor.join(5)
        listener.close()
        for thread in threads:
            thread.join(5)
