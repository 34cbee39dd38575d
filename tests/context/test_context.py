from __future__ import annotations

import asyncio
import contextvars
import logging
import threading

import pytest

from otel import context


def test_set_value_returns_new_context_and_leaves_original_unchanged() -> None:
    key = context.create_key("k")
    original = context.get_current()
    updated = context.set_value(key, 1)
    assert context.get_value(key, updated) == 1
    assert context.get_value(key, original) is None
    assert context.get_value(key) is None


def test_create_key_returns_distinct_keys_for_same_name() -> None:
    assert context.create_key("same") != context.create_key("same")


def test_context_refuses_mutation() -> None:
    ctx = context.set_value(context.create_key("k"), 1)
    with pytest.raises(TypeError):
        ctx["x"] = 2  # type: ignore[index]
    with pytest.raises(TypeError):
        ctx.update({"x": 2})
    with pytest.raises(TypeError):
        ctx.pop("x")


def test_attach_makes_context_current_and_detach_restores_previous() -> None:
    key = context.create_key("k")
    token = context.attach(context.set_value(key, "v"))
    assert context.get_value(key) == "v"
    context.detach(token)
    assert context.get_value(key) is None


def test_detach_with_used_token_logs_instead_of_raising(caplog: pytest.LogCaptureFixture) -> None:
    token = context.attach(context.set_value(context.create_key("k"), 1))
    context.detach(token)
    with caplog.at_level(logging.ERROR, logger="otel.context"):
        context.detach(token)
    assert "Failed to detach context" in caplog.text


def test_detach_with_token_from_other_thread_logs_instead_of_raising(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tokens = []
    thread = threading.Thread(target=lambda: tokens.append(context.attach(context.get_current())))
    thread.start()
    thread.join()
    with caplog.at_level(logging.ERROR, logger="otel.context"):
        context.detach(tokens[0])
    assert "Failed to detach context" in caplog.text


def test_plain_new_thread_starts_from_empty_context() -> None:
    key = context.create_key("k")
    token = context.attach(context.set_value(key, 1))
    seen = []
    thread = threading.Thread(target=lambda: seen.append(context.get_value(key)))
    thread.start()
    thread.join()
    context.detach(token)
    assert seen == [None]


def test_thread_started_with_copied_context_sees_parent_value() -> None:
    key = context.create_key("k")
    token = context.attach(context.set_value(key, 1))
    seen = []
    copied = contextvars.copy_context()
    thread = threading.Thread(
        target=copied.run, args=(lambda: seen.append(context.get_value(key)),)
    )
    thread.start()
    thread.join()
    context.detach(token)
    assert seen == [1]


def test_asyncio_tasks_keep_their_own_values() -> None:
    key = context.create_key("k")

    async def worker(value: int) -> list[object]:
        context.attach(context.set_value(key, value))
        seen = []
        for _ in range(3):
            await asyncio.sleep(0)
            seen.append(context.get_value(key))
        return seen

    async def main() -> list[list[object]]:
        return await asyncio.gather(worker(1), worker(2))

    assert asyncio.run(main()) == [[1, 1, 1], [2, 2, 2]]
