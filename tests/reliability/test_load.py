"""Load: 200 concurrent async streams keep every byte; 10,000 sequential streams do not grow
file descriptors or memory. Figures are printed (run with `-s`) and recorded in
docs/reliability.md. Bounded: each test < 60 s on 2 shared cores.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections import Counter

import httpx
from groq import DefaultAsyncHttpxClient
from groq_e2e_helpers import MODEL
from reliability_helpers import in_flight, rss_mb, socket_fds

from mirascope.core import groq, prompt_template

CONCURRENT = 200
SEQUENTIAL = 10_000
WARMUP = 1_000
RSS_GROWTH_LIMIT_MB = 10.0
WORDS = [
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
    "hotel", "india", "juliet", "kilo", "lima", "mike",
]  # fmt: skip


def _text(i: int) -> str:
    """A distinct text per stream: its number, then 26 words rotated by it."""
    words = [WORDS[(i + k) % len(WORDS)] for k in range(26)]
    return f"stream {i:03d}: " + " ".join(words) + "."


async def test_200_concurrent_async_streams_keep_every_byte(groq_emulator):
    emu = groq_emulator
    limits = httpx.Limits(max_connections=250, max_keepalive_connections=250)
    client = emu.async_client(http_client=DefaultAsyncHttpxClient(limits=limits))
    try:

        @groq.call(MODEL, stream=True, client=client)
        @prompt_template("Say stream {i}")
        async def say(i: int) -> dict:
            # One scenario per request, so each stream has its own text and a swap would show.
            scenario = f"text;text={_text(i)};delay=0.01"
            return {"call_params": {"extra_headers": {"x-emulator-scenario": scenario}}}

        async def one(i: int):
            stream = await say(i)
            pieces = [chunk.content async for chunk, _ in stream]
            return i, stream, "".join(pieces)

        before = socket_fds()
        started = time.monotonic()
        results = await asyncio.gather(*(one(i) for i in range(CONCURRENT)))
        elapsed = time.monotonic() - started
        peak_connections = emu.connections_opened

        assert len(results) == CONCURRENT
        for i, stream, joined in results:
            expected = _text(i)
            assert joined == expected
            assert stream.content == expected
            assert stream.is_complete is True
            assert stream.error is None
            assert stream.finish_reasons == ["stop"]
            assert stream.output_tokens == 30  # "stream", " 0XX", ":", 26 words, "."
        assert Counter(r.json["messages"][0]["content"] for r in emu.requests) == Counter(
            f"Say stream {i}" for i in range(CONCURRENT)
        )
        # `completed` is set by the emulator thread just after it writes the terminator.
        assert emu.wait_for(lambda: all(s.completed for s in emu.streams), timeout=5)
        assert not any(s.client_closed_early for s in emu.streams)
        assert len(emu.streams) == CONCURRENT
        assert in_flight(client) == 0
        print(
            f"\n[load] {CONCURRENT} concurrent async streams: {elapsed:.2f} s, "
            f"{peak_connections} TCP connections, sockets {before} -> {socket_fds()} (pooled)"
        )
    finally:
        await client.close()
    assert emu.wait_for(lambda: emu.open_connections == 0, timeout=5)
    assert emu.wait_for(lambda: socket_fds() <= before, timeout=5)


def test_10000_sequential_streams_no_fd_or_memory_growth(groq_emulator):
    emu = groq_emulator
    client = emu.client(default_headers={"x-emulator-scenario": "text;text=one two three"})
    try:

        @groq.call(MODEL, stream=True, client=client)
        def say() -> str:
            return "Count to three"

        def batch(n: int) -> None:
            for _ in range(n):
                stream = say()
                for _ in stream:
                    pass
                assert stream.content == "one two three"
                assert stream.is_complete is True
            assert len(emu.requests) == n
            assert emu.wait_for(lambda: all(s.completed for s in emu.streams), timeout=5)
            emu.reset()  # drop the emulator's own recordings; the connection stays open

        started = time.monotonic()
        batch(WARMUP)
        gc.collect()
        fds_1k, rss_1k = socket_fds(), rss_mb()
        for _ in range((SEQUENTIAL - WARMUP) // WARMUP):
            batch(WARMUP)
            assert emu.connections_opened == 0  # all on the one keep-alive connection
        gc.collect()
        fds_10k, rss_10k = socket_fds(), rss_mb()
        elapsed = time.monotonic() - started

        assert fds_10k == fds_1k
        assert rss_10k - rss_1k < RSS_GROWTH_LIMIT_MB
        assert in_flight(client) == 0
        print(
            f"\n[load] {SEQUENTIAL} sequential streams: {elapsed:.1f} s "
            f"({elapsed / SEQUENTIAL * 1000:.2f} ms each); sockets {fds_1k} -> {fds_10k}; "
            f"RSS {rss_1k:.1f} -> {rss_10k:.1f} MiB ({rss_10k - rss_1k:+.1f} MiB)"
        )
    finally:
        client.close()
