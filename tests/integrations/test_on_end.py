"""`BaseStream.on_end`: runs once, after the end state is set, for sync and async callbacks."""

from __future__ import annotations

from typing import Any

from groq_e2e_helpers import MODEL, Flavor


async def test_on_end_runs_once_with_the_end_state(flavor: Flavor) -> None:
    flavor.emu.enqueue("text", text="Hello there")
    stream = await flavor.invoke(flavor.call(lambda: "hi", MODEL, stream=True))
    seen: list[tuple[str, str]] = []

    def record(s: Any) -> None:
        seen.append((s.end_state, s.content))

    async def record_async(s: Any) -> None:
        record(s)

    stream.on_end(record_async if flavor.is_async else record)
    await flavor.drain(stream)
    assert seen == [("finished", "Hello there")]
    await flavor.close_stream(stream)
    assert len(seen) == 1
    stream.on_end(record)  # after the end: runs at once
    assert seen[-1] == ("finished", "Hello there") and len(seen) == 2


async def test_stream_without_callbacks_has_none(flavor: Flavor) -> None:
    flavor.emu.enqueue("text", text="x")
    stream = await flavor.invoke(flavor.call(lambda: "hi", MODEL, stream=True))
    await flavor.drain(stream)
    assert "_end_callbacks" not in vars(stream)  # the class attribute None: nothing to run


async def test_on_end_fires_when_closed_before_the_first_next(flavor: Flavor) -> None:
    flavor.emu.enqueue("text", text="never read")
    stream = await flavor.invoke(flavor.call(lambda: "hi", MODEL, stream=True))
    seen: list[tuple[str, str, Any]] = []
    stream.on_end(lambda s: seen.append((s.end_state, s.content, s.error)))
    await flavor.close_stream(stream)
    assert seen == [("closed_early", "", None)]
    assert stream.message_param == {"role": "assistant", "content": ""}
    await flavor.close_stream(stream)  # idempotent: still once
    assert len(seen) == 1
    assert flavor.emu.requests == []  # the request is only sent at the first next()
