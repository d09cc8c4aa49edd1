"""1,000 streams abandoned in every way leave no open socket and no pending task (API.md B14).

Each mode runs N streams through `groq.call(..., stream=True)` against the emulator (scripted
per request with the `x-emulator-scenario` header), then checks, with the client still open:

* nothing is checked out of the client's httpx pool (`in_flight == 0`);
* the socket file descriptors of this process (client and emulator ends) grew by at most 2,
  i.e. at most one pooled keep-alive connection;
* the emulator has at most one open connection and every stream it started has ended;
* async: no asyncio task is left pending.

A leak of even one connection per stream would show as ~2,000 extra sockets (or a pool
timeout once 100 connections are checked out). Bounded: N streams per test, < 60 s each.
"""

from __future__ import annotations

import asyncio
import gc
import time

import httpx
import pytest
from groq import DefaultAsyncHttpxClient
from groq_e2e_helpers import MODEL, ask
from reliability_helpers import in_flight, socket_fds

from mirascope.core import groq
from mirascope.core.groq.errors import GroqStreamError

N = 1000
TEXT_SCENARIO = "text;text=one two three four five six"
SLOW_SCENARIO = "text;text=one two three;delay=1"  # the task awaits the 2nd chunk for 1 s
ERROR_SCENARIO = "error_event;text=Hello there"
BATCH = 100  # concurrent tasks per cancellation round


class Boom(Exception):
    pass


async def ask_async(question: str) -> str:
    return question


def _scenario(mode: str) -> str:
    if mode == "error_event":
        return ERROR_SCENARIO
    if mode == "task_cancelled":
        return SLOW_SCENARIO
    return TEXT_SCENARIO


def _abandon_sync(fn, mode: str) -> None:
    stream = fn("Count")
    if mode == "break_first":
        for _ in stream:
            break
    elif mode == "exception_in_body":
        try:
            for _ in stream:
                raise Boom
        except Boom:
            pass
    elif mode == "close_mid":
        for _ in stream:
            stream.close()
    elif mode == "with_exit":
        with stream:
            it = iter(stream)
            next(it)
        assert stream.end_state == "closed_early"
        del it
    elif mode == "never_iterated":
        pass
    elif mode == "dropped_mid_iteration":
        it = iter(stream)
        next(it)
        del it
    elif mode == "error_event":
        try:
            for _ in stream:
                pass
        except GroqStreamError:
            pass
    else:  # pragma: no cover
        raise AssertionError(mode)
    del stream


async def _abandon_async(fn, mode: str) -> None:
    stream = await fn("Count")
    if mode == "break_first":
        async for _ in stream:
            break
    elif mode == "exception_in_body":
        try:
            async for _ in stream:
                raise Boom
        except Boom:
            pass
    elif mode == "aclose_mid":
        async for _ in stream:
            await stream.aclose()
    elif mode == "async_with_exit":
        async with stream:
            it = stream.__aiter__()
            await it.__anext__()
        assert stream.end_state == "closed_early"
        await it.aclose()
    elif mode == "never_iterated":
        pass
    elif mode == "error_event":
        try:
            async for _ in stream:
                pass
        except GroqStreamError:
            pass
    else:  # pragma: no cover
        raise AssertionError(mode)


async def _cancel_batch(fn, size: int) -> None:
    """`size` tasks each get the first chunk, then are cancelled while awaiting the next one."""
    started = 0
    all_started = asyncio.Event()
    streams = []

    async def consume() -> None:
        nonlocal started
        stream = await fn("Count")
        streams.append(stream)
        async for _ in stream:
            started += 1
            if started == size:
                all_started.set()

    tasks = [asyncio.create_task(consume()) for _ in range(size)]
    await asyncio.wait_for(all_started.wait(), 10)
    for task in tasks:
        task.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert all(isinstance(r, asyncio.CancelledError) for r in results)
    assert [s.end_state for s in streams] == ["closed_early"] * size
    assert {s.content for s in streams} == {""}  # only the role chunk had arrived


def _assert_no_leak(emu, client, before: int, mode: str) -> None:
    assert in_flight(client) == 0
    assert emu.wait_for(lambda: emu.open_connections <= 1, timeout=5), emu.open_connections
    assert emu.wait_for(lambda: all(s.ended_at is not None for s in emu.streams), timeout=5)
    after = socket_fds()
    assert after - before <= 2, (before, after)
    assert len(emu.requests) == (0 if mode == "never_iterated" else N)


SYNC_MODES = [
    "break_first",
    "exception_in_body",
    "close_mid",
    "with_exit",
    "never_iterated",
    "dropped_mid_iteration",
    "error_event",
]


@pytest.mark.parametrize("mode", SYNC_MODES)
def test_sync_abandoned_streams_leak_nothing(groq_emulator, mode):
    emu = groq_emulator
    client = emu.client(default_headers={"x-emulator-scenario": _scenario(mode)})
    try:
        fn = groq.call(MODEL, stream=True, client=client)(ask)
        gc.collect()
        before = socket_fds()
        for i in range(N):
            _abandon_sync(fn, mode)
            if mode == "dropped_mid_iteration" and i % 50 == 49:
                gc.collect()
        gc.collect()
        _assert_no_leak(emu, client, before, mode)
    finally:
        client.close()


ASYNC_MODES = [
    "break_first",
    "exception_in_body",
    "aclose_mid",
    "async_with_exit",
    "task_cancelled",
    "never_iterated",
    "error_event",
]


@pytest.mark.parametrize("mode", ASYNC_MODES)
async def test_async_abandoned_streams_leak_nothing(groq_emulator, mode):
    emu = groq_emulator
    limits = httpx.Limits(max_connections=250, max_keepalive_connections=250)
    client = emu.async_client(
        default_headers={"x-emulator-scenario": _scenario(mode)},
        http_client=DefaultAsyncHttpxClient(limits=limits),
    )
    try:
        fn = groq.call(MODEL, stream=True, client=client)(ask_async)
        gc.collect()
        before = socket_fds()
        if mode == "task_cancelled":
            for _ in range(N // BATCH):
                await _cancel_batch(fn, BATCH)
        else:
            for _ in range(N):
                await _abandon_async(fn, mode)
        gc.collect()
        # Async generators abandoned by `break` are closed by the loop's finalizer hook.
        for _ in range(20):
            await asyncio.sleep(0)
        deadline = time.monotonic() + 5
        while in_flight(client) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        _assert_no_leak(emu, client, before, mode)
        current = asyncio.current_task()
        assert [t for t in asyncio.all_tasks() if t is not current] == []
    finally:
        await client.close()
