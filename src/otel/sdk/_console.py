"""What the console exporters share: writing to a stream whose reader may go away.

``python app.py | head`` closes the pipe after a few lines; the next write raises
``BrokenPipeError``, and even if that is caught, the interpreter's final flush of
``sys.stdout`` prints "Exception ignored ... BrokenPipeError" at exit. :func:`write`
handles that case the way the Python documentation recommends for SIGPIPE: the stream's
file descriptor is pointed at ``os.devnull``, so later writes and the final flush succeed
silently. Never raises for a broken pipe; other errors are the caller's to log.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # ``typing`` stays off the import path of otel.sdk.trace
    from typing import IO


def write(out: IO[str], text: str) -> None:
    """Write and flush ``text``; a reader that went away ends the output quietly."""
    try:
        out.write(text)
        out.flush()
    except BrokenPipeError:
        silence(out)


def silence(out: IO[str]) -> None:
    """Point ``out``'s file descriptor at ``os.devnull`` (its reader has gone)."""
    try:
        fd = out.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
    except (OSError, AttributeError, ValueError):
        return  # not a real file (StringIO ...): nothing is flushed at exit either
    try:
        os.dup2(devnull, fd)
    except OSError:
        pass
    finally:
        os.close(devnull)
