"""Issue 9 B-E end to end: timeouts, WHATWG SSE framing, typed failures, async early close.

Every test runs sync and async (`flavor`) through the real groq SDK, against the emulator's raw
scenario (`enqueue_raw`: exact bytes, one HTTP chunk per item) or, where the timing of the bytes
matters (hold a response open, wait for the client between two bytes), `raw_server.RawServer`.
"""

from __future__ import annotations

import asyncio
import gc
import json
import pickle
import threading
import time
import zlib
from typing import Any

import groq as groq_sdk
import pytest
from groq_e2e_helpers import MODEL, ask, chunk_dict, usage_u
from raw_server import SSE_HEADERS, RawServer, chunk, hold_until_client_closes
from reliability_helpers import (
    SECRET_KEY,
    consume,
    consume_with_retries,
    in_flight,
    new_client,
    run,
)

from mirascope.core import groq
from mirascope.core.groq.errors import (
    GroqStreamConnectionError,
    GroqStreamDecodeError,
    GroqStreamError,
)


def _obj(delta: dict[str, Any] | None = None, finish: str | None = None, **extra: Any) -> dict:
    return {
        "id": "chatcmpl-raw",
        "object": "chat.completion.chunk",
        "created": 1770770839,
        "model": MODEL,
        **chunk_dict(delta, finish, **extra),
    }


def _data(delta: dict[str, Any] | None = None, finish: str | None = None, **extra: Any) -> bytes:
    return b"data: " + json.dumps(_obj(delta, finish, **extra)).encode()


ROLE = _data({"role": "assistant", "content": ""})
FINISH = _data({}, "stop", x_groq={"id": "req_raw", "usage": usage_u()})


def _text(word: str) -> bytes:
    return _data({"content": word})


async def _run_raw(flavor, server: RawServer, **call_kw: Any) -> tuple[Any, list, Exception | None]:
    client = new_client(flavor, base_url=server.url, api_key=SECRET_KEY)
    call_kw.setdefault("stream", True)
    stream = await flavor.invoke(flavor.call(ask, client=client, **call_kw), "Say hello")
    pairs, error = await consume(flavor, stream)
    return stream, pairs, error


# -- B: timeouts count only the wait on the socket ------------------------------------------


def _every(seconds: float, words: list[str]):
    def handler(conn, server: RawServer) -> None:
        conn.sendall(SSE_HEADERS + chunk(ROLE + b"\n\n"))
        for word in words:
            time.sleep(seconds)
            conn.sendall(chunk(_text(word) + b"\n\n"))
        conn.sendall(chunk(FINISH + b"\n\n") + chunk(b"data: [DONE]\n\n") + b"0\r\n\r\n")

    return handler


async def _slow_consume(flavor, stream: Any, body_seconds: float) -> Exception | None:
    # The loop body takes longer than the limit on the first chunk (a tool running) while the
    # server keeps sending every 0.2 s; only the consumer is slow.
    try:
        first = True
        if flavor.is_async:
            async for _ in stream:
                if first:
                    first = False
                    await asyncio.sleep(body_seconds)
        else:
            for _ in stream:
                if first:
                    first = False
                    time.sleep(body_seconds)
    except Exception as error:
        return error
    return None


WORDS = ["Hello", " there", " my", " good", " friend", " how", " are", " you"]


@pytest.mark.parametrize(
    "options",
    [{"chunk_timeout": 1.0}, {"first_chunk_timeout": 1.0, "chunk_timeout": 1.0}],
    ids=["chunk_timeout", "both"],
)
async def test_b_a_slow_loop_body_does_not_count_against_the_timeouts(flavor, options):
    # The server is still sending (8 x 0.2 s) when the loop body's 1.5 s would exceed the limit.
    with RawServer(_every(0.2, WORDS)) as server:
        client = new_client(flavor, base_url=server.url, api_key=SECRET_KEY)
        stream = await flavor.invoke(flavor.call(ask, client=client, stream=options), "Hi")
        error = await _slow_consume(flavor, stream, body_seconds=1.5)
    assert error is None
    assert stream.content == "".join(WORDS)
    assert stream.is_complete is True


async def test_b_the_server_stalling_still_times_out_after_the_fix(flavor):
    def handler(conn, server: RawServer) -> None:
        conn.sendall(SSE_HEADERS + chunk(ROLE + b"\n\n") + chunk(_text("Hello") + b"\n\n"))
        hold_until_client_closes(conn, limit=10)

    with RawServer(handler) as server:
        started = time.monotonic()
        stream, _, error = await _run_raw(flavor, server, stream={"chunk_timeout": 0.3})
    assert type(error).__name__ == "GroqStreamTimeoutError"
    assert stream.content == "Hello"
    assert time.monotonic() - started < 10  # the watchdog, not the server's limit, ended it


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), "1", None.__class__])
@pytest.mark.parametrize("option", ["chunk_timeout", "first_chunk_timeout"])
def test_b_nan_inf_and_non_numbers_are_refused_at_decoration(option, value):
    with pytest.raises((ValueError, TypeError), match=option):
        groq.call(MODEL, stream={option: value})  # type: ignore[typeddict-item]


# -- C: SSE as the WHATWG spec parses it ----------------------------------------------------


@pytest.mark.parametrize(
    "framing",
    [
        pytest.param(lambda e: b"event: message\n" + e + b"\n\n", id="event-message"),
        pytest.param(lambda e: b"event:\n" + e + b"\n\n", id="empty-event"),
        pytest.param(lambda e: b"event: message\r\n" + e + b"\r\n\r\n", id="event-message-crlf"),
    ],
)
async def test_c_event_message_and_empty_event_are_messages(flavor, emu, framing):
    emu.enqueue_raw([framing(ROLE), framing(_text("Hello")), framing(FINISH), b"data: [DONE]\n\n"])
    stream, _, error = await run(flavor)
    assert error is None
    assert stream.content == "Hello"
    assert stream.is_complete is True


async def test_c_one_leading_bom_is_ignored(flavor, emu):
    emu.enqueue_raw(
        [b"\xef\xbb\xbf" + _text("Hello") + b"\n\n", FINISH + b"\n\n", b"data: [DONE]\n\n"]
    )
    stream, _, error = await run(flavor)
    assert error is None
    assert stream.content == "Hello"
    assert stream.is_complete is True


async def test_c_a_lone_cr_framed_event_is_dispatched_at_once(flavor):
    # The server sends one CR-framed event and waits for the client to have it before it
    # sends another byte; a decoder that waits for what follows the CR would stall here.
    seen = threading.Event()

    def handler(conn, server: RawServer) -> None:
        conn.sendall(SSE_HEADERS + chunk(ROLE + b"\r\r") + chunk(_text("Hello") + b"\r\r"))
        server.flags["dispatched_at_once"] = seen.wait(5)
        conn.sendall(chunk(b"\n" + FINISH + b"\r\r") + chunk(b"data: [DONE]\r\r") + b"0\r\n\r\n")

    with RawServer(handler) as server:
        client = new_client(flavor, base_url=server.url, api_key=SECRET_KEY)
        stream = await flavor.invoke(flavor.call(ask, client=client, stream=True), "Hi")
        if flavor.is_async:
            async for chunk_, _ in stream:
                if chunk_.content == "Hello":
                    seen.set()
        else:
            for chunk_, _ in stream:
                if chunk_.content == "Hello":
                    seen.set()
    assert server.flags["dispatched_at_once"] is True
    assert stream.content == "Hello"
    assert stream.is_complete is True


@pytest.mark.parametrize("terminate", [True, False], ids=["clean-eof", "dropped"])
async def test_c_a_body_cut_mid_event_is_a_cut_connection(flavor, emu, terminate):
    cut = _text("friend")[:25]
    emu.enqueue_raw([ROLE + b"\n\n", _text("Hello") + b"\n\n", cut], terminate=terminate)
    stream, _, error = await run(flavor)
    assert isinstance(error, GroqStreamConnectionError)
    assert error.kind == "dropped"
    assert stream.content == "Hello"
    assert error.partial is not None and error.partial.content == "Hello"
    assert in_flight(flavor.default_client) == 0


@pytest.mark.parametrize("cut", [b"data: [DO", b"data: [DONE]", b"data: [DONE]\n", b"d"])
@pytest.mark.parametrize("terminate", [True, False], ids=["clean-eof", "dropped"])
async def test_c_a_cut_inside_done_after_the_finish_chunk_is_not_an_error(
    flavor, emu, cut, terminate
):
    emu.enqueue_raw(
        [ROLE + b"\n\n", _text("Hello") + b"\n\n", FINISH + b"\n\n", cut], terminate=terminate
    )
    stream, _, error = await run(flavor)
    assert error is None
    assert stream.content == "Hello"
    assert stream.is_complete is True
    assert stream.input_tokens == 45


async def test_c_a_cut_inside_done_without_a_finish_chunk_is_still_an_error(flavor, emu):
    emu.enqueue_raw([ROLE + b"\n\n", _text("Hello") + b"\n\n", b"data: [DO"])
    _, _, error = await run(flavor)
    assert isinstance(error, GroqStreamConnectionError)


async def test_c_the_reliability_retry_recipe_catches_a_cut_mid_event(flavor, emu):
    # docs/reliability.md "Retrying a stream": tenacity around the consuming function.
    emu.enqueue_raw([ROLE + b"\n\n", _text("Hello") + b"\n\n", _text(" there")[:30]])
    emu.enqueue_raw(
        [ROLE + b"\n\n", _text("Hello there") + b"\n\n", FINISH + b"\n\n", b"data: [DONE]\n\n"]
    )
    fn = flavor.call(ask, stream=True)
    content = await consume_with_retries(flavor, fn)
    assert content == "Hello there"
    assert len(emu.requests) == 2


@pytest.mark.parametrize("keepalive", [b"", b": keep-alive\n\n"], ids=["held-open", "comments"])
async def test_c_done_ends_the_stream_without_waiting_for_the_body(flavor, keepalive):
    # A proxy that keeps the response open after [DONE] (or keeps sending comments) must not
    # hold the loop: the client stops at [DONE] and closes the connection.
    def handler(conn, server: RawServer) -> None:
        conn.sendall(
            SSE_HEADERS
            + chunk(ROLE + b"\n\n" + _text("Hello") + b"\n\n")
            + chunk(FINISH + b"\n\n")
            + chunk(b"data: [DONE]\n\n")
        )
        server.flags["client_closed"] = hold_until_client_closes(conn, limit=10, send=keepalive)

    with RawServer(handler) as server:
        stream, _, error = await _run_raw(flavor, server)
        for _ in range(500):  # the server thread records the close a moment later
            if "client_closed" in server.flags:
                break
            await asyncio.sleep(0.01)
    assert error is None
    assert stream.is_complete is True
    assert server.flags["client_closed"] is True


# -- D: every failure is typed --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "body", "named"),
    [
        (
            "application/json",
            b'{"error": {"message": "Proxy: upstream token expired", "type": "proxy"}}',
            "Proxy: upstream token expired",
        ),
        (
            "text/html; charset=utf-8",
            b"<html><body>502 Bad Gateway</body></html>",
            "502 Bad Gateway",
        ),
        (
            "application/json",
            json.dumps({"id": "x", "object": "chat.completion", "choices": []}).encode(),
            "chat.completion",
        ),
    ],
    ids=["json-error", "html", "non-stream-completion"],
)
async def test_d_a_200_that_is_not_an_event_stream_is_a_stream_error(
    flavor, emu, content_type, body, named
):
    emu.enqueue_raw([body], content_type=content_type)
    stream, pairs, error = await run(flavor)
    assert type(error) is GroqStreamError
    assert isinstance(error, groq_sdk.APIError)
    assert content_type in str(error)
    assert named in str(error)
    assert pairs == []
    assert stream.end_state == "error"
    if "error" in json.loads(body) if body.startswith(b"{") else False:
        assert error.body == json.loads(body)["error"]
    assert in_flight(flavor.default_client) == 0


async def test_d_a_body_that_fails_to_decode_is_a_typed_error_with_partial(flavor, emu):
    gzip = zlib.compressobj(wbits=31)
    head = gzip.compress(ROLE + b"\n\n" + _text("Hello") + b"\n\n") + gzip.flush(zlib.Z_SYNC_FLUSH)
    emu.enqueue_raw(
        [head, b"\x00garbage that is not deflate" * 4], headers={"content-encoding": "gzip"}
    )
    stream, _pairs, error = await run(flavor)
    assert isinstance(error, GroqStreamDecodeError)
    assert isinstance(error, groq_sdk.APIError)
    assert type(error.__cause__).__name__ == "DecodingError"
    assert "gzip" in str(error)
    assert stream.content == "Hello"
    assert error.partial is not None and error.partial.content == "Hello"
    assert error.partial.finish_reasons == []


async def test_d_a_pickled_stream_error_holds_no_api_key(flavor, emu):
    emu.enqueue_raw([ROLE + b"\n\n", _text("Hello") + b"\n\n", b"data: {not json}\n\n"])
    client = flavor.client(api_key=SECRET_KEY)
    _, _, error = await run(flavor, client=client)
    assert isinstance(error, GroqStreamError)
    assert SECRET_KEY in str(error.request.headers.get("authorization"))  # it was sent
    data = pickle.dumps(error)
    assert SECRET_KEY.encode() not in data
    clone = pickle.loads(data)
    assert type(clone) is type(error)
    assert clone.kind == error.kind and clone.message == error.message
    assert clone.request.url == error.request.url
    assert "authorization" not in clone.request.headers


# -- E: async streams end the moment you leave them -----------------------------------------


async def test_e_state_reflects_an_early_exit_at_once(flavor, emu):
    emu.enqueue("text", text="Hello there friend of mine")
    fn = flavor.call(ask, stream=True)
    stream = await flavor.invoke(fn, "Say hello")
    if flavor.is_async:
        async for _ in stream:
            break
    else:
        for _ in stream:
            break
    # No await between the break and these reads: nothing else may run first.
    assert stream.end_state == "closed_early"
    assert stream.is_complete is False
    assert stream.message_param == {"role": "assistant", "content": stream.content}
    response = stream.construct_call_response()
    assert response.finish_reasons == []
    assert stream.end_time >= stream.start_time > 0
    assert await flavor.wait_for(lambda: in_flight(flavor.default_client) == 0)
    assert await flavor.wait_for(lambda: emu.open_connections <= 1)


async def test_e_an_exception_in_the_async_loop_body_ends_the_stream_at_once(flavor, emu):
    emu.enqueue("text", text="Hello there friend of mine")
    stream = await flavor.invoke(flavor.call(ask, stream=True), "Say hello")
    with pytest.raises(KeyError):
        if flavor.is_async:
            async for _ in stream:
                raise KeyError("boom")
        else:
            for _ in stream:
                raise KeyError("boom")
    assert stream.end_state == "closed_early"
    assert stream.message_param["role"] == "assistant"
    assert await flavor.wait_for(lambda: in_flight(flavor.default_client) == 0)


async def test_e_a_stream_collected_in_a_reference_cycle_logs_nothing(emu):
    loop = asyncio.get_running_loop()
    logged: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: logged.append(context))
    client = emu.async_client()
    try:
        fn = groq.call(MODEL, stream=True, client=client)(_async_ask)
        for _ in range(3):
            emu.enqueue("text", text="Hello there friend of mine", delay=0.01)
            stream = await fn("Say hello")
            it = stream.__aiter__()
            await it.__anext__()
            stream.cycle = (stream, it)  # abandoned mid-stream inside a reference cycle
            del stream, it
            gc.collect()
            for _ in range(20):
                await asyncio.sleep(0.005)
        gc.collect()
        await asyncio.sleep(0.05)
    finally:
        loop.set_exception_handler(previous)
        await client.close()
    assert [c.get("message") for c in logged] == []
    assert emu.wait_for(lambda: emu.open_connections == 0, timeout=5)


async def _async_ask(question: str) -> str:
    return question
