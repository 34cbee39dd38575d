"""Suite-wide fixtures: every test starts and ends with otel's globals reset."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from _support.peers import require_official_python
from otel.testing import reset_globals

# Property tests: wall-clock limits make them flaky on a busy 2-core machine, and CI must be
# reproducible, so under CI=true the examples are derived from the test, not random.
settings.register_profile(
    "otel", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile("otel-ci", parent=settings.get_profile("otel"), derandomize=True)
# scripts/fuzz.sh: OTEL_FUZZ=1 runs every property test with many more examples.
settings.register_profile(
    "otel-fuzz",
    parent=settings.get_profile("otel"),
    max_examples=int(os.environ.get("OTEL_FUZZ_EXAMPLES", "5000")),
)
if os.environ.get("OTEL_FUZZ") == "1":
    settings.load_profile("otel-fuzz")
else:
    settings.load_profile("otel-ci" if os.environ.get("CI") == "true" else "otel")


@pytest.fixture(autouse=True)
def _fresh_otel_globals() -> Iterator[None]:
    reset_globals()
    yield
    reset_globals()


@pytest.fixture(scope="session")
def official_python() -> str:
    """The official SDK's interpreter, with every oracle package importable.

    Locally a missing package skips the test; under CI=true it fails it.
    """
    return require_official_python()
