"""Free loopback ports for tests that start servers."""

from __future__ import annotations

import socket


def free_port(kind: str = "tcp") -> int:
    """A port on 127.0.0.1 that was free a moment ago (``kind`` "tcp" or "udp")."""
    sock_type = socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM
    with socket.socket(socket.AF_INET, sock_type) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
