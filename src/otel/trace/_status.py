"""Span status: UNSET, OK or ERROR with an optional description (ERROR only)."""

from __future__ import annotations

import enum

from otel._log import get_logger

_logger = get_logger("otel.trace")


class StatusCode(enum.Enum):
    """The status of a finished span."""

    UNSET = 0
    OK = 1
    ERROR = 2


class Status:
    """Immutable status; a description is kept only with ``StatusCode.ERROR`` (spec)."""

    __slots__ = ("_description", "_status_code")

    def __init__(
        self, status_code: StatusCode = StatusCode.UNSET, description: str | None = None
    ) -> None:
        self._status_code = status_code
        self._description: str | None = None
        if description is not None:
            if not isinstance(description, str):
                _logger.warning("Status description must be a str; ignored")
            elif status_code is not StatusCode.ERROR:
                _logger.warning("Status description is only kept with StatusCode.ERROR; ignored")
            else:
                self._description = description

    @property
    def status_code(self) -> StatusCode:
        return self._status_code

    @property
    def description(self) -> str | None:
        return self._description

    @property
    def is_ok(self) -> bool:
        """False only for ERROR (UNSET counts as ok, as in the official API)."""
        return self._status_code is not StatusCode.ERROR

    @property
    def is_unset(self) -> bool:
        return self._status_code is StatusCode.UNSET

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Status)
            and self._status_code is other._status_code
            and self._description == other._description
        )

    def __hash__(self) -> int:
        return hash((self._status_code, self._description))

    def __repr__(self) -> str:
        return f"Status({self._status_code}, {self._description!r})"


UNSET_STATUS = Status()
