"""Tool-call streams: one test per v1 bug (API.md §5 B2, B2b, B4, B5, B6, B19), sync and async.

Each asserts what v1 gets wrong: v1 reads only `tool_calls[0]` (B2), empties the arguments of a
whole call that follows another (B2b), swallows text riding on a tool chunk (B4), ignores
`partial_tools` (B5), raises `IndexError` on a `choices: []` chunk (B6) and drops a no-argument
tool followed by another (B19).
"""

from __future__ import annotations

import json

import pytest
from groq_e2e_helpers import TOOL_MODEL, ask, chunk_dict, tool_call_dict, usage_u

from mirascope.core import BaseTool


class GetWeather(BaseTool):
    """Get the current weather in a city."""

    city: str
    unit: str = "C"

    def call(self) -> str:
        return f"sunny in {self.city}"


class GetTime(BaseTool):
    """Get the current time (no arguments)."""

    def call(self) -> str:
        return "noon"


TOOLS = [GetWeather, GetTime]
THREE = [
    {"id": "call_1", "name": "GetWeather", "arguments": '{"city":"Paris"}'},
    {"id": "call_2", "name": "GetWeather", "arguments": '{"city":"Rome","unit":"F"}'},
    {"id": "call_3", "name": "GetWeather", "arguments": '{"city":"Oslo"}'},
]


def _tools(pairs: list) -> list[BaseTool]:
    return [tool for _, tool in pairs if tool is not None]


def _delta_calls(calls: list[dict[str, str]], start: int = 0) -> list[dict[str, object]]:
    return [
        {
            "index": start + i,
            "id": c["id"],
            "type": "function",
            "function": {"name": c["name"], "arguments": c["arguments"]},
        }
        for i, c in enumerate(calls)
    ]


@pytest.mark.parametrize("count", [2, 3])
async def test_b2_parallel_calls_in_one_delta_all_yielded(flavor, emu, count):
    emu.enqueue("tool_calls", calls=THREE[:count], style="parallel_one_delta")
    stream, pairs = await flavor.stream(ask, "weather?", model=TOOL_MODEL, tools=TOOLS)

    tools = _tools(pairs)
    assert [(t.id, t.args) for t in tools] == [
        (c["id"], {"unit": "C", **json.loads(c["arguments"])}) for c in THREE[:count]
    ]
    assert stream.message_param["tool_calls"] == [
        tool_call_dict(c["id"], c["name"], c["arguments"]) for c in THREE[:count]
    ]
    outputs = [(tool, tool.call()) for tool in tools]
    assert [m["tool_call_id"] for m in stream.tool_message_params(outputs)] == [
        c["id"] for c in THREE[:count]
    ]


@pytest.mark.parametrize("style", ["whole", "fragmented"])
async def test_b2b_consecutive_whole_calls_keep_their_arguments(flavor, emu, style):
    emu.enqueue("tool_calls", calls=THREE, style=style, fragment_size=4)
    _, pairs = await flavor.stream(ask, "weather?", model=TOOL_MODEL, tools=TOOLS)

    assert [t.args for t in _tools(pairs)] == [
        {"city": "Paris", "unit": "C"},
        {"city": "Rome", "unit": "F"},
        {"city": "Oslo", "unit": "C"},
    ]


async def test_b4_text_and_usage_sharing_a_chunk_with_tool_calls_are_kept(flavor, emu):
    emu.enqueue_chunks(
        [
            chunk_dict({"role": "assistant", "content": None}),
            chunk_dict({"content": "Let me check.", "tool_calls": _delta_calls(THREE[:1])}),
            chunk_dict(
                {"tool_calls": _delta_calls(THREE[1:2], start=1)},
                finish="tool_calls",
                usage=usage_u(210, 30),
            ),
        ]
    )
    stream, pairs = await flavor.stream(ask, "weather?", model=TOOL_MODEL, tools=TOOLS)

    assert stream.content == "Let me check."
    assert "".join(chunk.content for chunk, _ in pairs) == stream.content
    assert [t.id for t in _tools(pairs)] == ["call_1", "call_2"]
    assert (stream.input_tokens, stream.output_tokens) == (210, 30)
    assert stream.finish_reasons == ["tool_calls"]
    assert stream.message_param["content"] == "Let me check."


async def test_b5_partial_tools_fragmented_deltas_concatenate_then_complete(flavor, emu):
    emu.enqueue("tool_calls", calls=THREE[1:2], style="fragmented", fragment_size=3)
    _, pairs = await flavor.stream(
        ask, "weather?", model=TOOL_MODEL, tools=TOOLS, stream={"partial_tools": True}
    )

    tools = _tools(pairs)
    partials, complete = tools[:-1], tools[-1]
    assert len(partials) >= 3
    assert "".join(t.delta or "" for t in partials) == THREE[1]["arguments"]
    assert all(isinstance(t, GetWeather) for t in tools)
    assert partials[-1].args == {"city": "Rome", "unit": "F"}
    assert complete.delta is None
    assert complete.args == {"city": "Rome", "unit": "F"}
    # The partials grow monotonically: a city seen once is never lost again.
    cities = [t.args["city"] for t in partials if t.args["city"]]
    assert cities == sorted(cities, key=len)


async def test_b5_partial_tools_with_whole_calls_yield_a_partial_then_the_tool(flavor, emu):
    emu.enqueue("tool_calls", calls=THREE[:2], style="whole")
    _, pairs = await flavor.stream(
        ask, "weather?", model=TOOL_MODEL, tools=TOOLS, stream={"partial_tools": True}
    )

    assert [(t.id, t.delta is None) for t in _tools(pairs)] == [
        ("call_1", False),
        ("call_1", True),
        ("call_2", False),
        ("call_2", True),
    ]


async def test_b6_usage_only_chunk_in_a_tool_stream(flavor, emu):
    emu.enqueue(
        "tool_calls",
        calls=THREE[:2],
        style="parallel_separate",
        usage_mode="include_usage_chunk",
        prompt_tokens=210,
        completion_tokens=30,
    )
    stream, pairs = await flavor.stream(ask, "weather?", model=TOOL_MODEL, tools=TOOLS)

    assert pairs[-1][0].chunk.choices == []
    assert [t.id for t in _tools(pairs)] == ["call_1", "call_2"]
    assert (stream.input_tokens, stream.output_tokens) == (210, 30)
    assert stream.finish_reasons == ["tool_calls"]
    assert stream.construct_call_response().finish_reasons == ["tool_calls"]


async def test_b19_no_argument_tool_followed_by_another_is_yielded(flavor, emu):
    calls = [{"id": "call_t", "name": "GetTime", "arguments": ""}, THREE[0]]
    emu.enqueue("tool_calls", calls=calls, style="whole")
    stream, pairs = await flavor.stream(ask, "time and weather?", model=TOOL_MODEL, tools=TOOLS)

    tools = _tools(pairs)
    assert [type(t).__name__ for t in tools] == ["GetTime", "GetWeather"]
    assert tools[0].args == {}
    assert tools[0].call() == "noon"
    assert stream.message_param["tool_calls"][0]["function"] == {"name": "GetTime", "arguments": ""}
