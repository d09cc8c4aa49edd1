"""Helpers for the reliability suite: running a stream to its failure, the partial-state and
connection-release assertions shared by every fault test, and process resource probes."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import groq as groq_sdk
from groq_e2e_helpers import Flavor, Pair, ask

from mirascope.core.groq.errors import GroqStreamError
from mirascope.core.groq.testing import GroqEmulator

SECRET_KEY = "gsk_SECRET_do_not_leak_123"
"""A distinctive fake API key; it must never show up anywhere (test_secrets.py)."""

RATE_LIMIT_HEADERS = (
    "x-ratelimit-limit-requests",
    "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-requests",
    "x-ratelimit-reset-tokens",
)


# -- process probes ------------------------------------------------------------------------


def socket_fds() -> int:
    """Open file descriptors of this process that are sockets (client and emulator ends)."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("socket:"):
                count += 1
        except OSError:  # the fd of the listdir itself, closed meanwhile
            pass
    return count


def rss_mb() -> float:
    """Resident set size now (not the peak), in MiB, from /proc/self/statm."""
    with open("/proc/self/statm") as f:
        resident_pages = int(f.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def in_flight(client: Any) -> int:
    """Requests checked out of the client's httpx connection pool.

    A response that was never closed keeps its request here (and its connection busy), so 0
    means no stream of this client is holding a connection.
    """
    return len(client._client._transport._pool._requests)


# -- clients ---------------------------------------------------------------------------------


def new_client(flavor: Flavor, **kwargs: Any) -> Any:
    """A `groq.Groq` / `groq.AsyncGroq` of the flavor's kind built directly (any `base_url`,
    `api_key`, `http_client`, ...), closed with the flavor's other clients."""
    kwargs.setdefault("max_retries", 0)
    cls = groq_sdk.AsyncGroq if flavor.is_async else groq_sdk.Groq
    client = cls(**kwargs)
    flavor._clients.append(client)
    return client


# -- running a stream to its end -------------------------------------------------------------


async def consume(flavor: Flavor, stream: Any) -> tuple[list[Pair], Exception | None]:
    """Iterate `stream` with the flavor's loop; return the pairs received and the error, if any."""
    pairs: list[Pair] = []
    try:
        if flavor.is_async:
            async for pair in stream:
                pairs.append(pair)
        else:
            for pair in stream:
                pairs.append(pair)
    except Exception as error:
        return pairs, error
    return pairs, None


async def run(
    flavor: Flavor, body: Callable[..., Any] = ask, *args: Any, **call_kw: Any
) -> tuple[Any, list[Pair], Exception | None]:
    """`@groq.call(..., stream=True)` over `body`, iterated to its end: `(stream, pairs, error)`.

    Asserts the request is lazy: nothing is sent before the first `next()`.
    """
    call_kw.setdefault("stream", True)
    if not args and body is ask:
        args = ("Say hello",)
    emu = flavor.emu
    sent_before = len(emu.requests)
    stream = await flavor.invoke(flavor.call(body, **call_kw), *args)
    assert len(emu.requests) == sent_before, "the request must be sent at the first next()"
    pairs, error = await consume(flavor, stream)
    return stream, pairs, error


def assert_partial(
    stream: Any,
    pairs: list[Pair],
    error: Exception,
    *,
    content: str,
    tool_calls: list[dict[str, Any]] | None = None,
    input_tokens: int | None = None,
    output_tokens: int | None = None,
) -> None:
    """The stream ended in `error` and kept exactly what arrived, claiming no finish reason."""
    assert stream.error is error
    assert stream.is_complete is False
    assert stream.end_state == "error"
    assert stream.content == content
    assert "".join(chunk.content for chunk, _ in pairs) == content
    expected: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        expected["tool_calls"] = tool_calls
    assert stream.message_param == expected
    assert stream.input_tokens == input_tokens
    assert stream.output_tokens == output_tokens
    assert 0 < stream.start_time <= stream.end_time
    response = stream.construct_call_response()
    assert response.content == content
    assert response.finish_reasons == []
    if isinstance(error, GroqStreamError):
        assert error.stream is stream
        partial = error.partial
        assert partial is not None
        assert partial.content == content
        assert partial.finish_reasons == []


async def assert_connection_closed(flavor: Flavor, emu: GroqEmulator, client: Any) -> None:
    """The stream's response was closed: nothing checked out of the client's pool, and the
    emulator saw the TCP connection of its last stream close (no keep-alive reuse of a
    half-read body)."""
    assert await flavor.wait_for(lambda: in_flight(client) == 0)
    assert await flavor.wait_for(lambda: emu.streams[-1].connection_closed)
    assert await flavor.wait_for(lambda: emu.open_connections == 0)


async def consume_with_retries(flavor: Flavor, fn: Any) -> str:
    """docs/reliability.md "Retrying a stream": tenacity around the function that consumes the
    stream (each attempt makes a new stream, so a new request); returns the content."""
    from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_fixed

    from mirascope.core.groq.errors import GroqStreamConnectionError

    policy = retry(
        retry=retry_if_exception_type(GroqStreamConnectionError),
        stop=stop_after_attempt(3),
        wait=wait_fixed(0.01),
        reraise=True,
    )
    if flavor.is_async:

        @policy
        async def consume_async() -> str:
            stream = await fn("Say hello")
            async for _ in stream:
                pass
            return stream.content

        return await consume_async()

    @policy
    def consume_sync() -> str:
        stream = fn("Say hello")
        for _ in stream:
            pass
        return stream.content

    return consume_sync()
