"""``otel view`` under load (issue 14 item 8), bounded for the suite: 4 senders at full
speed for ~10 s plus UI queries every 100 ms. No request fails, every query answers within
1 s, the viewer's memory stays bounded and it stops cleanly. (The 60 s run is
``benchmarks/viewer_load.py``; kill -9 during ingest is tests/viewer/test_durability.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from load_kit import run_load

pytestmark = pytest.mark.interop


def test_four_senders_and_ui_queries_for_ten_seconds(tmp_path: Path) -> None:
    result = run_load(tmp_path / "view.sqlite3", seconds=10)
    print(result.summary())
    assert result.failures == []
    assert result.batches_acknowledged > 0
    assert len(result.query_latencies_s) >= 10
    assert result.worst_query_s < 1.0, result.summary()
    assert max(result.rss_kib) < 512 * 1024, result.summary()  # bounded, not growing with data
    assert result.viewer_exit_code == 0
