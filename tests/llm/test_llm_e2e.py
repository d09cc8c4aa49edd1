"""`mirascope.llm` end to end: real `groq` SDK clients against the emulator, sync and async."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import groq as groq_sdk
import pytest
from groq_e2e_helpers import (
    COMPLETION_TOKENS,
    MODEL,
    MODEL_COST,
    PROMPT_TOKENS,
    TOOL_MODEL,
    GetWeather,
    ask,
)
from pydantic import BaseModel

from mirascope import llm
from mirascope.core import BaseMessageParam
from mirascope.core.groq import GroqCallResponse, GroqStream

CALLS = [
    {"id": "tk85n1k4m", "name": "GetWeather", "arguments": '{"city":"Paris"}'},
    {"id": "q2w9x7c3v", "name": "GetWeather", "arguments": '{"city":"Rome"}'},
]


class Book(BaseModel):
    title: str
    author: str


def _llm_call(flavor, model: str = MODEL, **kw):
    kw.setdefault("client", flavor.default_client)
    return llm.call(provider="groq", model=model, **kw)(flavor.fn(ask))


async def test_call_returns_provider_agnostic_response(flavor, emu):
    emu.enqueue("text", text="Hello there!", prompt_tokens=45, completion_tokens=3)
    response = await flavor.invoke(_llm_call(flavor), "Hi")
    assert isinstance(response, llm.CallResponse)
    assert isinstance(response._response, GroqCallResponse)
    assert response.content == "Hello there!"
    assert response.finish_reasons == ["stop"]
    assert response.usage is not None
    assert (response.usage.input_tokens, response.usage.output_tokens) == (
        PROMPT_TOKENS,
        COMPLETION_TOKENS,
    )
    assert response.cost == pytest.approx(MODEL_COST)
    assert response.model == MODEL  # delegated to the provider response
    assert isinstance(response.message_param, BaseMessageParam)
    assert response.message_param.role == "assistant"
    assert response.tool is None and response.tools is None
    assert str(response) == "Hello there!"
    assert emu.requests[-1].json["model"] == MODEL


async def test_stream_yields_chunk_tool_pairs_exactly_as_groq_stream(flavor, emu):
    for _ in range(2):
        emu.enqueue("tool_calls", calls=CALLS, style="fragmented", fragment_size=3)
    stream = await flavor.invoke(
        _llm_call(flavor, TOOL_MODEL, stream=True, tools=[GetWeather]), "w?"
    )
    assert isinstance(stream, llm.Stream)
    pairs = await flavor.drain(stream)
    raw = await flavor.invoke(flavor.call(ask, TOOL_MODEL, stream=True, tools=[GetWeather]), "w?")
    raw_pairs = await flavor.drain(raw)
    assert isinstance(raw, GroqStream)
    assert len(pairs) == len(raw_pairs)
    for (chunk, tool), (raw_chunk, raw_tool) in zip(pairs, raw_pairs, strict=True):
        assert isinstance(chunk, llm.CallResponseChunk)
        assert chunk.content == raw_chunk.content
        assert chunk.finish_reasons == raw_chunk.common_finish_reasons
        assert (tool is None) == (raw_tool is None)
        if tool is not None:
            assert isinstance(tool, llm.Tool)
            assert tool.args == raw_tool.args and tool.id == raw_tool.id
    tools = [tool for _, tool in pairs if tool]
    assert [t.call() for t in tools] == ["It is sunny in Paris.", "It is sunny in Rome."]
    assert stream.message_param == raw.message_param
    assert stream.cost == raw.cost
    outputs = [(t, t.call()) for t in tools]
    assert stream.tool_message_params(outputs) == raw.tool_message_params(
        [(t.tool, o) for t, o in outputs]
    )
    response = stream.construct_call_response()
    assert isinstance(response, llm.CallResponse)
    assert [t.city for t in response.tools or []] == ["Paris", "Rome"]
    assert response.tool is not None and response.tool.city == "Paris"


async def test_tools_on_a_response(flavor, emu):
    emu.enqueue("tool_calls", calls=CALLS[:1])
    response = await flavor.invoke(_llm_call(flavor, TOOL_MODEL, tools=[GetWeather]), "w?")
    assert isinstance(response.tool, llm.Tool)
    assert response.tool.call() == "It is sunny in Paris."
    params = response.tool_message_params([(response.tool, "sunny")])
    assert params[0]["role"] == "tool" and params[0]["tool_call_id"] == "tk85n1k4m"


async def test_response_model_is_returned_as_is(flavor, emu):
    emu.enqueue(
        "tool_calls",
        calls=[{"id": "c1", "name": "Book", "arguments": '{"title":"T","author":"A"}'}],
    )
    book = await flavor.invoke(_llm_call(flavor, TOOL_MODEL, response_model=Book), "extract")
    assert book == Book(title="T", author="A")
    assert isinstance(book._response, GroqCallResponse)


async def test_json_mode_and_output_parser_and_call_params(flavor, emu):
    emu.enqueue("json", obj={"title": "T", "author": "A"})
    fn = _llm_call(
        flavor,
        json_mode=True,
        output_parser=lambda r: r.content.upper(),
        call_params={"max_tokens": 77},
    )
    out = await flavor.invoke(fn, "extract")
    assert '"TITLE"' in out
    body = emu.requests[-1].json
    assert body["max_tokens"] == 77 and body["response_format"]["type"] == "json_object"


async def test_context_overrides_model_client_and_params(flavor, emu):
    emu.enqueue("text", text="a")
    emu.enqueue("text", text="b")
    fn = _llm_call(flavor)
    with llm.context(
        provider="groq", model="openai/gpt-oss-120b", call_params={"temperature": 0.25}
    ):
        inner = await flavor.invoke(fn, "Hi")
    outer = await flavor.invoke(fn, "Hi")
    assert inner.content == "a" and outer.content == "b"
    first, second = emu.requests[-2].json, emu.requests[-1].json
    assert (first["model"], first["temperature"]) == ("openai/gpt-oss-120b", 0.25)
    assert second["model"] == MODEL and "temperature" not in second


async def test_override_replaces_model_and_stream(flavor, emu):
    emu.enqueue("text", text="Hello there!", prompt_tokens=45, completion_tokens=3)
    fn = llm.override(
        _llm_call(flavor),
        provider="groq",
        model="openai/gpt-oss-120b",
        call_params={"max_tokens": 5},
        client=flavor.client(),
    )
    response = await flavor.invoke(fn, "Hi")
    assert isinstance(response, llm.CallResponse)
    assert emu.requests[-1].json["model"] == "openai/gpt-oss-120b"
    assert emu.requests[-1].json["max_tokens"] == 5
    emu.enqueue("text", text="Hello there!", prompt_tokens=45, completion_tokens=3)
    streamed = llm.override(_llm_call(flavor), stream=True)
    stream = await flavor.invoke(streamed, "Hi")
    assert isinstance(stream, llm.Stream)
    assert "".join(c.content for c, _ in await flavor.drain(stream)) == "Hello there!"
    assert stream.cost == pytest.approx(MODEL_COST)


async def test_other_provider_raises_before_any_request(flavor, emu):
    fn = llm.call(provider="openai", model="gpt-4o-mini")(flavor.fn(ask))
    with pytest.raises(ValueError, match=r"^Unsupported provider: 'openai'.*\"groq\""):
        await flavor.invoke(fn, "Hi")
    with (
        pytest.raises(ValueError, match="Unsupported provider: 'anthropic'"),
        llm.context(provider="anthropic", model="claude"),
    ):
        await flavor.invoke(_llm_call(flavor), "Hi")
    assert emu.requests == []


def test_override_needs_provider_and_model_together():
    with pytest.raises(ValueError, match=r"^Provider and model must both be overridden"):
        llm.override(ask, model="x")


def test_calculate_cost_and_exports():
    assert llm.calculate_cost(
        "groq", MODEL, llm.CostMetadata(input_tokens=45, output_tokens=3)
    ) == (pytest.approx(MODEL_COST))
    assert set(llm.__all__) >= {"call", "override", "context", "CallResponse", "Stream", "Tool"}


def test_importing_groq_does_not_import_llm():
    code = "import mirascope.core.groq, sys; assert 'mirascope.llm' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_readme_llm_example_runs_against_the_emulator(groq_emulator, tmp_path):
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("### Provider-agnostic calls: `mirascope.llm`", 1)[1]
    block = section.split("```python\n", 1)[1].split("```", 1)[0]
    script = tmp_path / "block.py"
    script.write_text(block)
    env = {**os.environ, "GROQ_BASE_URL": groq_emulator.base_url, "GROQ_API_KEY": "gsk_test"}
    subprocess.run([sys.executable, str(script)], check=True, env=env, capture_output=True)
    assert [r.json["model"] for r in groq_emulator.requests] == [
        "openai/gpt-oss-20b",
        "openai/gpt-oss-120b",
        "qwen/qwen3.6-27b",
    ]


async def test_fallback_retries_with_the_next_model(flavor, emu):
    from mirascope.retries import FallbackError, fallback

    emu.enqueue("http_error", status=429, message="Rate limit reached")
    emu.enqueue("text", text="from the fallback")
    fn = fallback(
        groq_sdk.RateLimitError,
        [
            {
                "catch": groq_sdk.RateLimitError,
                "provider": "groq",
                "model": "openai/gpt-oss-120b",
            }
        ],
    )(_llm_call(flavor, call_params={"max_tokens": 9}, client=flavor.client(max_retries=0)))
    response = await flavor.invoke(fn, "Hi")
    assert response.content == "from the fallback"
    assert [type(e) for e in response._caught] == [groq_sdk.RateLimitError]
    assert [r.json["model"] for r in emu.requests] == [MODEL, "openai/gpt-oss-120b"]

    emu.enqueue("http_error", status=429, message="Rate limit reached")
    emu.enqueue("http_error", status=429, message="Rate limit reached")
    with pytest.raises(FallbackError, match=r"^All fallbacks failed"):
        await flavor.invoke(fn, "Hi")


async def test_prompt_template_function_under_llm_call(flavor, emu):
    from mirascope.core import prompt_template

    emu.enqueue("text", text="Hello there!")
    if flavor.is_async:

        async def rec(genre: str) -> None: ...
    else:

        def rec(genre: str) -> None: ...

    fn = llm.call(provider="groq", model=MODEL, client=flavor.default_client)(
        prompt_template("Recommend a {genre} book")(rec)
    )
    response = await flavor.invoke(fn, "fantasy")
    assert isinstance(response, llm.CallResponse)
    assert response.content == "Hello there!"
    assert emu.requests[-1].json["messages"] == [
        {"role": "user", "content": "Recommend a fantasy book"}
    ]
