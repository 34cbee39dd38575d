"""Trace and span id generators."""

from __future__ import annotations

import abc
import random

_getrandbits = random.getrandbits  # the module instance is re-seeded after os.fork()


class IdGenerator(abc.ABC):
    """Makes new trace and span ids.

    ``is_trace_id_random`` tells the SDK whether the trace id's low 56 bits are random;
    it then sets the W3C Trace Context Level 2 *random* trace flag on root spans.
    """

    is_trace_id_random = False

    @abc.abstractmethod
    def generate_span_id(self) -> int:
        """A new non-zero 64-bit span id."""

    @abc.abstractmethod
    def generate_trace_id(self) -> int:
        """A new non-zero 128-bit trace id."""


class RandomIdGenerator(IdGenerator):
    """Ids from Python's Mersenne Twister (``random.getrandbits``), never zero.

    Not cryptographic, which ids need not be; the stdlib re-seeds it in a forked child,
    so parent and child never produce the same ids. Sets the W3C *random* flag.
    """

    is_trace_id_random = True

    def generate_span_id(self) -> int:
        span_id = _getrandbits(64)
        while not span_id:
            span_id = _getrandbits(64)
        return span_id

    def generate_trace_id(self) -> int:
        trace_id = _getrandbits(128)
        while not trace_id:
            trace_id = _getrandbits(128)
        return trace_id
