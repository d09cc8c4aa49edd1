"""`fn.map` / `fn.map_async` end to end: the real groq SDK against the emulator."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from mirascope.core import groq
from mirascope.core.groq.errors import GroqBulkInterrupted, GroqBulkItemError
from mirascope.core.groq.testing import GroqEmulator


def _sync(emu: GroqEmulator) -> Any:
    @groq.call("openai/gpt-oss-20b", client=emu.client())
    def echo(word: str) -> str:
        return f"Say {word}"

    return echo


def _async(emu: GroqEmulator, client: Any = None) -> Any:
    @groq.call("openai/gpt-oss-20b", client=client or emu.async_client())
    async def echo(word: str) -> str:
        return f"Say {word}"

    return echo


def _said(result: object) -> str:
    assert isinstance(result, groq.GroqCallResponse), result
    return str(result.messages[-1]["content"])


def test_map_in_order_with_a_failing_item(emu: GroqEmulator) -> None:
    words = [f"w{i}" for i in range(12)]
    emu.enqueue("text", text="first")  # scripted replies go to whichever request comes first
    emu.enqueue_error(500)
    results = _sync(emu).map([{"word": w} for w in words], concurrency=4, progress=False)
    assert len(results) == 12
    errors = [r for r in results if isinstance(r, GroqBulkItemError)]
    assert len(errors) == 1 and errors[0].status_code == 500
    assert [_said(r) for r in results if r is not errors[0]] == [
        f"Say {w}" for i, w in enumerate(words) if i != errors[0].index
    ]


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(n=st.integers(0, 30), concurrency=st.integers(1, 8))
def test_map_async_order_property(groq_emulator: GroqEmulator, n: int, concurrency: int) -> None:
    inputs = [{"word": f"x{i}"} for i in range(n)]

    async def run() -> list[object]:
        async with groq_emulator.async_client() as client:
            fn = _async(groq_emulator, client)
            return await fn.map_async(inputs, concurrency=concurrency, progress=False)

    results = asyncio.run(run())
    assert [_said(r) for r in results] == [f"Say x{i}" for i in range(n)]


class Word(BaseModel):
    word: str


def test_map_response_model_and_bad_input(emu: GroqEmulator) -> None:
    @groq.call("openai/gpt-oss-20b", client=emu.client(), response_model=Word, json_mode=True)
    def pick(word: str) -> str:
        return f"Pick {word}"

    results = pick.map([{"word": "a"}, {"nope": 1}], progress=False)
    assert isinstance(results[0], Word)
    assert isinstance(results[1], GroqBulkItemError) and results[1].index == 1


@pytest.mark.parametrize("flavor_async", [False, True])
def test_pacing_gets_no_429_after_the_first(emu: GroqEmulator, flavor_async: bool) -> None:
    emu.set_rate_limits(tokens_per_minute=150, minute_seconds=0.3)
    inputs = [{"word": f"w{i}"} for i in range(40)]
    if flavor_async:

        async def run() -> list[object]:
            async with emu.async_client() as client:
                return await _async(emu, client).map_async(inputs, concurrency=20, progress=False)

        results = asyncio.run(run())
    else:
        results = _sync(emu).map(inputs, concurrency=20, progress=False)
    assert all(isinstance(r, groq.GroqCallResponse) for r in results)
    assert emu.rate_limited <= 1


def test_requests_per_day_exhausted_paces_until_reset(emu: GroqEmulator) -> None:
    emu.set_rate_limits(requests_per_day=5, day_seconds=0.5)
    results = _sync(emu).map([{"word": f"w{i}"} for i in range(12)], concurrency=6, progress=False)
    assert all(isinstance(r, groq.GroqCallResponse) for r in results)
    assert emu.rate_limited <= 1


def _chat_requests(emu: GroqEmulator) -> int:
    return sum(1 for r in emu.requests if r.path.endswith("/chat/completions"))


def _script_three_quick_then_stalls(emu: GroqEmulator) -> list[dict[str, str]]:
    for _ in range(3):
        emu.enqueue("text", text="quick")
    for _ in range(20):
        emu.enqueue("stall", stall_seconds=30)
    return [{"word": f"w{i}"} for i in range(23)]


def _three_done_twenty_interrupted(results: list[object]) -> None:
    done = [r for r in results if isinstance(r, groq.GroqCallResponse)]
    interrupted = [r for r in results if isinstance(r, GroqBulkItemError)]
    assert len(results) == 23 and len(done) == 3 and len(interrupted) == 20
    assert all(r.code == "interrupted" for r in interrupted)
    assert sorted(r.index for r in interrupted) == [
        i for i, r in enumerate(results) if isinstance(r, GroqBulkItemError)
    ]


async def test_cancellation_reraises_keeps_what_finished_and_leaks_nothing(
    emu: GroqEmulator,
) -> None:
    inputs = _script_three_quick_then_stalls(emu)
    into: list[object] = []
    async with emu.async_client() as client:
        run = _async(emu, client).map_async(inputs, concurrency=8, progress=False, into=into)
        task = asyncio.ensure_future(run)
        while _chat_requests(emu) < 11:  # 3 answered, 8 stalled in flight
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert task.cancelled()  # asyncio's rules: a cancelled run is a cancelled task
    _three_done_twenty_interrupted(into)
    assert _chat_requests(emu) == 11  # nothing was sent after the cancellation
    emu.wait_for(lambda: emu.open_connections == 0, timeout=5)


async def test_into_is_the_returned_list(emu: GroqEmulator) -> None:
    into: list[object] = ["stale"]
    async with emu.async_client() as client:
        results = await _async(emu, client).map_async([{"word": "a"}, {"word": "b"}], into=into)
    assert results is into and [_said(r) for r in into] == ["Say a", "Say b"]


def test_ctrl_c_in_map_raises_with_what_finished_and_leaks_nothing(emu: GroqEmulator) -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach the main thread only")
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        pytest.skip("a SIGINT handler is already installed")
    inputs = _script_three_quick_then_stalls(emu)

    def press_ctrl_c() -> None:
        emu.wait_for(lambda: _chat_requests(emu) >= 11, timeout=30)
        os.kill(os.getpid(), signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c)
    presser.start()
    into: list[object] = []
    caught: BaseException | None = None
    try:
        _sync(emu).map(inputs, concurrency=8, progress=False, into=into)
    except KeyboardInterrupt as exc:  # a bare KeyboardInterrupt would be the failure
        caught = exc
    presser.join()
    assert isinstance(caught, GroqBulkInterrupted), caught
    assert caught.results is into
    _three_done_twenty_interrupted(caught.results)
    assert "3 of 23" in str(caught)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handler restored
    emu.wait_for(lambda: emu.open_connections == 0, timeout=5)


def test_stream_functions_are_refused(emu: GroqEmulator) -> None:
    @groq.call("openai/gpt-oss-20b", client=emu.client(), stream=True)
    def s(word: str) -> str:
        return word

    with pytest.raises(ValueError, match="stream=True"):
        s.map([{"word": "a"}])


def test_progress_counts_done_failed_tokens_and_cost(
    emu: GroqEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    emu.enqueue_error(500)
    results = _sync(emu).map([{"word": f"w{i}"} for i in range(4)], concurrency=1, progress=True)
    ok = [r for r in results if isinstance(r, groq.GroqCallResponse)]
    tokens = sum((r.input_tokens or 0) + (r.output_tokens or 0) for r in ok)
    cost = sum(r.cost or 0.0 for r in ok)
    err = capsys.readouterr().err
    assert "failed=1" in err and f"tokens={tokens}" in err and f"cost=${cost:.6f}" in err
    assert "4/4" in err
