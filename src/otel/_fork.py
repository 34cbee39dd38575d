"""Fresh locks in a forked child: a lock held by another thread at fork time stays held.

Stdlib only, so the API layer (global-provider locks) and the SDK share it. The owner may
be a module (``renew_lock_after_fork(sys.modules[__name__], "_LOCK")``) for module-level
locks.
"""

from __future__ import annotations

import os
from _thread import allocate_lock  # threading.Lock itself, without importing threading
from _weakref import ref as weakref_ref  # weakref.ref itself, without importing weakref


def renew_lock_after_fork(owner: object, attribute: str = "_lock") -> None:
    """After ``os.fork()``, give ``owner`` a new ``threading.Lock`` in ``attribute``.

    Holds ``owner`` weakly, so registering does not keep it alive.
    """
    if not hasattr(os, "register_at_fork"):  # pragma: no cover - Windows
        return
    ref = weakref_ref(owner)

    def renew() -> None:
        obj = ref()
        if obj is not None:
            setattr(obj, attribute, allocate_lock())

    os.register_at_fork(after_in_child=renew)
