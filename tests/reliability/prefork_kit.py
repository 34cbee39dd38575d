"""What each worker process delivered: pid -> signal -> the ``service.instance.id`` values
its spans, metric points and log records carried (read from the decoded OTLP requests)."""

from __future__ import annotations

import concurrent.futures
from typing import Any

from zerocode_kit import Receiver, attributes, get

SIGNALS = ("spans", "metrics", "logs")


def _resource(item: Any) -> dict[str, Any]:
    return {kv.key: kv.value.string_value or kv.value.int_value for kv in item.attributes}


def delivered(receiver: Receiver) -> dict[int, dict[str, set[str]]]:
    found: dict[int, dict[str, set[str]]] = {}

    def note(pid: int, signal: str, resource: dict[str, Any]) -> None:
        per = found.setdefault(pid, {name: set() for name in SIGNALS})
        per[signal].add(str(resource.get("service.instance.id")))

    for message in receiver.messages():
        for rs in getattr(message, "resource_spans", ()):
            resource = _resource(rs.resource)
            for ss in rs.scope_spans:
                for span in ss.spans:
                    if span.name == "request":
                        note(int(attributes(span)["worker.pid"]), "spans", resource)
        for rm in getattr(message, "resource_metrics", ()):
            resource = _resource(rm.resource)
            for sm in rm.scope_metrics:
                for metric in sm.metrics:
                    if metric.name == "prefork.requests":
                        for point in metric.sum.data_points:
                            note(int(attributes(point)["worker.pid"]), "metrics", resource)
        for rl in getattr(message, "resource_logs", ()):
            resource = _resource(rl.resource)
            for sl in rl.scope_logs:
                for record in sl.log_records:
                    text = record.body.string_value
                    if text.startswith("served-by "):
                        note(int(text.split()[1]), "logs", resource)
    return found


def serving_pids(port: int, wanted: int, rounds: int = 60) -> set[int]:
    """Concurrent requests until ``wanted`` distinct worker pids answered (bounded)."""
    pids: set[int] = set()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for _ in range(rounds):
            pids.update(int(pid) for pid in pool.map(lambda _: get(port), range(16)))
            if len(pids) >= wanted:
                break
    return pids


def complete(found: dict[int, dict[str, set[str]]], pids: set[int]) -> bool:
    """Every pid delivered all three signals."""
    return all(pid in found and all(found[pid][s] for s in SIGNALS) for pid in pids)


def assert_each_worker_is_its_own_instance(
    found: dict[int, dict[str, set[str]]], pids: set[int]
) -> None:
    assert complete(found, pids), {pid: found.get(pid) for pid in pids}
    instance_of = {}
    for pid in pids:
        ids = set().union(*found[pid].values())
        assert len(ids) == 1, (pid, found[pid])  # one instance id across the three signals
        instance_of[pid] = ids.pop()
    assert len(set(instance_of.values())) == len(pids), instance_of
