"""Non-stream calls and the decorator end to end: every `GroqCallResponse` member, clients
(B9, B22), call params (B1, B23), JSON mode and bad input. Each call test runs sync and async."""

from __future__ import annotations

import asyncio
import json

import pytest
from groq.types import CompletionUsage
from groq.types.chat import ChatCompletion
from groq_e2e_helpers import (
    MODEL,
    MODEL_COST,
    TOOL_MODEL,
    GetWeather,
    ask,
    tool_call_dict,
    user,
)

from mirascope.core import (
    AudioPart,
    BaseMessageParam,
    Messages,
    ToolCallPart,
    groq,
    metadata,
    prompt_template,
)
from mirascope.core.groq import GroqCallResponse
from mirascope.core.groq import _client as default_clients
from mirascope.core.groq.timings import ServerTimings

COMPUTED_FIELDS = [
    "content", "finish_reasons", "model", "id", "input_tokens", "cached_tokens", "output_tokens",
    "cost_metadata", "cost", "message_param",
]  # fmt: skip
STORED_FIELDS = [
    "metadata", "response", "tool_types", "prompt_template", "fn_args", "dynamic_config",
    "messages", "call_params", "call_kwargs", "user_message_param", "start_time", "end_time",
]  # fmt: skip


# -- 8. GroqCallResponse --------------------------------------------------------------------


async def test_non_stream_response_every_property_text_answer(flavor, emu):
    emu.enqueue(
        "text",
        text="Read Dune.",
        prompt_tokens=45,
        completion_tokens=3,
        completion_id="chatcmpl-e2e-ns",
    )

    def recommend(genre: str) -> dict:
        return {"computed_fields": {"topic": "sand"}}

    fn = groq.call(MODEL, client=flavor.default_client, call_params={"max_tokens": 100})(
        metadata({"tags": {"version:0001"}})(
            prompt_template("SYSTEM: Be brief.\nUSER: Recommend a {genre} book about {topic}")(
                flavor.fn(recommend)
            )
        )
    )
    response = await flavor.invoke(fn, "science fiction")
    sent = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Recommend a science fiction book about sand"},
    ]

    assert isinstance(response, GroqCallResponse)
    assert isinstance(response.response, ChatCompletion)
    assert emu.requests[-1].json["messages"] == sent
    assert emu.requests[-1].json["max_tokens"] == 100
    assert "stream" not in emu.requests[-1].json or emu.requests[-1].json["stream"] is False
    assert response.content == "Read Dune."
    assert str(response) == "Read Dune."
    assert response.reasoning == ""
    assert response.finish_reasons == ["stop"]
    assert response.common_finish_reasons == ["stop"]
    assert response.model == MODEL
    assert response.id == "chatcmpl-e2e-ns"
    assert isinstance(response.usage, CompletionUsage)
    assert (response.input_tokens, response.cached_tokens, response.output_tokens) == (45, 0, 3)
    assert response.cost == pytest.approx(MODEL_COST, rel=1e-9)
    assert response.cost_metadata.input_tokens == 45
    assert response.cost_metadata.output_tokens == 3
    assert response.cost_metadata.cached_tokens == 0
    assert response.message_param == {"role": "assistant", "content": "Read Dune."}
    assert response.tools is None
    assert response.tool is None
    assert response.tool_types is None
    assert response.common_tools is None
    assert response.prompt_template == (
        "SYSTEM: Be brief.\nUSER: Recommend a {genre} book about {topic}"
    )
    assert response.fn_args == {"genre": "science fiction"}  # B21
    assert response.dynamic_config == {"computed_fields": {"topic": "sand"}}
    assert response.metadata == {"tags": {"version:0001"}}
    assert response.messages == sent
    assert response.call_params == {"max_tokens": 100}
    assert response.call_kwargs == {"max_tokens": 100, "model": MODEL, "messages": sent}
    assert response.user_message_param == sent[1]
    assert 0 < response.start_time <= response.end_time
    assert response.provider == "groq"
    assert response.server_timings == ServerTimings(
        queue_time=0.041905864, prompt_time=0.0017, completion_time=0.012, total_time=0.0137
    )
    assert response.common_message_param == BaseMessageParam(role="assistant", content="Read Dune.")
    assert response.common_user_message_param == BaseMessageParam(
        role="user", content="Recommend a science fiction book about sand"
    )
    assert response.common_messages == [
        BaseMessageParam(role="system", content="Be brief."),
        BaseMessageParam(role="user", content="Recommend a science fiction book about sand"),
    ]
    usage = response.common_usage
    assert usage is not None
    assert (usage.input_tokens, usage.cached_tokens, usage.output_tokens, usage.total_tokens) == (
        45,
        0,
        3,
        48,
    )

    dumped = response.model_dump()
    for name in STORED_FIELDS + COMPUTED_FIELDS:
        assert name in dumped, name
    assert dumped["content"] == "Read Dune."
    assert dumped["message_param"] == {"role": "assistant", "content": "Read Dune."}
    assert dumped["input_tokens"] == 45
    assert dumped["cost"] == pytest.approx(MODEL_COST, rel=1e-9)
    assert dumped["fn_args"] == {"genre": "science fiction"}
    assert "computed_fields" not in dumped
    assert json.loads(response.model_dump_json())["tool_types"] == []


async def test_non_stream_response_tool_answer_properties(flavor, emu):
    emu.enqueue(
        "tool_calls",
        calls=[{"id": "tk85n1k4m", "name": "GetWeather", "arguments": '{"city":"Paris"}'}],
    )
    response = await flavor.invoke(flavor.call(ask, TOOL_MODEL, tools=[GetWeather]), "Weather?")

    assert response.finish_reasons == ["tool_calls"]
    assert response.content == ""
    assert response.tool is not None and isinstance(response.tool, GetWeather)
    assert response.tool.city == "Paris"
    assert response.tool.tool_call.id == "tk85n1k4m"
    assert response.tools == [response.tool]
    assert response.common_tools == [response.tool]
    assert [t._name() for t in response.tool_types or []] == ["GetWeather"]
    assert response.message_param == {
        "role": "assistant",
        "content": "",
        "tool_calls": [tool_call_dict("tk85n1k4m", "GetWeather", '{"city":"Paris"}')],
    }
    assert response.common_message_param == BaseMessageParam(
        role="assistant",
        content=[ToolCallPart(type="tool_call", name="GetWeather", args={"city": "Paris"},
                              id="tk85n1k4m")],
    )  # fmt: skip
    assert response.tool_message_params([(response.tool, response.tool.call())]) == [
        {
            "role": "tool",
            "content": "It is sunny in Paris.",
            "tool_call_id": "tk85n1k4m",
            "name": "GetWeather",
        }
    ]
    assert GroqCallResponse.tool_message_params([(response.tool, {"temp": 21})]) == [
        {
            "role": "tool",
            "content": json.dumps({"temp": 21}),
            "tool_call_id": "tk85n1k4m",
            "name": "GetWeather",
        }
    ]
    # Serialising a tool-call response must not warn (pytest turns warnings into errors).
    assert response.model_dump()["message_param"] == response.message_param
    assert json.loads(response.model_dump_json())["tool_types"] == [
        {"type": "function", "name": "GetWeather"}
    ]
    assert emu.requests[-1].json["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "GetWeather",
                "description": "Get the current weather in a city.",
                "parameters": {
                    "properties": {"city": {"type": "string"}},
                    "required": ["city"],
                    "type": "object",
                },
            },
        }
    ]


async def test_metadata_from_dynamic_config_replaces_decorator_metadata(flavor, emu):
    emu.enqueue("text", text="ok")

    def prompt() -> dict:
        return {"messages": [Messages.User("hi")], "metadata": {"tags": {"dynamic"}}}

    fn = groq.call(MODEL, client=flavor.default_client)(
        metadata({"tags": {"static"}})(flavor.fn(prompt))
    )
    response = await flavor.invoke(fn)
    assert response.metadata == {"tags": {"dynamic"}}
    assert emu.requests[-1].json["messages"] == [{"role": "user", "content": "hi"}]


async def test_output_parser_applies(flavor, emu):
    emu.enqueue("text", text="Dune by Frank Herbert")

    def parse(response: GroqCallResponse) -> tuple[str, str]:
        title, _, author = response.content.partition(" by ")
        return title, author

    result = await flavor.invoke(flavor.call(ask, output_parser=parse), "A book?")
    assert result == ("Dune", "Frank Herbert")


def test_stream_with_output_parser_raises_at_decoration():
    with pytest.raises(ValueError, match="output_parser"):
        groq.call(MODEL, stream=True, output_parser=str)


# -- 9. B9 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True])
async def test_b9_dynamic_client_applies_to_its_own_call_only(
    flavor, emu, groq_emulator_factory, stream
):
    emu2 = groq_emulator_factory()
    client2 = flavor.client(emu2)
    use_second = [True, False]

    def prompt() -> dict:
        config: dict = {"messages": [Messages.User("hi")]}
        if use_second.pop(0):
            config["client"] = client2
        return config

    fn = flavor.call(prompt, stream=stream)
    for _ in range(2):
        result = await flavor.invoke(fn)
        if stream:
            await flavor.drain(result)

    assert len(emu2.requests) == 1  # call 1, via the dynamic client
    assert len(emu.requests) == 1  # call 2, via the decorator's client (B9)
    assert emu.requests[0].json["messages"] == [{"role": "user", "content": "hi"}]


# -- 10. B22 --------------------------------------------------------------------------------


@pytest.fixture
def groq_env(emu, monkeypatch):
    monkeypatch.setenv("GROQ_API_KEY", "gsk_e2e_dummy")
    monkeypatch.setenv("GROQ_BASE_URL", emu.base_url)
    key = ("gsk_e2e_dummy", emu.base_url)
    yield emu
    client = default_clients._sync_clients.pop(key, None)
    if client is not None:
        client.close()


def test_b22_default_sync_client_reused_across_calls(groq_env):
    emu = groq_env
    emu.enqueue("text", text="one").enqueue("text", text="two")

    @groq.call(MODEL)
    def hello(name: str) -> str:
        return f"Hi {name}"

    assert hello("a").content == "one"
    assert hello("b").content == "two"
    assert emu.connections_opened == 1
    assert emu.connections[0].requests == 2
    assert all(r.has_bearer for r in emu.requests)


def test_b22_default_async_client_survives_two_asyncio_runs(groq_env):
    emu = groq_env
    emu.enqueue("text", text="one").enqueue("text", text="two")

    @groq.call(MODEL)
    async def hello(name: str) -> str:
        return f"Hi {name}"

    async def main() -> str:
        response = await hello("a")
        # The default client belongs to this loop; close it before the loop goes away, so no
        # socket of a dead loop is left for the garbage collector.
        await default_clients.default_async_client().close()
        return response.content

    assert asyncio.run(main()) == "one"
    assert asyncio.run(main()) == "two"
    assert len(emu.requests) == 2


# -- 11. call params ------------------------------------------------------------------------


async def test_common_call_params_drop_none(flavor, emu):
    emu.enqueue("text", text="ok")
    fn = flavor.call(ask, call_params={"temperature": 0.2, "max_tokens": 9, "seed": None})
    await flavor.invoke(fn, "hi")
    body = emu.requests[-1].json
    assert body["temperature"] == 0.2
    assert body["max_tokens"] == 9
    assert "seed" not in body


async def test_b23_reasoning_effort_and_max_completion_tokens_reach_body(flavor, emu):
    emu.enqueue("reasoning", reasoning="hmm", text="ok")
    fn = flavor.call(
        ask,
        "openai/gpt-oss-20b",
        call_params={"reasoning_effort": "low", "max_completion_tokens": 64},
    )
    response = await flavor.invoke(fn, "hi")
    body = emu.requests[-1].json
    assert body["reasoning_effort"] == "low"
    assert body["max_completion_tokens"] == 64
    assert response.content == "ok"


async def test_dynamic_call_params_override_decorator(flavor, emu):
    emu.enqueue("text", text="ok")

    def prompt() -> dict:
        return {"messages": [Messages.User("hi")], "call_params": {"temperature": 0.9}}

    fn = flavor.call(prompt, call_params={"temperature": 0.1, "top_p": 0.5})
    response = await flavor.invoke(fn)
    body = emu.requests[-1].json
    assert body["temperature"] == 0.9
    assert body["top_p"] == 0.5
    assert response.call_kwargs["temperature"] == 0.9


@pytest.mark.parametrize("stream", [False, True])
async def test_unknown_call_param_raises_and_sends_nothing(flavor, emu, stream):
    with pytest.raises(ValueError, match="temprature"):  # at decoration since issue 9 F
        await flavor.invoke(flavor.call(ask, call_params={"temprature": 0.2}, stream=stream), "hi")
    assert emu.requests == []


# -- 12. JSON mode --------------------------------------------------------------------------


async def test_json_mode_sets_response_format_and_instruction(flavor, emu):
    emu.enqueue("json", obj={"title": "Dune"})
    response = await flavor.invoke(flavor.call(ask, json_mode=True), "A book as JSON")
    body = emu.requests[-1].json
    assert body["response_format"] == {"type": "json_object"}
    last = body["messages"][-1]
    assert last["role"] == "user"
    assert last["content"].startswith("A book as JSON")
    assert "JSON" in last["content"][len("A book as JSON") :]
    assert json.loads(response.content) == {"title": "Dune"}


async def test_json_mode_with_tools_has_no_response_format(flavor, emu):
    emu.enqueue("text", text="{}")
    fn = flavor.call(ask, TOOL_MODEL, json_mode=True, tools=[GetWeather])
    await flavor.invoke(fn, "Weather as JSON")
    body = emu.requests[-1].json
    assert "response_format" not in body
    assert "JSON" in body["messages"][-1]["content"][len("Weather as JSON") :]
    assert body["tools"][0]["function"]["name"] == "GetWeather"


# -- 13. bad input, nothing sent ------------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True])
async def test_missing_template_variable_names_it(flavor, emu, stream):
    def recommend(topic: str) -> None: ...

    fn = groq.call(MODEL, client=flavor.default_client, stream=stream)(
        prompt_template("Recommend a {genre} book")(flavor.fn(recommend))
    )
    with pytest.raises((KeyError, ValueError), match="genre"):
        await flavor.invoke(fn, "dragons")
    assert emu.requests == []


@pytest.mark.parametrize("stream", [False, True])
async def test_audio_part_rejected_naming_the_part(flavor, emu, stream):
    def prompt() -> list:
        audio = AudioPart(type="audio", media_type="audio/wav", audio=b"RIFF")
        return [Messages.User(["Transcribe this", audio])]

    fn = flavor.call(prompt, stream=stream)
    with pytest.raises(ValueError, match=r"(?i)audio"):
        await flavor.invoke(fn)
    assert emu.requests == []


@pytest.mark.parametrize("stream", [False, True])
async def test_client_flavor_mismatch_raises_type_error(flavor, emu, stream):
    expected = r"async function.*groq\.Groq" if flavor.is_async else r"sync function.*AsyncGroq"
    with pytest.raises(TypeError, match=expected):  # at decoration since issue 9 F
        await flavor.invoke(flavor.call(user("hi"), client=flavor.other_client(), stream=stream))
    assert emu.requests == []
