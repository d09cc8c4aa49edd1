"""Mid-stream faults end to end (GROQ_WIRE.md §1.8, §4.4 transcripts F, G and H; API.md B14-B16).

Every test runs sync and async (`flavor`) against the emulator and asserts three things: the
error type (and `kind`), the partial state kept (content, message_param, usage, a reconstructed
response claiming no finish reason), and that the connection was closed.
"""

from __future__ import annotations

import asyncio
import json
import time

import groq as groq_sdk
import httpx
import pytest
from groq_e2e_helpers import TOOL_MODEL, GetWeather, ask, chunk_dict, usage_u
from reliability_helpers import (
    assert_connection_closed,
    assert_partial,
    in_flight,
    run,
)

from mirascope.core.groq.errors import (
    GroqStreamConnectionError,
    GroqStreamError,
    GroqStreamTimeoutError,
)

TEXT = "Hello there friend"
TOOL_USE_FAILED = (
    "Failed to call a function. Please adjust your prompt. See 'failed_generation' for more "
    "details."
)
JSON_VALIDATE_FAILED = (
    "Failed to generate JSON. Please adjust your prompt. See 'failed_generation' for more details."
)
FAILED_GENERATION = '<function=get_weather{"city": "Paris"}</function>'


def _sse(obj: object) -> bytes:
    return b"data: " + json.dumps(obj).encode() + b"\n\n"


def _role_chunk_bytes() -> bytes:
    return _sse(
        {
            "id": "chatcmpl-raw",
            "object": "chat.completion.chunk",
            "created": 1770770839,
            "model": "llama-3.1-8b-instant",
            **chunk_dict({"role": "assistant", "content": ""}),
        }
    )


def _content_chunk_bytes(text: str) -> bytes:
    return _sse(
        {
            "id": "chatcmpl-raw",
            "object": "chat.completion.chunk",
            "created": 1770770839,
            "model": "llama-3.1-8b-instant",
            **chunk_dict({"content": text}),
        }
    )


def _assert_stream_error(error: object, cls: type, kind: str) -> None:
    assert type(error) is cls
    assert isinstance(error, groq_sdk.APIError)  # `except groq.APIError` still catches it
    assert not isinstance(error, groq_sdk.APIStatusError)
    assert error.kind == kind


# -- F1: dropped connection -----------------------------------------------------------------


async def test_f1_drop_mid_text_raises_connection_error(flavor, emu):
    emu.enqueue("drop", text=TEXT, after=2)
    stream, pairs, error = await run(flavor)
    _assert_stream_error(error, GroqStreamConnectionError, "dropped")
    assert isinstance(error, groq_sdk.APIConnectionError)
    assert not isinstance(error, groq_sdk.APITimeoutError)
    assert isinstance(error.__cause__, httpx.RemoteProtocolError)
    assert error.code is None
    assert error.failed_generation is None
    assert error.body is None
    assert len(pairs) == 3  # the role chunk and two content chunks, each yielded once
    assert_partial(stream, pairs, error, content="Hello there")
    assert len(emu.requests) == 1
    await assert_connection_closed(flavor, emu, flavor.default_client)


async def test_f1_drop_right_after_first_chunk(flavor, emu):
    emu.enqueue("drop", text=TEXT, after=0)
    stream, pairs, error = await run(flavor)
    _assert_stream_error(error, GroqStreamConnectionError, "dropped")
    assert_partial(stream, pairs, error, content="")
    await assert_connection_closed(flavor, emu, flavor.default_client)


async def test_f1_drop_mid_tool_calls_keeps_only_complete_calls(flavor, emu):
    paris = {"id": "tk_paris01", "name": "GetWeather", "arguments": '{"city":"Paris"}'}
    rome = {"id": "tk_rome001", "name": "GetWeather", "arguments": '{"city":"Rome"}'}
    # role, Paris head + 4 fragments of 5 chars, Rome head, 1 fragment of Rome → drop.
    emu.enqueue(
        "tool_calls", calls=[paris, rome], style="fragmented", fragment_size=5,
        fault="drop", after=7,
    )  # fmt: skip
    stream, pairs, error = await run(flavor, ask, "Weather?", model=TOOL_MODEL, tools=[GetWeather])
    _assert_stream_error(error, GroqStreamConnectionError, "dropped")
    tools = [tool for _, tool in pairs if tool is not None]
    assert [(t._name(), t.city) for t in tools] == [("GetWeather", "Paris")]
    paris_param = {
        "id": "tk_paris01",
        "type": "function",
        "function": {"name": "GetWeather", "arguments": '{"city":"Paris"}'},
    }
    assert_partial(stream, pairs, error, content="", tool_calls=[paris_param])
    response = stream.construct_call_response()
    assert [t.city for t in response.tools or []] == ["Paris"]
    await assert_connection_closed(flavor, emu, flavor.default_client)


async def test_f1_drop_after_usage_keeps_usage(flavor, emu):
    emu.enqueue_chunks(
        [
            chunk_dict({"role": "assistant", "content": ""}),
            chunk_dict({"content": "Hello"}),
            chunk_dict({"content": " there"}, x_groq={"id": "req_usage", "usage": usage_u()}),
            chunk_dict({"content": " friend"}),
        ],
        fault="drop",
        after=2,
    )
    stream, pairs, error = await run(flavor)
    _assert_stream_error(error, GroqStreamConnectionError, "dropped")
    assert_partial(stream, pairs, error, content="Hello there", input_tokens=45, output_tokens=3)
    assert stream.cost is not None
    assert stream.construct_call_response().usage.total_tokens == 48
    await assert_connection_closed(flavor, emu, flavor.default_client)


async def test_f1_drop_after_done_loses_nothing(flavor, emu):
    # Everything, [DONE] included, arrived; only the chunked terminator is missing.
    emu.enqueue_chunks(
        [
            chunk_dict({"role": "assistant", "content": ""}),
            chunk_dict({"content": "Hello"}),
            chunk_dict({}, finish="stop", usage=usage_u()),
        ],
        fault="drop",
        after=3,
    )
    stream, _, error = await run(flavor)
    assert error is None
    assert stream.content == "Hello"
    assert stream.is_complete is True
    assert stream.finish_reasons == ["stop"]
    assert stream.input_tokens == 45
    assert in_flight(flavor.default_client) == 0


# -- F2: clean EOF without finish reason or [DONE] ------------------------------------------


async def test_f2_eof_without_done_raises_incomplete_after_yielding_everything(flavor, emu):
    emu.enqueue("eof_no_done", text=TEXT, after=2)
    stream, pairs, error = await run(flavor)
    _assert_stream_error(error, GroqStreamError, "incomplete")
    assert not isinstance(error, groq_sdk.APIConnectionError)
    assert error.__cause__ is None
    assert error.code is None
    assert len(pairs) == 3
    assert_partial(stream, pairs, error, content="Hello there")
    assert stream.finish_reasons is None
    assert await flavor.wait_for(lambda: emu.streams[-1].completed)  # the body ended cleanly
    assert await flavor.wait_for(lambda: in_flight(flavor.default_client) == 0)


async def test_f2_x_groq_error_without_finish_is_incomplete(flavor, emu):
    emu.enqueue_chunks(
        [
            chunk_dict({"role": "assistant", "content": ""}),
            chunk_dict({"content": "Hello"}),
            chunk_dict(
                {"content": " there"}, x_groq={"id": "req_x", "error": "upstream overloaded"}
            ),
        ]
    )
    stream, pairs, error = await run(flavor)
    _assert_stream_error(error, GroqStreamError, "incomplete")
    assert "upstream overloaded" in str(error)
    assert stream.x_groq_error == "upstream overloaded"
    assert_partial(stream, pairs, error, content="Hello there")
    assert await flavor.wait_for(lambda: in_flight(flavor.default_client) == 0)


# -- F3: stalls -----------------------------------------------------------------------------


async def test_f3_sdk_read_timeout_mid_stream(flavor, emu):
    emu.enqueue("stall", text=TEXT, after=2, stall_seconds=20)
    client = flavor.client(timeout=0.3)
    started = time.monotonic()
    stream, pairs, error = await run(flavor, client=client)
    assert time.monotonic() - started < 3
    _assert_stream_error(error, GroqStreamTimeoutError, "timeout")
    assert isinstance(error, groq_sdk.APITimeoutError)
    assert isinstance(error, groq_sdk.APIConnectionError)
    assert isinstance(error, GroqStreamConnectionError)
    assert isinstance(error.__cause__, httpx.ReadTimeout)
    assert_partial(stream, pairs, error, content="Hello there")
    assert await flavor.wait_for(lambda: emu.streams[-1].client_closed_early)
    assert emu.streams[-1].completed is False
    await assert_connection_closed(flavor, emu, client)


async def test_f3_chunk_timeout_closes_a_stalled_stream(flavor, emu):
    emu.enqueue("stall", text=TEXT, after=2, stall_seconds=20)
    started = time.monotonic()
    stream, pairs, error = await run(flavor, stream={"chunk_timeout": 0.3})
    elapsed = time.monotonic() - started
    assert 0.3 <= elapsed < 3
    _assert_stream_error(error, GroqStreamTimeoutError, "timeout")
    assert isinstance(error, groq_sdk.APITimeoutError)
    assert_partial(stream, pairs, error, content="Hello there")
    assert await flavor.wait_for(lambda: emu.streams[-1].client_closed_early)
    await assert_connection_closed(flavor, emu, flavor.default_client)


async def test_f3_first_chunk_timeout_before_any_chunk(flavor, emu):
    # Headers and an SSE comment arrive at once; the first chunk would come 20 s later.
    emu.enqueue_raw([b": ping\n\n", _role_chunk_bytes(), b"data: [DONE]\n\n"], delay=20)
    started = time.monotonic()
    stream, pairs, error = await run(flavor, stream={"first_chunk_timeout": 0.3})
    assert time.monotonic() - started < 3
    _assert_stream_error(error, GroqStreamTimeoutError, "timeout")
    assert pairs == []
    assert_partial(stream, pairs, error, content="")
    assert await flavor.wait_for(lambda: emu.streams[-1].client_closed_early)
    await assert_connection_closed(flavor, emu, flavor.default_client)


async def test_f3_first_chunk_timeout_does_not_limit_later_gaps(flavor, emu):
    emu.enqueue("text", text="one two", delay=0.45)
    stream, _, error = await run(flavor, stream={"first_chunk_timeout": 0.3})
    assert error is None
    assert stream.content == "one two"
    assert stream.is_complete is True


async def test_f3_chunk_timeout_not_hit_by_steady_stream(flavor, emu):
    emu.enqueue("text", text="one two three", delay=0.1)
    stream, _, error = await run(flavor, stream={"chunk_timeout": 0.6})
    assert error is None
    assert stream.content == "one two three"
    assert stream.is_complete is True


# -- G: error events in the stream ----------------------------------------------------------


async def test_g_tool_use_failed_mid_stream(flavor, emu):
    emu.enqueue("error_event", text="Hello there")
    stream, pairs, error = await run(flavor)
    _assert_stream_error(error, GroqStreamError, "error_event")
    assert not isinstance(error, groq_sdk.APIConnectionError)
    assert error.code == "tool_use_failed"
    assert error.failed_generation == FAILED_GENERATION
    assert error.body == {
        "message": TOOL_USE_FAILED,
        "type": "invalid_request_error",
        "code": "tool_use_failed",
        "failed_generation": FAILED_GENERATION,
        "status_code": 400,
    }
    assert error.body["code"] == "tool_use_failed"  # the SDK's own APIError shape
    assert error.message == TOOL_USE_FAILED
    assert TOOL_USE_FAILED in str(error)
    assert_partial(stream, pairs, error, content="Hello there")
    await assert_connection_closed(flavor, emu, flavor.default_client)


async def test_g_error_as_first_event(flavor, emu):
    emu.enqueue("error_event", first=True)
    stream, pairs, error = await run(flavor)
    _assert_stream_error(error, GroqStreamError, "error_event")
    assert error.code == "tool_use_failed"
    assert pairs == []
    assert_partial(stream, pairs, error, content="")
    await assert_connection_closed(flavor, emu, flavor.default_client)


async def test_g_error_event_after_role_chunk_in_tool_stream(flavor, emu):
    emu.enqueue("error_event", failed_generation='<function=GetWeather{"city": 1}</function>')
    stream, pairs, error = await run(flavor, ask, "Weather?", model=TOOL_MODEL, tools=[GetWeather])
    _assert_stream_error(error, GroqStreamError, "error_event")
    assert error.failed_generation == '<function=GetWeather{"city": 1}</function>'
    assert [tool for _, tool in pairs] == [None] * len(pairs)
    assert_partial(stream, pairs, error, content="")
    await assert_connection_closed(flavor, emu, flavor.default_client)


async def test_g_json_validate_failed_in_json_mode(flavor, emu):
    emu.enqueue("error_event", code="json_validate_failed", text='{"title": "Du')
    stream, pairs, error = await run(flavor, ask, "A book as JSON", json_mode=True)
    _assert_stream_error(error, GroqStreamError, "error_event")
    assert error.code == "json_validate_failed"
    assert error.message == JSON_VALIDATE_FAILED
    assert error.body["type"] == "invalid_request_error"
    assert isinstance(error.failed_generation, str)
    assert_partial(stream, pairs, error, content='{"title": "Du')
    await assert_connection_closed(flavor, emu, flavor.default_client)


async def test_g_error_event_followed_by_done_closes_early(flavor, emu):
    emu.enqueue("error_event", text="Hello there", done=True, delay=0.2)
    stream, pairs, error = await run(flavor)
    _assert_stream_error(error, GroqStreamError, "error_event")
    assert_partial(stream, pairs, error, content="Hello there")
    assert await flavor.wait_for(lambda: emu.streams[-1].client_closed_early)
    assert emu.streams[-1].completed is False
    await assert_connection_closed(flavor, emu, flavor.default_client)


async def test_g_error_as_bare_string(flavor, emu):
    emu.enqueue_raw([_role_chunk_bytes(), _content_chunk_bytes("Hi"), _sse({"error": "boom"})])
    stream, pairs, error = await run(flavor)
    _assert_stream_error(error, GroqStreamError, "error_event")
    assert error.message == "An error occurred during streaming"  # the SDK's wording
    assert error.body == "boom"
    assert error.code is None
    assert_partial(stream, pairs, error, content="Hi")
    assert await flavor.wait_for(lambda: in_flight(flavor.default_client) == 0)


async def test_g_named_error_event(flavor, emu):
    inner = {"message": "Overloaded", "type": "server_error", "code": "overloaded"}
    emu.enqueue_raw(
        [
            _role_chunk_bytes(),
            _content_chunk_bytes("Hi"),
            b"event: error\n" + _sse({"error": inner}),
        ]
    )
    stream, pairs, error = await run(flavor)
    _assert_stream_error(error, GroqStreamError, "error_event")
    assert error.code == "overloaded"
    assert error.body == inner
    assert_partial(stream, pairs, error, content="Hi")
    assert await flavor.wait_for(lambda: in_flight(flavor.default_client) == 0)


# -- malformed chunks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(b"data: {not json}\n\n", id="not-json"),
        pytest.param(b"data: [1, 2]\n\n", id="json-array"),
        pytest.param(b'data: "text"\n\n', id="json-string"),
        pytest.param(b'data: {"choices": [{"delta": {"content": "\xff\xfe"}}]}\n\n', id="bad-utf8"),
        pytest.param(b'data: {"id": "x", "choices": "nope"}\n\n', id="not-a-chunk"),
        pytest.param(b"data: {}\n\n", id="empty-object"),
    ],
)
async def test_malformed_data_line(flavor, emu, bad):
    emu.enqueue_raw([_role_chunk_bytes(), _content_chunk_bytes("Hi"), bad, b"data: [DONE]\n\n"])
    stream, pairs, error = await run(flavor)
    _assert_stream_error(error, GroqStreamError, "malformed")
    assert not isinstance(error, groq_sdk.APIConnectionError)
    assert error.code is None
    assert_partial(stream, pairs, error, content="Hi")
    assert await flavor.wait_for(lambda: in_flight(flavor.default_client) == 0)


# -- H: rate-limited stream request (no SSE at all) -----------------------------------------


async def test_h_429_without_retries_raises_rate_limit_error_at_first_next(flavor, emu):
    emu.enqueue_error(429, retry_after="2")
    stream, pairs, error = await run(flavor)
    assert type(error) is groq_sdk.RateLimitError
    assert not isinstance(error, GroqStreamError)
    assert error.response.headers["retry-after"] == "2"
    assert error.body["error"]["type"] == "tokens"
    assert pairs == []
    assert stream.error is error
    assert stream.end_state == "error"
    assert stream.message_param == {"role": "assistant", "content": ""}
    assert emu.streams == []
    assert in_flight(flavor.default_client) == 0


# -- the consumer stops early ---------------------------------------------------------------


async def test_consumer_task_cancelled_mid_stream(emu):
    emu.enqueue("text", text="one two three four", delay=0.5)
    from mirascope.core import groq

    client = emu.async_client()
    try:

        @groq.call("openai/gpt-oss-20b", stream=True, client=client)
        async def say() -> str:
            return "Count"

        stream = await say()
        got_first = asyncio.Event()

        async def consume() -> None:
            async for chunk, _ in stream:
                if chunk.content:
                    got_first.set()

        task = asyncio.create_task(consume())
        await asyncio.wait_for(got_first.wait(), 3)
        task.cancel()  # while it awaits the next chunk
        with pytest.raises(asyncio.CancelledError):
            await task
        assert stream.content == "one"
        assert stream.end_state == "closed_early"
        assert stream.is_complete is False
        assert stream.message_param == {"role": "assistant", "content": "one"}
        assert stream.construct_call_response().finish_reasons == []
        assert emu.wait_for(lambda: emu.streams[-1].client_closed_early, timeout=3)
        assert in_flight(client) == 0
        assert emu.wait_for(lambda: emu.open_connections == 0, timeout=3)
    finally:
        await client.close()
