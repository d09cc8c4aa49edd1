"""Exact bytes of `stream.sse()` and `stream.ui_message_stream()` over the emulator."""

from __future__ import annotations

from typing import Any

from mirascope.core.groq.testing import GroqEmulator
from tests.groq_e2e_helpers import MODEL_COST, GetWeather, ask, user


async def _collect(body: Any) -> bytes:
    if hasattr(body, "__aiter__"):
        return b"".join([b async for b in body])
    return b"".join(body)


COST = MODEL_COST


async def test_text_ui(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue("text", text="Hi there!", prompt_tokens=45, completion_tokens=3)
    stream = await flavor.invoke(flavor.call(user("hello"), stream=True))
    out = await _collect(stream.ui_message_stream())
    meta = (
        '{"model":"openai/gpt-oss-20b","input_tokens":45,"output_tokens":3,'
        f'"cached_tokens":0,"cost":{COST!r},"finish_reasons":["stop"]}}'
    )
    assert out == (
        b'data: {"type":"start"}\n\n'
        b'data: {"type":"start-step"}\n\n'
        b'data: {"type":"text-start","id":"text-1"}\n\n'
        b'data: {"type":"text-delta","id":"text-1","delta":"Hi"}\n\n'
        b'data: {"type":"text-delta","id":"text-1","delta":" there"}\n\n'
        b'data: {"type":"text-delta","id":"text-1","delta":"!"}\n\n'
        b'data: {"type":"text-end","id":"text-1"}\n\n'
        b'data: {"type":"finish-step"}\n\n'
        b'data: {"type":"finish","messageMetadata":' + meta.encode() + b"}\n\n"
        b"data: [DONE]\n\n"
    )


async def test_text_sse(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue("text", text="Hi!", prompt_tokens=45, completion_tokens=3)
    stream = await flavor.invoke(flavor.call(user("hello"), stream=True))
    out = await _collect(stream.sse())
    assert out.startswith(
        b'event: text\ndata: {"delta":"Hi"}\n\nevent: text\ndata: {"delta":"!"}\n\n'
        b'event: finish\ndata: {"model":"openai/gpt-oss-20b","input_tokens":45,'
    )
    assert out.endswith(b'"finish_reasons":["stop"]}\n\nevent: done\ndata: {}\n\n')


async def test_reasoning_ui(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue("reasoning", reasoning="Think.", text="Ok", usage_mode="none")
    stream = await flavor.invoke(flavor.call(user("hello"), stream=True))
    out = await _collect(stream.ui_message_stream())
    assert out.startswith(
        b'data: {"type":"start"}\n\n'
        b'data: {"type":"start-step"}\n\n'
        b'data: {"type":"reasoning-start","id":"reasoning-1"}\n\n'
        b'data: {"type":"reasoning-delta","id":"reasoning-1","delta":"Think"}\n\n'
        b'data: {"type":"reasoning-delta","id":"reasoning-1","delta":"."}\n\n'
        b'data: {"type":"reasoning-end","id":"reasoning-1"}\n\n'
        b'data: {"type":"text-start","id":"text-2"}\n\n'
        b'data: {"type":"text-delta","id":"text-2","delta":"Ok"}\n\n'
        b'data: {"type":"text-end","id":"text-2"}\n\n'
    )


async def test_parallel_tools_with_outputs_ui(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue(
        "tool_calls",
        calls=[
            {"id": "call_a", "name": "GetWeather", "arguments": '{"city":"Paris"}'},
            {"id": "call_b", "name": "GetWeather", "arguments": '{"city":"Rome"}'},
        ],
        style="parallel_one_delta",
        usage_mode="none",
    )
    stream = await flavor.invoke(flavor.call(ask, tools=[GetWeather], stream=True), "w?")
    out = await _collect(stream.ui_message_stream(tool_output=lambda t: t.call()))
    assert (
        b'data: {"type":"tool-input-start","toolCallId":"call_a","toolName":"GetWeather"}\n\n'
        b'data: {"type":"tool-input-available","toolCallId":"call_a","toolName":"GetWeather",'
        b'"input":{"city":"Paris"}}\n\n'
        b'data: {"type":"tool-output-available","toolCallId":"call_a",'
        b'"output":"It is sunny in Paris."}\n\n'
        b'data: {"type":"tool-input-start","toolCallId":"call_b","toolName":"GetWeather"}\n\n'
        b'data: {"type":"tool-input-available","toolCallId":"call_b","toolName":"GetWeather",'
        b'"input":{"city":"Rome"}}\n\n'
        b'data: {"type":"tool-output-available","toolCallId":"call_b",'
        b'"output":"It is sunny in Rome."}\n\n'
    ) in out


async def test_partial_tools_ui_and_sse(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue(
        "tool_calls",
        calls=[{"id": "call_a", "name": "GetWeather", "arguments": '{"city":"Rome"}'}],
        style="fragmented",
        fragment_size=8,
        usage_mode="none",
    )
    fn = flavor.call(ask, tools=[GetWeather], stream={"partial_tools": True})
    stream = await flavor.invoke(fn, "w?")
    out = await _collect(stream.ui_message_stream())
    assert (
        b'data: {"type":"tool-input-start","toolCallId":"call_a","toolName":"GetWeather"}\n\n'
        b'data: {"type":"tool-input-delta","toolCallId":"call_a",'
        b'"inputTextDelta":"{\\"city\\":"}\n\n'
        b'data: {"type":"tool-input-delta","toolCallId":"call_a",'
        b'"inputTextDelta":"\\"Rome\\"}"}\n\n'
        b'data: {"type":"tool-input-available","toolCallId":"call_a","toolName":"GetWeather",'
        b'"input":{"city":"Rome"}}\n\n'
    ) in out


async def test_error_mid_stream_keeps_partial_first(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue("text", text="one two three four", fault="drop", after=2)
    stream = await flavor.invoke(flavor.call(user("hello"), stream=True))
    out = await _collect(stream.ui_message_stream())
    assert out.startswith(
        b'data: {"type":"start"}\n\n'
        b'data: {"type":"start-step"}\n\n'
        b'data: {"type":"text-start","id":"text-1"}\n\n'
        b'data: {"type":"text-delta","id":"text-1","delta":"one"}\n\n'
        b'data: {"type":"text-delta","id":"text-1","delta":" two"}\n\n'
        b'data: {"type":"text-end","id":"text-1"}\n\n'
        b'data: {"type":"error","errorText":"GroqStreamConnectionError: '
    )
    assert out.endswith(b"data: [DONE]\n\n")
    emu.enqueue("text", text="one two three four", fault="drop", after=2)
    stream = await flavor.invoke(flavor.call(user("hello"), stream=True))
    sse = await _collect(stream.sse())
    head = b'event: text\ndata: {"delta":"one"}\n\nevent: text\ndata: {"delta":" two"}\n\n'
    assert sse.startswith(head + b'event: error\ndata: {"type":"GroqStreamConnectionError",')
    assert b'"kind":"dropped"' in sse
    assert b'"partial":{"content":"one two","reasoning":"","tool_calls":[]}' in sse
    assert sse.endswith(b"event: done\ndata: {}\n\n")


async def test_structured_partials_ui(flavor: Any, emu: GroqEmulator) -> None:
    from pydantic import BaseModel

    class Book(BaseModel):
        title: str
        pages: int

    emu.enqueue("json", text='{"title": "Dune", "pages": 412}', chunk_chars=6, usage_mode="none")
    fn = flavor.call(user("book"), stream=True, response_model=Book, json_mode=True)
    stream = await flavor.invoke(fn)
    out = await _collect(stream.ui_message_stream())
    parts = [p for p in out.split(b"\n\n") if b"data-partial" in p]
    head = b'data: {"type":"data-partial","id":"partial","data":'
    assert parts == [
        head + b'{"title":null,"pages":null}}',
        head + b'{"title":"D","pages":null}}',
        head + b'{"title":"Dune","pages":null}}',
        head + b'{"title":"Dune","pages":412}}',
        head + b'{"title":"Dune","pages":412}}',  # the final, validated model
    ]
    assert out.endswith(b"data: [DONE]\n\n")


async def test_text_sse_exact(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue("text", text="Hi!", prompt_tokens=45, completion_tokens=3)
    stream = await flavor.invoke(flavor.call(user("hello"), stream=True))
    out = await _collect(stream.sse())
    assert out == (
        b'event: text\ndata: {"delta":"Hi"}\n\n'
        b'event: text\ndata: {"delta":"!"}\n\n'
        b'event: finish\ndata: {"model":"openai/gpt-oss-20b","input_tokens":45,'
        b'"output_tokens":3,"cached_tokens":0,"cost":' + repr(COST).encode() + b","
        b'"finish_reasons":["stop"]}\n\n'
        b"event: done\ndata: {}\n\n"
    )


async def test_reasoning_sse(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue("reasoning", reasoning="Think.", text="Ok", usage_mode="none")
    stream = await flavor.invoke(flavor.call(user("hello"), stream=True))
    out = await _collect(stream.sse())
    assert out.startswith(
        b'event: reasoning\ndata: {"delta":"Think"}\n\n'
        b'event: reasoning\ndata: {"delta":"."}\n\n'
        b'event: text\ndata: {"delta":"Ok"}\n\n'
        b"event: finish\ndata: "
    )


async def test_parallel_tools_with_outputs_sse(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue(
        "tool_calls",
        calls=[
            {"id": "call_a", "name": "GetWeather", "arguments": '{"city":"Paris"}'},
            {"id": "call_b", "name": "GetWeather", "arguments": '{"city":"Rome"}'},
        ],
        style="parallel_one_delta",
        usage_mode="none",
    )
    stream = await flavor.invoke(flavor.call(ask, tools=[GetWeather], stream=True), "w?")
    out = await _collect(stream.sse(tool_output=lambda t: t.call()))
    assert out.startswith(
        b'event: tool_call\ndata: {"id":"call_a","name":"GetWeather","args":{"city":"Paris"}}\n\n'
        b'event: tool_result\ndata: {"id":"call_a","name":"GetWeather",'
        b'"output":"It is sunny in Paris."}\n\n'
        b'event: tool_call\ndata: {"id":"call_b","name":"GetWeather","args":{"city":"Rome"}}\n\n'
        b'event: tool_result\ndata: {"id":"call_b","name":"GetWeather",'
        b'"output":"It is sunny in Rome."}\n\n'
        b"event: finish\ndata: "
    )


async def test_partial_tools_sse(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue(
        "tool_calls",
        calls=[{"id": "call_a", "name": "GetWeather", "arguments": '{"city":"Rome"}'}],
        style="fragmented",
        fragment_size=8,
        usage_mode="none",
    )
    fn = flavor.call(ask, tools=[GetWeather], stream={"partial_tools": True})
    stream = await flavor.invoke(fn, "w?")
    out = await _collect(stream.sse())
    assert out.startswith(
        b'event: tool_call_delta\ndata: {"id":"call_a","name":"GetWeather",'
        b'"delta":"{\\"city\\":","args":{}}\n\n'
        b'event: tool_call_delta\ndata: {"id":"call_a","name":"GetWeather",'
        b'"delta":"\\"Rome\\"}","args":{"city":"Rome"}}\n\n'
        b'event: tool_call\ndata: {"id":"call_a","name":"GetWeather","args":{"city":"Rome"}}\n\n'
    )


async def test_structured_partials_sse(flavor: Any, emu: GroqEmulator) -> None:
    from pydantic import BaseModel

    class Book(BaseModel):
        title: str
        pages: int

    emu.enqueue("json", text='{"title": "Dune", "pages": 412}', chunk_chars=6, usage_mode="none")
    fn = flavor.call(user("book"), stream=True, response_model=Book, json_mode=True)
    stream = await flavor.invoke(fn)
    out = await _collect(stream.sse())
    assert out.startswith(
        b'event: partial\ndata: {"title":null,"pages":null}\n\n'
        b'event: partial\ndata: {"title":"D","pages":null}\n\n'
        b'event: partial\ndata: {"title":"Dune","pages":null}\n\n'
        b'event: partial\ndata: {"title":"Dune","pages":412}\n\n'
        b'event: partial\ndata: {"title":"Dune","pages":412}\n\n'
        b"event: finish\ndata: "
    )
    assert out.endswith(b"event: done\ndata: {}\n\n")
