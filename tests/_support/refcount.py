"""Whether a WSGI app leaves a served request's environ to reference counting."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from typing import Any


class _Marker:
    """Something with a weak reference, left in an environ to see when it is freed."""


def serve_and_check_freed(app: Callable[..., Any], path: str) -> tuple[bytes, bool]:
    """Serve one request for ``path`` with the cyclic garbage collector off; the body and
    whether the environ was freed as soon as the request was done with (no cycle kept it)."""
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(path=path).get_environ()
    marker = _Marker()
    environ["test.marker"] = marker
    freed = weakref.ref(marker)
    del marker
    gc.collect()
    gc.disable()
    try:
        body = app(environ, lambda *args: None)
        content = b"".join(body)
        body.close()
        del body, environ
        return content, freed() is None
    finally:
        gc.enable()
