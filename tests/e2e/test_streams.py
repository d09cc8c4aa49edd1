"""Text streams end to end: usage (B1), chunks, every `GroqStream` member, re-iteration (B16),
closing (B14), mid-stream faults (B15 baseline) and `n > 1` (B17). Each runs sync and async."""

from __future__ import annotations

import inspect
import json

import groq as groq_sdk
import httpx
import pytest
from groq.types import CompletionUsage
from groq.types.chat import ChatCompletionChunk
from groq_e2e_helpers import (
    COMPLETION_TOKENS,
    MODEL,
    MODEL_COST,
    PROMPT_TOKENS,
    ask,
    chunk_dict,
    user,
)

from mirascope.core import CostMetadata, groq, prompt_template
from mirascope.core.groq import GroqCallResponse, GroqCallResponseChunk, GroqStream
from mirascope.core.groq.errors import GroqStreamConnectionError, GroqStreamError
from mirascope.core.groq.timings import ServerTimings

TEXT = "Hello there!"


def _enqueue_a(emu, usage_mode: str, **kw) -> None:
    emu.enqueue(
        "text",
        text=TEXT,
        usage_mode=usage_mode,
        prompt_tokens=PROMPT_TOKENS,
        completion_tokens=COMPLETION_TOKENS,
        **kw,
    )


# -- 1. usage (B1, B6) -----------------------------------------------------------------------


@pytest.mark.parametrize("usage_mode", ["x_groq_only", "both", "include_usage_chunk"])
async def test_b1_stream_usage_counted_once_and_costed(flavor, emu, usage_mode):
    _enqueue_a(emu, usage_mode)
    stream, pairs = await flavor.stream(ask, "Say hello")

    assert stream.content == TEXT
    assert "".join(chunk.content for chunk, _ in pairs) == stream.content
    assert stream.input_tokens == 45  # never 90 (B1: summed twice)
    assert stream.output_tokens == 3  # never 6
    assert stream.cached_tokens == 0
    assert stream.cost == pytest.approx(MODEL_COST, rel=1e-9)
    assert stream.finish_reasons == ["stop"]
    response = stream.construct_call_response()
    assert response.usage is not None
    assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (45, 3)
    assert response.input_tokens == 45 and response.output_tokens == 3
    assert response.cost == pytest.approx(MODEL_COST, rel=1e-9)
    assert response.finish_reasons == ["stop"]
    if usage_mode == "include_usage_chunk":
        last_chunk, _ = pairs[-1]
        assert last_chunk.chunk.choices == []  # the trailing usage-only chunk was yielded
        assert stream.finish_reasons == ["stop"]  # and did not erase the finish reason (B6)


async def test_b1_stream_without_usage_has_no_tokens_or_cost(flavor, emu):
    _enqueue_a(emu, "none")
    stream, pairs = await flavor.stream(ask, "Say hello")

    assert stream.content == TEXT
    assert "".join(chunk.content for chunk, _ in pairs) == TEXT
    assert stream.input_tokens is None
    assert stream.output_tokens is None
    assert stream.cost is None
    assert stream.usage is None
    assert stream.finish_reasons == ["stop"]
    assert stream.construct_call_response().usage is None


async def test_b1_cached_tokens_read_and_discounted(flavor, emu):
    emu.enqueue("text", text=TEXT, prompt_tokens=1000, completion_tokens=100, cached_tokens=400)
    stream, _ = await flavor.stream(ask, "Say hello", model="openai/gpt-oss-120b")

    assert (stream.input_tokens, stream.cached_tokens, stream.output_tokens) == (1000, 400, 100)
    assert stream.cost == pytest.approx(1.8e-04, rel=1e-9)  # API.md §2.8 worked check
    assert stream.construct_call_response().cached_tokens == 400


async def test_b1_stream_options_in_call_params_reach_body(flavor, emu):
    _enqueue_a(emu, "include_usage_chunk")
    stream, _ = await flavor.stream(
        ask, "Say hello", call_params={"stream_options": {"include_usage": True}}
    )

    assert emu.requests[-1].json["stream_options"] == {"include_usage": True}
    assert emu.requests[-1].json["stream"] is True
    assert (stream.input_tokens, stream.output_tokens) == (45, 3)


# -- 2. chunks --------------------------------------------------------------------------------


async def test_chunk_properties_on_content_finish_and_usage_only_chunks(flavor, emu):
    _enqueue_a(emu, "include_usage_chunk", completion_id="chatcmpl-e2e-1")
    _, pairs = await flavor.stream(ask, "Say hello")
    chunks = [chunk for chunk, _ in pairs]

    assert [c.content for c in chunks] == ["", "Hello", " there", "!", "", ""]
    for chunk in chunks:
        assert isinstance(chunk, GroqCallResponseChunk)
        assert type(chunk.chunk) is ChatCompletionChunk
        assert chunk.model == MODEL
        assert chunk.id == "chatcmpl-e2e-1"
        assert chunk.reasoning == ""
        assert str(chunk) == chunk.content

    hello = chunks[1]
    assert hello.finish_reasons == []
    assert hello.common_finish_reasons == []  # v1's value
    assert hello.usage is None
    assert (hello.input_tokens, hello.output_tokens) == (None, None)
    assert hello.cached_tokens == 0
    assert hello.common_usage is None
    assert hello.cost_metadata == CostMetadata(
        input_tokens=None, output_tokens=None, cached_tokens=0
    )

    finish = chunks[4]  # x_groq.usage only, in this usage mode
    assert finish.finish_reasons == ["stop"]
    assert finish.common_finish_reasons == ["stop"]
    assert isinstance(finish.usage, CompletionUsage)
    assert (finish.input_tokens, finish.cached_tokens, finish.output_tokens) == (45, 0, 3)

    trailer = chunks[5]  # choices: [] with top-level usage
    assert trailer.chunk.choices == []
    assert trailer.content == ""
    assert trailer.reasoning == ""
    assert trailer.finish_reasons == []
    assert trailer.common_finish_reasons == []  # v1's value
    assert str(trailer) == ""
    assert (trailer.input_tokens, trailer.cached_tokens, trailer.output_tokens) == (45, 0, 3)
    assert trailer.cost_metadata == CostMetadata(input_tokens=45, output_tokens=3, cached_tokens=0)
    usage = trailer.common_usage
    assert usage is not None
    assert (usage.input_tokens, usage.cached_tokens, usage.output_tokens, usage.total_tokens) == (
        45,
        0,
        3,
        48,
    )


# -- 3. every GroqStream member ------------------------------------------------------------


async def test_stream_every_attribute_before_and_after_iteration(flavor, emu):
    emu.enqueue(
        "text",
        text=TEXT,
        prompt_tokens=45,
        completion_tokens=3,
        model="llama-3.3-70b-versatile",  # the API's model wins over the decorator's
        completion_id="chatcmpl-e2e-attrs",
    )

    def recommend(genre: str) -> dict:
        return {"computed_fields": {"topic": "dragons"}, "metadata": {"tags": {"v:1"}}}

    fn = groq.call(
        MODEL, stream=True, client=flavor.default_client, call_params={"temperature": 0.5}
    )(prompt_template("Recommend a {genre} book about {topic}")(flavor.fn(recommend)))
    stream = await flavor.invoke(fn, "fantasy")
    sent = [{"role": "user", "content": "Recommend a fantasy book about dragons"}]

    # Before iteration: nothing sent, nothing set.
    assert isinstance(stream, GroqStream)
    assert emu.requests == []
    assert (inspect.isasyncgen if flavor.is_async else inspect.isgenerator)(stream.stream)
    assert stream.content == ""
    assert stream.reasoning == ""
    assert stream.metadata == {"tags": {"v:1"}}
    assert stream.tool_types is None
    assert stream.call_response_type is GroqCallResponse
    assert stream.model == MODEL
    assert stream.prompt_template == "Recommend a {genre} book about {topic}"
    assert stream.fn_args == {"genre": "fantasy"}  # no computed fields (B21)
    assert stream.dynamic_config["computed_fields"] == {"topic": "dragons"}
    assert stream.messages == sent
    assert stream.call_params == {"temperature": 0.5}
    assert {k: v for k, v in stream.call_kwargs.items() if k != "stream"} == {
        "temperature": 0.5,
        "model": MODEL,
        "messages": sent,
    }
    assert stream.user_message_param == sent[0]
    with pytest.raises(AttributeError):
        _ = stream.message_param
    assert (stream.input_tokens, stream.cached_tokens, stream.output_tokens) == (None, None, None)
    assert stream.id is None
    assert stream.finish_reasons is None
    assert stream.start_time == 0 and stream.end_time == 0
    assert stream.usage is None
    assert stream.cost is None
    assert stream.server_timings is None
    assert stream.time_to_first_token is None
    assert stream.is_complete is False
    assert stream.end_state == "not_started"
    assert stream.error is None
    assert stream.provider == "groq"

    pairs = await flavor.drain(stream)

    assert emu.requests[-1].json["messages"] == sent
    assert emu.requests[-1].json["temperature"] == 0.5
    assert stream.content == TEXT
    assert "".join(c.content for c, _ in pairs) == TEXT
    assert all(tool is None for _, tool in pairs)
    assert stream.model == "llama-3.3-70b-versatile"
    assert stream.id == "chatcmpl-e2e-attrs"
    assert stream.finish_reasons == ["stop"]
    assert (stream.input_tokens, stream.cached_tokens, stream.output_tokens) == (45, 0, 3)
    assert 0 < stream.start_time <= stream.end_time  # async too (B7)
    assert stream.cost_metadata.input_tokens == 45
    assert stream.cost_metadata.output_tokens == 3
    assert stream.cost_metadata.cached_tokens == 0
    assert stream.cost_metadata.images in (None, [])
    assert stream.cost == pytest.approx(45 * 0.59e-6 + 3 * 0.79e-6, rel=1e-9)
    assert stream.message_param == {"role": "assistant", "content": TEXT}
    assert isinstance(stream.usage, CompletionUsage)
    assert stream.usage.total_tokens == 48
    assert stream.server_timings == ServerTimings(
        queue_time=0.041905864, prompt_time=0.0017, completion_time=0.012, total_time=0.0137
    )
    ttft = stream.time_to_first_token
    assert ttft is not None and 0 <= ttft <= stream.end_time - stream.start_time
    assert stream.is_complete is True
    assert stream.end_state == "finished"
    assert stream.error is None
    assert stream.tool_message_params([]) == []

    response = stream.construct_call_response()
    assert isinstance(response, GroqCallResponse)
    assert response.content == TEXT
    assert response.model == "llama-3.3-70b-versatile"
    assert response.id == "chatcmpl-e2e-attrs"
    assert response.finish_reasons == ["stop"]
    assert response.message_param == {"role": "assistant", "content": TEXT}
    assert response.metadata == stream.metadata
    assert response.tool_types is None
    assert response.prompt_template == stream.prompt_template
    assert response.fn_args == {"genre": "fantasy"}
    assert response.dynamic_config == stream.dynamic_config
    assert response.messages == sent
    assert response.call_params == {"temperature": 0.5}
    assert response.call_kwargs == stream.call_kwargs
    assert response.user_message_param == sent[0]
    assert (response.start_time, response.end_time) == (stream.start_time, stream.end_time)
    assert response.cost == pytest.approx(stream.cost, rel=1e-12)

    # close()/aclose() after exhaustion are harmless and change nothing.
    await flavor.close_stream(stream)
    await flavor.close_stream(stream)
    assert stream.is_complete is True and stream.content == TEXT


async def test_stream_context_manager_on_a_complete_stream(flavor, emu):
    _enqueue_a(emu, "both")
    fn = flavor.call(ask, stream=True)
    stream = await flavor.invoke(fn, "Say hello")
    if flavor.is_async:
        async with stream as entered:
            assert entered is stream
            pairs = [p async for p in stream]
    else:
        with stream as entered:
            assert entered is stream
            pairs = list(stream)
    assert len(pairs) == 5
    assert stream.is_complete and stream.end_state == "finished"
    assert await flavor.wait_for(lambda: emu.streams[-1].completed)
    assert emu.streams[-1].client_closed_early is False


async def test_stream_wrong_loop_flavor_raises_type_error(flavor, emu):
    fn = flavor.call(ask, stream=True)
    stream = await flavor.invoke(fn, "Say hello")
    if flavor.is_async:
        with pytest.raises(TypeError, match="async for"):
            for _ in stream:
                pass
    else:
        with pytest.raises(TypeError, match="`for`"):
            async for _ in stream:
                pass
    assert emu.requests == []  # nothing was sent
    await flavor.close_stream(stream)


# -- 4. B16 ---------------------------------------------------------------------------------


async def test_b16_second_iteration_raises_and_keeps_state(flavor, emu):
    _enqueue_a(emu, "include_usage_chunk")
    stream, _ = await flavor.stream(ask, "Say hello")
    names = [
        "content", "reasoning", "model", "id", "finish_reasons", "input_tokens", "cached_tokens",
        "output_tokens", "start_time", "end_time", "message_param", "cost", "is_complete",
        "end_state", "error", "usage", "user_message_param", "messages",
    ]  # fmt: skip
    before = {name: getattr(stream, name) for name in names}
    before_json = json.dumps(stream.message_param)

    with pytest.raises(RuntimeError, match="already"):
        await flavor.drain(stream)

    assert {name: getattr(stream, name) for name in names} == before
    assert json.dumps(stream.message_param) == before_json
    assert stream.content == TEXT
    assert len(emu.requests) == 1  # no second request either


# -- 5. B14: closing ------------------------------------------------------------------------


def _enqueue_long(emu) -> None:
    emu.enqueue("text", chunks=40, delay=0.02)


async def _assert_closed_early(flavor, emu, stream) -> None:
    assert await flavor.wait_for(lambda: emu.streams and emu.streams[-1].client_closed_early)
    record = emu.streams[-1]
    assert record.completed is False
    assert record.events_sent < record.events_total
    assert await flavor.wait_for(lambda: stream.end_state == "closed_early")
    assert stream.is_complete is False
    assert 0 < stream.start_time <= stream.end_time
    assert stream.message_param == {"role": "assistant", "content": stream.content}


async def test_b14_break_after_first_chunk_closes_response(flavor, emu):
    _enqueue_long(emu)
    fn = flavor.call(ask, stream=True)
    stream = await flavor.invoke(fn, "Say hello")
    if flavor.is_async:
        async for _ in stream:
            break
    else:
        for _ in stream:
            break
    await _assert_closed_early(flavor, emu, stream)
    assert stream.construct_call_response().finish_reasons == []  # not claiming "stop"


async def test_b14_exception_in_loop_body_closes_response(flavor, emu):
    _enqueue_long(emu)
    fn = flavor.call(ask, stream=True)
    stream = await flavor.invoke(fn, "Say hello")
    with pytest.raises(ZeroDivisionError):
        if flavor.is_async:
            async for _ in stream:
                _ = 1 / 0
        else:
            for _ in stream:
                _ = 1 / 0
    await _assert_closed_early(flavor, emu, stream)


async def test_b14_close_mid_loop_closes_response(flavor, emu):
    _enqueue_long(emu)
    fn = flavor.call(ask, stream=True)
    stream = await flavor.invoke(fn, "Say hello")
    seen = 0
    if flavor.is_async:
        async for _ in stream:
            seen += 1
            if seen == 2:
                await stream.aclose()
    else:
        for _ in stream:
            seen += 1
            if seen == 2:
                stream.close()
    assert seen == 2  # the loop ended right after close()
    await _assert_closed_early(flavor, emu, stream)
    await flavor.close_stream(stream)  # idempotent


async def test_b14_leaving_with_block_closes_response(flavor, emu):
    _enqueue_long(emu)
    fn = flavor.call(ask, stream=True)
    stream = await flavor.invoke(fn, "Say hello")
    if flavor.is_async:
        async with stream:
            it, (first, _) = await flavor.first_pair(stream)
        await it.aclose()
    else:
        with stream:
            it, (first, _) = await flavor.first_pair(stream)
        it.close()
    assert first.chunk.choices[0].delta.role == "assistant"
    await _assert_closed_early(flavor, emu, stream)


async def test_b14_mid_stream_error_event_closes_response(flavor, emu):
    emu.enqueue("error_event", text="Hello there", done=True, delay=0.1)
    fn = flavor.call(ask, stream=True)
    stream = await flavor.invoke(fn, "Say hello")
    with pytest.raises(groq_sdk.APIError):
        await flavor.drain(stream)
    # The response was closed before the emulator could write its trailing [DONE].
    assert await flavor.wait_for(lambda: emu.streams[-1].client_closed_early)
    assert await flavor.wait_for(lambda: emu.streams[-1].connection_closed)
    assert emu.streams[-1].completed is False
    assert stream.end_state == "error"
    assert stream.is_complete is False


async def test_b14_exhausted_stream_leaves_connection_reusable(flavor, emu):
    _enqueue_a(emu, "both")
    _enqueue_a(emu, "include_usage_chunk")
    client = flavor.client()
    first, _ = await flavor.stream(ask, "one", client=client)
    second, _ = await flavor.stream(ask, "two", client=client)
    assert first.content == second.content == TEXT
    assert emu.connections_opened == 1
    assert emu.connections[0].requests == 2
    # `completed` is set by the emulator thread right after it writes the terminator.
    assert await flavor.wait_for(lambda: [s.completed for s in emu.streams] == [True, True])
    assert [s.client_closed_early for s in emu.streams] == [False, False]


# -- 14. mid-stream faults (baseline) -------------------------------------------------------


async def test_b15_error_event_keeps_partial_state(flavor, emu):
    emu.enqueue("error_event", text="Hello there")
    fn = flavor.call(ask, stream=True)
    stream = await flavor.invoke(fn, "Say hello")
    pairs = []
    with pytest.raises(groq_sdk.APIError) as info:
        if flavor.is_async:
            async for pair in stream:
                pairs.append(pair)
        else:
            for pair in stream:
                pairs.append(pair)

    error = info.value
    assert isinstance(error, GroqStreamError)
    assert (error.kind, error.code) == ("error_event", "tool_use_failed")
    assert error.failed_generation == '<function=get_weather{"city": "Paris"}</function>'
    assert error.stream is stream
    assert error.partial is not None and error.partial.content == "Hello there"
    assert error.body["code"] == "tool_use_failed"
    assert error.body["failed_generation"] == '<function=get_weather{"city": "Paris"}</function>'
    assert stream.content == "Hello there"
    assert "".join(c.content for c, _ in pairs) == "Hello there"
    assert stream.message_param == {"role": "assistant", "content": "Hello there"}
    assert stream.is_complete is False
    assert stream.end_state == "error"
    assert stream.error is error
    assert 0 < stream.start_time <= stream.end_time
    response = stream.construct_call_response()
    assert response.content == "Hello there"
    assert response.response.choices[0].finish_reason is None
    assert response.finish_reasons == []
    assert response.usage is None


async def test_b15_dropped_connection_raises_typed_connection_error(flavor, emu):
    emu.enqueue("drop", text="Hello there friend", after=2)
    fn = flavor.call(ask, stream=True)
    stream = await flavor.invoke(fn, "Say hello")
    with pytest.raises(GroqStreamConnectionError) as info:
        await flavor.drain(stream)
    assert isinstance(info.value, groq_sdk.APIConnectionError)
    assert info.value.kind == "dropped"
    assert isinstance(info.value.__cause__, httpx.RemoteProtocolError)
    assert stream.content == "Hello there"
    assert stream.message_param == {"role": "assistant", "content": "Hello there"}
    assert stream.is_complete is False
    assert stream.end_state == "error"
    assert stream.error is info.value
    assert stream.construct_call_response().content == "Hello there"


async def test_b15_eof_without_done_is_reported_incomplete(flavor, emu):
    emu.enqueue("eof_no_done", text="Hello there friend", after=2)
    fn = flavor.call(ask, stream=True)
    stream = await flavor.invoke(fn, "Say hello")
    pairs: list = []
    with pytest.raises(GroqStreamError) as info:
        if flavor.is_async:
            async for pair in stream:
                pairs.append(pair)
        else:
            for pair in stream:
                pairs.append(pair)
    assert info.value.kind == "incomplete"
    assert stream.content == "Hello there"
    assert "".join(c.content for c, _ in pairs) == "Hello there"
    assert stream.is_complete is False
    assert stream.end_state == "error"
    assert stream.error is info.value
    assert stream.finish_reasons is None
    assert stream.input_tokens is None
    response = stream.construct_call_response()
    assert response.finish_reasons == []
    assert response.content == "Hello there"


async def test_b15_x_groq_error_is_reported_incomplete(flavor, emu):
    emu.enqueue("x_groq_error", text=TEXT, error="upstream timeout")
    fn = flavor.call(ask, stream=True)
    stream = await flavor.invoke(fn, "Say hello")
    with pytest.raises(GroqStreamError, match="upstream timeout") as info:
        await flavor.drain(stream)
    assert info.value.kind == "incomplete"
    assert stream.content == TEXT
    assert stream.x_groq_error == "upstream timeout"
    assert stream.is_complete is False


async def test_rate_limited_stream_retried_by_sdk_before_first_byte(flavor, emu):
    emu.enqueue_error(429, retry_after="0")
    _enqueue_a(emu, "both")
    client = flavor.client(max_retries=1)
    stream, _ = await flavor.stream(ask, "Say hello", client=client)
    assert stream.content == TEXT
    assert stream.is_complete is True
    assert [r.status for r in emu.requests] == [429, 200]


# -- 15. B17 --------------------------------------------------------------------------------


async def test_b17_interleaved_choices_keep_choice_zero_only(flavor, emu):
    def two(i0: str | None, i1: str | None, finish: str | None = None) -> dict:
        choices = []
        for index, text in ((0, i0), (1, i1)):
            if text is not None or finish:
                delta = {"content": text} if text is not None else {}
                choices.append(
                    {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}
                )
        return {"choices": choices}

    emu.enqueue_chunks(
        [
            chunk_dict({"role": "assistant", "content": ""}),
            two("Hel", None),
            two(None, "Bon"),
            two("lo", "jour"),
            {"choices": [{"index": 1, "delta": {"content": "!"}, "finish_reason": None}]},
            two(None, None, finish="stop"),
        ]
    )
    stream, pairs = await flavor.stream(user("Greet me"))
    assert stream.content == "Hello"
    assert "".join(c.content for c, _ in pairs) == "Hello"
    assert stream.message_param == {"role": "assistant", "content": "Hello"}
    assert stream.finish_reasons is not None and stream.finish_reasons[0] == "stop"
