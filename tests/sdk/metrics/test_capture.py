"""otel.testing capture_metrics helper."""

from __future__ import annotations

from otel.testing._metrics import capture_metrics


def test_capture_metrics_collects_by_name() -> None:
    with capture_metrics() as captured:
        captured.get_meter().create_counter("c").add(3, {"k": "v"})
        (point,) = captured.points("c")
        assert point.value == 3 and point.attributes == {"k": "v"}
        assert captured.points("missing") == []
