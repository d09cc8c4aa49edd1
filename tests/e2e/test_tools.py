"""Tool-call streams end to end (B2, B3, B6, B10, B11, B18, B23), and history round trips.
Each runs sync and async."""

from __future__ import annotations

import json

import pytest
from groq_e2e_helpers import TOOL_MODEL, GetWeather, ask, tool_call_dict

from mirascope.core import BaseMessageParam, ToolCallPart, ToolResultPart
from mirascope.core.groq import GroqCallResponse
from mirascope.core.groq.errors import GroqStreamError

CALLS = [
    {"id": "tk85n1k4m", "name": "GetWeather", "arguments": '{"city":"Paris"}'},
    {"id": "q2w9x7c3v", "name": "GetWeather", "arguments": '{"city":"Rome"}'},
]
EXPECTED_TOOL_CALLS = [tool_call_dict(c["id"], c["name"], c["arguments"]) for c in CALLS]
QUESTION = "What's the weather in Paris and in Rome?"


def _allowed_assistant_keys(message: dict) -> None:
    """Decision (c): exactly role, content (a str) and, with calls, tool_calls; no None values."""
    assert set(message) <= {"role", "content", "tool_calls"}
    assert message["role"] == "assistant"
    assert isinstance(message["content"], str)
    assert all(value is not None for value in message.values())
    if "tool_calls" in message:
        assert message["tool_calls"], "tool_calls present but empty"


@pytest.mark.parametrize("usage_mode", ["both", "include_usage_chunk"])
@pytest.mark.parametrize(
    "style", ["whole", "parallel_one_delta", "parallel_separate", "fragmented"]
)
async def test_b10_b11_tool_call_stream_yields_tools_and_plain_dict_message_param(
    flavor, emu, style, usage_mode
):
    emu.enqueue(
        "tool_calls",
        calls=CALLS,
        style=style,
        fragment_size=3,
        usage_mode=usage_mode,
        prompt_tokens=210,
        completion_tokens=30,
    )
    stream, pairs = await flavor.stream(ask, QUESTION, model=TOOL_MODEL, tools=[GetWeather])

    tools = [tool for _, tool in pairs if tool is not None]
    assert [type(t).__name__ for t in tools] == ["GetWeather", "GetWeather"]
    assert [t.city for t in tools] == ["Paris", "Rome"]
    assert [t.args for t in tools] == [{"city": "Paris"}, {"city": "Rome"}]
    assert [t.id for t in tools] == ["tk85n1k4m", "q2w9x7c3v"]
    assert [t.call() for t in tools] == ["It is sunny in Paris.", "It is sunny in Rome."]
    assert isinstance(tools[0], GetWeather)

    assert stream.message_param == {
        "role": "assistant",
        "content": "",
        "tool_calls": EXPECTED_TOOL_CALLS,
    }
    assert all(type(tc) is dict for tc in stream.message_param["tool_calls"])
    assert json.loads(json.dumps(stream.message_param)) == stream.message_param
    _allowed_assistant_keys(stream.message_param)
    assert stream.finish_reasons == ["tool_calls"]
    assert (stream.input_tokens, stream.output_tokens) == (210, 30)
    assert stream.content == ""
    assert "".join(c.content for c, _ in pairs) == ""
    assert [t._name() for t in stream.tool_types or []] == ["GetWeather"]
    assert emu.requests[-1].json["tools"][0]["function"]["name"] == "GetWeather"

    outputs = [(tool, tool.call()) for tool in tools]
    assert stream.tool_message_params(outputs) == [
        {
            "role": "tool",
            "content": "It is sunny in Paris.",
            "tool_call_id": "tk85n1k4m",
            "name": "GetWeather",
        },
        {
            "role": "tool",
            "content": "It is sunny in Rome.",
            "tool_call_id": "q2w9x7c3v",
            "name": "GetWeather",
        },
    ]
    response = stream.construct_call_response()
    assert response.finish_reasons == ["tool_calls"]
    assert response.message_param == stream.message_param
    assert [t.city for t in response.tools or []] == ["Paris", "Rome"]


@pytest.mark.parametrize("history_via", ["shorthand_list", "dynamic_messages"])
async def test_b10_follow_up_call_sends_stream_history_verbatim(flavor, emu, history_via):
    emu.enqueue("tool_calls", calls=CALLS, style="parallel_one_delta")
    stream, pairs = await flavor.stream(ask, QUESTION, model=TOOL_MODEL, tools=[GetWeather])
    outputs = [(tool, tool.call()) for _, tool in pairs if tool is not None]
    history = [
        stream.user_message_param,
        stream.message_param,
        *stream.tool_message_params(outputs),
    ]
    expected = json.loads(json.dumps(history))  # plain JSON data all the way down (B10)

    if history_via == "shorthand_list":

        def follow_up() -> list:
            return history
    else:

        def follow_up() -> dict:
            return {"messages": history}

    emu.enqueue("text", text="Sunny in both.")
    fn = flavor.call(follow_up, TOOL_MODEL, tools=[GetWeather])
    response = await flavor.invoke(fn)

    assert isinstance(response, GroqCallResponse)
    assert response.content == "Sunny in both."
    assert emu.requests[-1].json["messages"] == expected
    assert expected[0] == {"role": "user", "content": QUESTION}
    assert response.messages == history
    assert response.user_message_param is None  # the last message sent is a tool message
    assert response.common_messages == [
        BaseMessageParam(role="user", content=QUESTION),
        BaseMessageParam(
            role="assistant",
            content=[
                ToolCallPart(
                    type="tool_call", name="GetWeather", args={"city": "Paris"}, id="tk85n1k4m"
                ),
                ToolCallPart(
                    type="tool_call", name="GetWeather", args={"city": "Rome"}, id="q2w9x7c3v"
                ),
            ],
        ),
        BaseMessageParam(
            role="tool",
            content=[
                ToolResultPart(
                    type="tool_result",
                    name="GetWeather",
                    content="It is sunny in Paris.",
                    id="tk85n1k4m",
                )
            ],
        ),
        BaseMessageParam(
            role="tool",
            content=[
                ToolResultPart(
                    type="tool_result",
                    name="GetWeather",
                    content="It is sunny in Rome.",
                    id="q2w9x7c3v",
                )
            ],
        ),
    ]
    _allowed_assistant_keys(response.message_param)


async def test_b11_non_stream_message_param_text_answer(flavor, emu):
    emu.enqueue("text", text="Hello there!")
    response = await flavor.invoke(flavor.call(ask), "Say hello")
    assert response.message_param == {"role": "assistant", "content": "Hello there!"}
    _allowed_assistant_keys(response.message_param)


async def test_b11_non_stream_message_param_tool_call_answer(flavor, emu):
    emu.enqueue("tool_calls", calls=CALLS)
    response = await flavor.invoke(flavor.call(ask, TOOL_MODEL, tools=[GetWeather]), QUESTION)
    assert response.message_param == {
        "role": "assistant",
        "content": "",
        "tool_calls": EXPECTED_TOOL_CALLS,
    }
    _allowed_assistant_keys(response.message_param)
    assert json.loads(json.dumps(response.message_param)) == response.message_param
    assert [t.city for t in response.tools or []] == ["Paris", "Rome"]


async def test_b11_b23_non_stream_message_param_reasoning_answer(flavor, emu):
    emu.enqueue("reasoning", reasoning="Okay, let me count", text="There are 3.")
    fn = flavor.call(ask, "qwen/qwen3.6-27b", call_params={"reasoning_format": "parsed"})
    response = await flavor.invoke(fn, "How many r's in strawberry?")
    assert emu.requests[-1].json["reasoning_format"] == "parsed"
    assert response.reasoning == "Okay, let me count"
    assert response.content == "There are 3."
    assert response.message_param == {"role": "assistant", "content": "There are 3."}
    _allowed_assistant_keys(response.message_param)


async def test_b23_reasoning_stream_transcript_d(flavor, emu):
    emu.enqueue(
        "reasoning",
        reasoning="Okay, let me count",
        text="There are 3.",
        prompt_tokens=17,
        completion_tokens=9,
    )
    stream, pairs = await flavor.stream(
        ask,
        "How many r's in strawberry?",
        model="qwen/qwen3.6-27b",
        call_params={"reasoning_format": "parsed"},
    )
    assert stream.reasoning == "Okay, let me count"
    assert "".join(c.reasoning for c, _ in pairs) == "Okay, let me count"
    assert stream.content == "There are 3."
    assert "".join(c.content for c, _ in pairs) == "There are 3."
    assert stream.message_param == {"role": "assistant", "content": "There are 3."}
    assert "reasoning" not in stream.message_param
    _allowed_assistant_keys(stream.message_param)
    assert (stream.input_tokens, stream.output_tokens) == (17, 9)
    assert stream.construct_call_response().reasoning == "Okay, let me count"


async def test_b18_unknown_tool_name_warns_and_keeps_raw_call(flavor, emu):
    calls = [CALLS[0], {"id": "zz1", "name": "get_time", "arguments": '{"tz":"CET"}'}]
    emu.enqueue("tool_calls", calls=calls, style="parallel_separate")
    with pytest.warns(UserWarning, match="get_time"):
        stream, pairs = await flavor.stream(ask, QUESTION, model=TOOL_MODEL, tools=[GetWeather])

    tools = [tool for _, tool in pairs if tool is not None]
    assert [(type(t).__name__, t.city) for t in tools] == [("GetWeather", "Paris")]
    assert stream.is_complete is True
    assert stream.finish_reasons == ["tool_calls"]
    assert stream.message_param["tool_calls"] == [
        EXPECTED_TOOL_CALLS[0],
        tool_call_dict("zz1", "get_time", '{"tz":"CET"}'),
    ]


async def test_b3_tool_call_in_last_chunk_before_eof_is_yielded(flavor, emu):
    call = tool_call_dict("tk85n1k4m", "GetWeather", '{"city":"Paris"}')
    emu.enqueue_chunks(
        [
            {"choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]},
            {
                "choices": [
                    {
                        "index": 0,
                        "delta": {"tool_calls": [{**call, "index": 0}]},
                        "finish_reason": None,
                    }
                ]
            },
        ],
        done=False,  # clean EOF: no finish chunk, no [DONE]
    )
    fn = flavor.call(ask, model=TOOL_MODEL, tools=[GetWeather], stream=True)
    stream = await flavor.invoke(fn, QUESTION)
    pairs: list = []
    with pytest.raises(GroqStreamError) as info:  # a body cut short is reported, after the tool
        if flavor.is_async:
            async for pair in stream:
                pairs.append(pair)
        else:
            for pair in stream:
                pairs.append(pair)
    assert info.value.kind == "incomplete"
    tools = [tool for _, tool in pairs if tool is not None]
    assert [(t.id, t.city) for t in tools] == [("tk85n1k4m", "Paris")]
    assert stream.message_param == {"role": "assistant", "content": "", "tool_calls": [call]}
    assert stream.finish_reasons is None
    assert stream.is_complete is False
