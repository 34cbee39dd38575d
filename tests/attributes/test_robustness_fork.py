"""A forked child does not inherit the attribute-warning lock held by another thread."""

from __future__ import annotations

import os

import pytest

from _support.fork import child_finishes_while_held
from otel.attributes import _attributes, clean_attribute_value


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore:.*fork.*:DeprecationWarning")  # 3.12+: threads + fork
def test_child_can_drop_an_invalid_attribute_when_the_warning_lock_was_held() -> None:
    assert child_finishes_while_held(
        _attributes._warned._lock,
        # a new key must be warned about in the child, which takes the lock
        lambda: clean_attribute_value("key.first.seen.in.child", object()),
    )
