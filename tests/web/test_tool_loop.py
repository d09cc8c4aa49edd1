"""The tool loop: tools run, their outputs stream, then the next turn, through the real SDK."""

from __future__ import annotations

from typing import Any

from mirascope.core.groq.testing import GroqEmulator
from tests.groq_e2e_helpers import GetWeather


async def _collect(body: Any) -> bytes:
    if hasattr(body, "__aiter__"):
        return b"".join([b async for b in body])
    return b"".join(body)


def _chat(flavor: Any) -> Any:
    def chat(messages: list[Any]) -> list[Any]:
        return messages

    return flavor.call(chat, "openai/gpt-oss-120b", tools=[GetWeather], stream=True)


HISTORY = [{"role": "user", "content": "Weather in Paris?"}]


async def test_ui_tool_loop_exact_bytes(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue(
        "tool_calls",
        calls=[{"id": "call_a", "name": "GetWeather", "arguments": '{"city":"Paris"}'}],
        prompt_tokens=40,
        completion_tokens=10,
    )
    emu.enqueue("text", text="Sunny!", prompt_tokens=60, completion_tokens=2)
    chat = _chat(flavor)
    seen: list[list[Any]] = []

    def next_turn(added: list[Any]) -> Any:
        seen.append(added)
        return chat([*HISTORY, *added])

    stream = await flavor.invoke(chat, HISTORY)
    out = await _collect(stream.ui_message_stream(next_turn=next_turn))
    cost = (40 * 0.15e-6 + 10 * 0.60e-6) + (60 * 0.15e-6 + 2 * 0.60e-6)  # per turn, summed
    meta = (
        '{"model":"openai/gpt-oss-120b","input_tokens":100,"output_tokens":12,'
        f'"cached_tokens":0,"cost":{cost!r},"finish_reasons":["stop"]}}'
    )
    assert out == (
        b'data: {"type":"start"}\n\n'
        b'data: {"type":"start-step"}\n\n'
        b'data: {"type":"tool-input-start","toolCallId":"call_a","toolName":"GetWeather"}\n\n'
        b'data: {"type":"tool-input-available","toolCallId":"call_a","toolName":"GetWeather",'
        b'"input":{"city":"Paris"}}\n\n'
        b'data: {"type":"tool-output-available","toolCallId":"call_a",'
        b'"output":"It is sunny in Paris."}\n\n'
        b'data: {"type":"finish-step"}\n\n'
        b'data: {"type":"start-step"}\n\n'
        b'data: {"type":"text-start","id":"text-1"}\n\n'
        b'data: {"type":"text-delta","id":"text-1","delta":"Sunny"}\n\n'
        b'data: {"type":"text-delta","id":"text-1","delta":"!"}\n\n'
        b'data: {"type":"text-end","id":"text-1"}\n\n'
        b'data: {"type":"finish-step"}\n\n'
        b'data: {"type":"finish","messageMetadata":' + meta.encode() + b"}\n\n"
        b"data: [DONE]\n\n"
    )
    # The second request carried the assistant turn and the tool result, as Groq accepts them.
    assert len(seen) == 1
    sent = emu.requests[-1].json["messages"]
    assert sent[0] == HISTORY[0]
    assert sent[1]["role"] == "assistant"
    assert sent[1]["tool_calls"][0]["id"] == "call_a"
    assert (
        sent[2]
        == {
            "role": "tool",
            "tool_call_id": "call_a",
            "content": "It is sunny in Paris.",
        }
        or sent[2]["content"] == "It is sunny in Paris."
    )
    # The server thread marks a stream completed just after its last write: wait for it.
    assert emu.wait_for(lambda: all(rec.completed for rec in emu.streams), timeout=3)
    assert emu.wait_for(lambda: emu.open_connections <= 1, timeout=3)


async def test_sse_tool_loop_exact_bytes(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue(
        "tool_calls",
        calls=[{"id": "call_a", "name": "GetWeather", "arguments": '{"city":"Rome"}'}],
        usage_mode="none",
    )
    emu.enqueue("text", text="Warm.", usage_mode="none")
    chat = _chat(flavor)
    stream = await flavor.invoke(chat, HISTORY)
    body = stream.sse(next_turn=lambda added: chat([*HISTORY, *added]))
    out = await _collect(body)
    usage = b'"model":"openai/gpt-oss-120b","input_tokens":null,"output_tokens":null,'
    usage += b'"cached_tokens":0,"cost":null,"finish_reasons":'
    assert out == (
        b'event: step_start\ndata: {"turn":1}\n\n'
        b'event: tool_call\ndata: {"id":"call_a","name":"GetWeather","args":{"city":"Rome"}}\n\n'
        b'event: tool_result\ndata: {"id":"call_a","name":"GetWeather",'
        b'"output":"It is sunny in Rome."}\n\n'
        b'event: step_finish\ndata: {"turn":1,' + usage + b'["tool_calls"]}\n\n'
        b'event: step_start\ndata: {"turn":2}\n\n'
        b'event: text\ndata: {"delta":"Warm"}\n\n'
        b'event: text\ndata: {"delta":"."}\n\n'
        b'event: step_finish\ndata: {"turn":2,' + usage + b'["stop"]}\n\n'
        b"event: finish\ndata: {" + usage + b'["stop"]}\n\n'
        b"event: done\ndata: {}\n\n"
    )


async def test_max_turns_bounds_the_loop(flavor: Any, emu: GroqEmulator) -> None:
    for _ in range(3):
        emu.enqueue("tool_calls", calls=[("GetWeather", '{"city":"Oslo"}')], usage_mode="none")
    chat = _chat(flavor)
    stream = await flavor.invoke(chat, HISTORY)
    body = stream.ui_message_stream(next_turn=lambda a: chat([*HISTORY, *a]), max_turns=2)
    out = await _collect(body)
    assert out.count(b'"type":"start-step"') == 2
    assert out.count(b'"type":"tool-output-available"') == 2
    assert b'"finish_reasons":["tool_calls"]' in out
    assert out.endswith(b"data: [DONE]\n\n")
    assert len(emu.requests) == 2 and len(emu.pending) == 1


async def test_error_in_second_turn_keeps_first(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue("tool_calls", calls=[("GetWeather", '{"city":"Oslo"}')], usage_mode="none")
    emu.enqueue("text", text="one two three four", fault="drop", after=2)
    chat = _chat(flavor)
    stream = await flavor.invoke(chat, HISTORY)
    out = await _collect(stream.sse(next_turn=lambda a: chat([*HISTORY, *a])))
    assert b"event: tool_result\n" in out
    head = b'event: text\ndata: {"delta":"one"}\n\nevent: text\ndata: {"delta":" two"}\n\n'
    assert head + b'event: error\ndata: {"type":"GroqStreamConnectionError",' in out
    assert out.endswith(b"event: done\ndata: {}\n\n")
