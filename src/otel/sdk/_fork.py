"""Fresh locks in a forked child (the helper lives in ``otel._fork``, usable by the API)."""

from otel._fork import renew_lock_after_fork

__all__ = ["renew_lock_after_fork"]
