"""An invalid tool call in the tool loop is answered with its error and the loop goes on.

Arguments that fail to parse or validate, or a tool name the call does not have, are sent back
to the model as a tool message carrying the error text (the model sees what was wrong), streamed
as `tool-input-error` + `tool-output-error` (UI) / `tool_call_error` (SSE), and the next turn
follows, still bounded by `max_turns`. Outside a tool loop the body still ends with `error`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from mirascope.core.groq.testing import GroqEmulator
from tests.groq_e2e_helpers import GetWeather

HISTORY = [{"role": "user", "content": "Weather in Paris?"}]


async def _collect(body: Any) -> bytes:
    if hasattr(body, "__aiter__"):
        return b"".join([b async for b in body])
    return b"".join(body)


def _parts(out: bytes) -> list[Any]:
    """The UI message stream's parts, `[DONE]` as the string."""
    lines = [e.removeprefix(b"data: ") for e in out.split(b"\n\n") if e]
    return [line.decode() if line == b"[DONE]" else json.loads(line) for line in lines]


def _events(out: bytes) -> list[tuple[str, Any]]:
    """Plain SSE as `(event, data)` pairs."""
    events: list[tuple[str, Any]] = []
    for block in out.split(b"\n\n"):
        if block:
            name, data = block.split(b"\n")
            events.append((name.removeprefix(b"event: ").decode(), json.loads(data[6:])))
    return events


def _chat(flavor: Any, **kw: Any) -> Any:
    def chat(messages: list[Any]) -> list[Any]:
        return messages

    return flavor.call(chat, "openai/gpt-oss-120b", tools=[GetWeather], **{"stream": True, **kw})


async def _loop(flavor: Any, body: str, **kw: Any) -> bytes:
    chat = _chat(flavor, **kw.pop("call", {}))
    stream = await flavor.invoke(chat, HISTORY)
    encode = getattr(stream, body)
    return await _collect(encode(next_turn=lambda added: chat([*HISTORY, *added]), **kw))


async def test_ui_invalid_arguments_are_answered_and_the_loop_goes_on(
    flavor: Any, emu: GroqEmulator
) -> None:
    emu.enqueue(
        "tool_calls",
        calls=[{"id": "call_a", "name": "GetWeather", "arguments": '{"town":"Paris"}'}],
        usage_mode="none",
    )
    emu.enqueue(
        "tool_calls",
        calls=[{"id": "call_b", "name": "GetWeather", "arguments": '{"city":"Paris"}'}],
        usage_mode="none",
    )
    emu.enqueue("text", text="Sunny!", usage_mode="none")
    parts = _parts(await _loop(flavor, "ui_message_stream"))
    assert [p if p == "[DONE]" else p["type"] for p in parts] == [
        "start",
        "start-step",
        "tool-input-start",
        "tool-input-error",
        "tool-output-error",
        "finish-step",
        "start-step",
        "tool-input-start",
        "tool-input-available",
        "tool-output-available",
        "finish-step",
        "start-step",
        "text-start",
        "text-delta",
        "text-delta",
        "text-end",
        "finish-step",
        "finish",
        "[DONE]",
    ]
    start, input_error, output_error = parts[2:5]
    assert start == {"type": "tool-input-start", "toolCallId": "call_a", "toolName": "GetWeather"}
    assert input_error["toolCallId"] == "call_a" and input_error["toolName"] == "GetWeather"
    assert input_error["input"] == '{"town":"Paris"}'  # the raw arguments, as received
    assert "city" in input_error["errorText"] and "Field required" in input_error["errorText"]
    assert output_error == {
        "type": "tool-output-error",
        "toolCallId": "call_a",
        "errorText": input_error["errorText"],
    }
    # Turn 2 was asked with the bad call answered by a tool message carrying the error text.
    assert len(emu.requests) == 3
    sent = emu.requests[1].json["messages"]
    assert sent[1]["role"] == "assistant"
    assert sent[1]["tool_calls"][0]["id"] == "call_a"
    assert sent[1]["tool_calls"][0]["function"]["arguments"] == '{"town":"Paris"}'
    answer = sent[2]
    assert (answer["role"], answer["tool_call_id"], answer["name"]) == (
        "tool",
        "call_a",
        "GetWeather",
    )
    assert input_error["errorText"] in answer["content"]
    # Turn 3 carries both turns and both answers, in order.
    roles = [(m["role"], m.get("tool_call_id")) for m in emu.requests[2].json["messages"]]
    assert roles == [
        ("user", None),
        ("assistant", None),
        ("tool", "call_a"),
        ("assistant", None),
        ("tool", "call_b"),
    ]
    assert parts[-2]["messageMetadata"]["finish_reasons"] == ["stop"]


async def test_sse_unparsable_arguments_beside_a_valid_call(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue(
        "tool_calls",
        calls=[
            {"id": "call_a", "name": "GetWeather", "arguments": '{"city":"Rome"}'},
            {"id": "call_b", "name": "GetWeather", "arguments": "not json}"},
        ],
        usage_mode="none",
    )
    emu.enqueue("text", text="Warm.", usage_mode="none")
    events = _events(await _loop(flavor, "sse"))
    names = [name for name, _ in events]
    assert names == [
        "step_start",
        "tool_call",
        "tool_result",
        "tool_call_error",
        "step_finish",
        "step_start",
        "text",
        "text",
        "step_finish",
        "finish",
        "done",
    ]
    error = events[3][1]
    assert set(error) == {"id", "name", "arguments", "error"}
    assert (error["id"], error["name"], error["arguments"]) == ("call_b", "GetWeather", "not json}")
    assert error["error"]
    sent = emu.requests[1].json["messages"]
    assert [(m["role"], m.get("tool_call_id")) for m in sent] == [
        ("user", None),
        ("assistant", None),
        ("tool", "call_a"),
        ("tool", "call_b"),
    ]
    assert sent[2]["content"] == "It is sunny in Rome."
    assert error["error"] in sent[3]["content"]


async def test_unknown_tool_is_answered(flavor: Any, emu: GroqEmulator) -> None:
    # Groq only returns a call to a tool the request lacks with `disable_tool_validation`.
    emu.enqueue(
        "tool_calls",
        calls=[{"id": "call_x", "name": "get_time", "arguments": '{"tz":"CET"}'}],
        usage_mode="none",
    )
    emu.enqueue("text", text="Sorry.", usage_mode="none")
    with pytest.warns(UserWarning, match="get_time"):
        out = await _loop(
            flavor, "ui_message_stream", call={"call_params": {"disable_tool_validation": True}}
        )
    parts = _parts(out)
    errors = [p for p in parts if p != "[DONE]" and p["type"].startswith("tool-")]
    assert [p["type"] for p in errors] == [
        "tool-input-start",
        "tool-input-error",
        "tool-output-error",
    ]
    assert errors[1]["toolName"] == "get_time" and errors[1]["input"] == '{"tz":"CET"}'
    assert "get_time" in errors[1]["errorText"] and "GetWeather" in errors[1]["errorText"]
    sent = emu.requests[1].json["messages"]
    assert (sent[2]["role"], sent[2]["tool_call_id"]) == ("tool", "call_x")
    assert errors[1]["errorText"] in sent[2]["content"]
    assert b'"delta":"Sorry"' in out


async def test_invalid_calls_stay_bounded_by_max_turns(flavor: Any, emu: GroqEmulator) -> None:
    for _ in range(3):
        emu.enqueue("tool_calls", calls=[("GetWeather", '{"town":"Oslo"}')], usage_mode="none")
    out = await _loop(flavor, "sse", max_turns=2)
    events = _events(out)
    assert [n for n, _ in events].count("tool_call_error") == 2
    assert [d["turn"] for n, d in events if n == "step_start"] == [1, 2]
    assert events[-2] == (
        "finish",
        {
            "model": "openai/gpt-oss-120b",
            "input_tokens": None,
            "output_tokens": None,
            "cached_tokens": 0,
            "cost": None,
            "finish_reasons": ["tool_calls"],
        },
    )
    assert len(emu.requests) == 2 and len(emu.pending) == 1


async def test_outside_a_tool_loop_an_invalid_call_still_ends_with_error(
    flavor: Any, emu: GroqEmulator
) -> None:
    emu.enqueue("tool_calls", calls=[("GetWeather", '{"town":"Oslo"}')], usage_mode="none")
    stream = await flavor.invoke(_chat(flavor), HISTORY)
    out = await _collect(stream.sse(tool_output=lambda tool: tool.call()))
    events = _events(out)
    assert [n for n, _ in events] == ["error", "done"]
    assert events[0][1]["type"] == "GroqToolCallError"
    assert events[0][1]["kind"] == "invalid_tool_call"


async def test_other_errors_in_a_loop_still_end_the_body(flavor: Any, emu: GroqEmulator) -> None:
    # Groq's own `tool_use_failed` is a request error (no call id to answer), not an invalid call.
    emu.enqueue("tool_calls", calls=[("GetWeather", '{"city":"Oslo"}')], usage_mode="none")
    emu.enqueue("error_event")
    events = _events(await _loop(flavor, "sse"))
    assert [n for n, _ in events] == [
        "step_start",
        "tool_call",
        "tool_result",
        "step_finish",
        "step_start",
        "error",
        "done",
    ]
    assert events[5][1]["code"] == "tool_use_failed"
    assert len(emu.requests) == 2


async def test_a_tool_that_raises_ends_the_body(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue("tool_calls", calls=[("GetWeather", '{"city":"Oslo"}')], usage_mode="none")
    emu.enqueue("text", text="unused", usage_mode="none")

    def broken(tool: Any) -> Any:
        raise RuntimeError("weather service down")

    out = await _loop(flavor, "ui_message_stream", tool_output=broken)
    parts = _parts(out)
    assert parts[-2] == {"type": "error", "errorText": "RuntimeError: weather service down"}
    assert len(emu.requests) == 1 and len(emu.pending) == 1


async def test_next_turn_that_raises_ends_the_body(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue("tool_calls", calls=[("GetWeather", '{"town":"Oslo"}')], usage_mode="none")
    stream = await flavor.invoke(_chat(flavor), HISTORY)

    def next_turn(added: list[Any]) -> Any:
        raise ValueError("history too long")

    events = _events(await _collect(stream.sse(next_turn=next_turn)))
    names = [n for n, _ in events]
    assert names == ["step_start", "tool_call_error", "step_finish", "error", "done"]
    assert events[3][1]["type"] == "ValueError"


async def test_partial_tools_invalid_call_starts_its_tool_once(
    flavor: Any, emu: GroqEmulator
) -> None:
    emu.enqueue(
        "tool_calls",
        calls=[{"id": "call_a", "name": "GetWeather", "arguments": '{"town": "Oslo"}'}],
        usage_mode="none",
    )
    emu.enqueue("text", text="Ok.", usage_mode="none")
    out = await _loop(flavor, "ui_message_stream", call={"stream": {"partial_tools": True}})
    types = [p["type"] for p in _parts(out) if p != "[DONE]"]
    assert "tool-input-delta" in types  # streamed before the call turned out invalid
    assert types.count("tool-input-start") == 1
    assert types.index("tool-input-start") < types.index("tool-input-error")
    assert types.index("tool-input-error") + 1 == types.index("tool-output-error")
