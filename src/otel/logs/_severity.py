"""SeverityNumber and the mapping from Python ``logging`` levels to it.

The numbers are those of the log data model: six ranges of four (TRACE 1-4 .. FATAL
21-24), 0 meaning unspecified. Python's five standard levels map to the first number
of their range (DEBUG->5, INFO->9, WARNING->13, ERROR->17, CRITICAL->21), as the data
model appendix says; levels in between (custom levels such as 25 or 35) map to the
higher numbers of the range of the standard level just below them, capped at the
range's fourth number, so that ordering is preserved. Levels 1-9 (custom TRACE-like
levels below DEBUG) map to TRACE.
"""

from __future__ import annotations

import enum


class SeverityNumber(enum.IntEnum):
    """The numeric severity of a log record (log data model ``SeverityNumber``)."""

    UNSPECIFIED = 0
    TRACE = 1
    TRACE2 = 2
    TRACE3 = 3
    TRACE4 = 4
    DEBUG = 5
    DEBUG2 = 6
    DEBUG3 = 7
    DEBUG4 = 8
    INFO = 9
    INFO2 = 10
    INFO3 = 11
    INFO4 = 12
    WARN = 13
    WARN2 = 14
    WARN3 = 15
    WARN4 = 16
    ERROR = 17
    ERROR2 = 18
    ERROR3 = 19
    ERROR4 = 20
    FATAL = 21
    FATAL2 = 22
    FATAL3 = 23
    FATAL4 = 24


def _level_to_number(levelno: int) -> SeverityNumber:
    if levelno <= 0:
        return SeverityNumber.UNSPECIFIED
    if levelno < 10:  # below DEBUG: custom TRACE-like levels (e.g. TRACE = 5)
        return SeverityNumber.TRACE
    band = min(levelno // 10, 5)  # 1 DEBUG .. 5 CRITICAL and above
    offset = min(levelno - band * 10, 3)
    return SeverityNumber(band * 4 + 1 + offset)


# Levels 0..60 precomputed: the handler's lookup is one list index.
_TABLE: tuple[SeverityNumber, ...] = tuple(_level_to_number(i) for i in range(61))


def std_to_otel(levelno: int) -> SeverityNumber:
    """The SeverityNumber for a Python ``logging`` level number.

    NOTSET (0) -> UNSPECIFIED; 1-9 -> TRACE; DEBUG 10 -> DEBUG, 11 -> DEBUG2,
    12 -> DEBUG3, 13-19 -> DEBUG4; likewise INFO 20-29, WARNING 30-39, ERROR 40-49;
    CRITICAL 50 -> FATAL .. 53 and above -> FATAL4.
    """
    try:
        return _TABLE[levelno] if levelno >= 0 else SeverityNumber.UNSPECIFIED
    except IndexError:
        return SeverityNumber.FATAL4
    except TypeError:
        return SeverityNumber.UNSPECIFIED
