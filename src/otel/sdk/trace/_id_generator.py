"""Trace and span id generators."""

from __future__ import annotations

import abc
import os
from _random import Random

# The C generator behind the ``random`` module, without importing ``random`` (and its
# dependencies). Seeded from os.urandom on creation and again in every forked child, so
# parent and child never produce the same ids.
_generator = Random()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_generator.seed)
_getrandbits = _generator.getrandbits


class IdGenerator(abc.ABC):
    """Makes new trace and span ids.

    ``is_trace_id_random()`` tells the SDK whether the trace id's low 56 bits are random;
    it then sets the W3C Trace Context Level 2 *random* trace flag on root spans.
    """

    def is_trace_id_random(self) -> bool:
        """Whether generated trace ids are random in their rightmost 7 bytes."""
        return False

    @abc.abstractmethod
    def generate_span_id(self) -> int:
        """A new non-zero 64-bit span id."""

    @abc.abstractmethod
    def generate_trace_id(self) -> int:
        """A new non-zero 128-bit trace id."""


class RandomIdGenerator(IdGenerator):
    """Ids from a Mersenne Twister seeded from os.urandom (re-seeded after fork), never zero.

    Not cryptographic, which ids need not be. Sets the W3C *random* trace flag.
    """

    def is_trace_id_random(self) -> bool:
        return True

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
