"""Assert that otel code logged no error while a block ran (for property tests)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def no_internal_errors() -> Iterator[None]:
    """Fail (AssertionError listing the messages) if the ``otel`` logger got an ERROR.

    otel never raises into user code; it logs instead, so a swallowed internal bug shows
    up here. Exceptions raised by the block propagate unchecked.
    """
    handler = _Collect()
    logger = logging.getLogger("otel")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    assert not handler.records, [r.getMessage() for r in handler.records]
