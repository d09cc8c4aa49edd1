"""Streams from a real model (SmolLM2-135M-Instruct via llama.cpp), through `groq.call`.

Assertions are on structure, never on the model's prose: the exact text depends on the pinned
llama.cpp build and model. Every request is bounded by `max_tokens` and the client's timeout.
"""

from __future__ import annotations

import json
import time

import httpx
import pytest
from pydantic import BaseModel

from mirascope.core import BaseTool, Messages, groq
from mirascope.core.groq.local import LocalModel

pytestmark = pytest.mark.local_model

TIMEOUT_S = 60.0
PARAMS: groq.GroqCallParams = {"max_tokens": 48, "temperature": 0, "seed": 42}


class GetWeather(BaseTool):
    """Get the current weather in a city."""

    city: str

    def call(self) -> str:
        return f"It is sunny in {self.city}."


def _assert_complete(stream: groq.GroqStream, chunks: int) -> None:
    assert stream.content.strip(), "the model streamed no text"
    assert chunks >= 2, "expected the text to arrive in several chunks"
    assert stream.finish_reasons and stream.finish_reasons[0] in ("stop", "length")
    assert stream.end_state == "finished"
    # Usage comes from llama.cpp's trailing `choices: []` chunk, requested by the local client.
    assert stream.input_tokens is not None and stream.input_tokens > 0
    assert stream.output_tokens is not None and 0 < stream.output_tokens <= 48
    assert stream.cost is None  # the local model is not in Groq's price table
    response = stream.construct_call_response()
    assert response.content == stream.content
    assert response.usage is not None and response.usage.completion_tokens == stream.output_tokens


def test_sync_stream(local_model: LocalModel) -> None:
    with local_model.client(timeout=TIMEOUT_S) as client:

        @groq.call(local_model.model, stream=True, client=client, call_params=PARAMS)
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        stream = recommend_book("fantasy")
        chunks = sum(1 for chunk, _ in stream if chunk.content)
    _assert_complete(stream, chunks)
    assert stream.model == local_model.model


async def test_async_stream(local_model: LocalModel) -> None:
    async with local_model.async_client(timeout=TIMEOUT_S) as client:

        @groq.call(local_model.model, stream=True, client=client, call_params=PARAMS)
        async def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        stream = await recommend_book("science fiction")
        chunks = 0
        async with stream:
            async for chunk, _ in stream:
                chunks += bool(chunk.content)
    _assert_complete(stream, chunks)
    assert stream.start_time and stream.end_time and stream.end_time >= stream.start_time


def test_json_mode_yields_valid_json(local_model: LocalModel) -> None:
    # json_mode sends response_format={"type": "json_object"}; llama.cpp enforces it by grammar.
    with local_model.client(timeout=TIMEOUT_S) as client:

        @groq.call(
            local_model.model,
            stream=True,
            json_mode=True,
            client=client,
            call_params={**PARAMS, "max_tokens": 64, "tool_choice": "required"},
        )
        def city_info(city: str) -> str:
            return f"Give the city {city} and its country, with the keys city and country."

        stream = city_info("Paris")
        for _ in stream:
            pass
    assert stream.finish_reasons == ["stop"], "the JSON object should close before max_tokens"
    assert isinstance(json.loads(stream.content), dict)


class City(BaseModel):
    city: str
    country: str


# With a plain json_object format this 135M model echoes the JSON schema from the prompt instead
# of an instance. A json_schema format (which Groq accepts too) makes llama.cpp enforce the schema
# by grammar, so the test checks the library's parsing, not the model's judgement.
CITY_PARAMS: groq.GroqCallParams = {
    **PARAMS,
    "max_tokens": 64,
    "response_format": {
        "type": "json_schema",
        "json_schema": {"name": "City", "schema": City.model_json_schema()},
    },
}


def test_response_model_in_json_mode(local_model: LocalModel) -> None:
    with local_model.client(timeout=TIMEOUT_S) as client:

        @groq.call(
            local_model.model,
            response_model=City,
            json_mode=True,
            client=client,
            call_params=CITY_PARAMS,
        )
        def city_info(city: str) -> str:
            return f"Give the city {city} and its country."

        result = city_info("Paris")
    assert isinstance(result, City)
    assert result.city.lower() == "paris"
    assert result.country.strip()


def test_structured_stream_refuses_json_schema_before_any_request(local_model: LocalModel) -> None:
    with local_model.client(timeout=TIMEOUT_S) as client:

        @groq.call(
            local_model.model,
            response_model=City,
            json_mode=True,
            stream=True,
            client=client,
            call_params=CITY_PARAMS,
        )
        def city_info(city: str) -> str:
            return f"Give the city {city} and its country."

        with pytest.raises(ValueError, match="json_schema cannot be used with stream=True"):
            list(city_info("Paris"))


def test_temperature_zero_with_seed_is_deterministic(local_model: LocalModel) -> None:
    with local_model.client(timeout=TIMEOUT_S) as client:

        @groq.call(local_model.model, stream=True, client=client, call_params=PARAMS)
        def colors() -> str:
            return "Name three colors."

        runs = ["".join(chunk.content for chunk, _ in colors()) for _ in range(2)]
    assert runs[0].strip()
    assert runs[0] == runs[1]


def _slot_busy(local: LocalModel) -> bool:
    slots = httpx.get(f"{local.base_url}/openai/slots", timeout=5.0).json()
    return any(slot.get("is_processing") for slot in slots)


def test_break_releases_the_connection(local_model: LocalModel) -> None:
    # ignore_eos makes the server generate all 1024 tokens (several seconds) unless the client
    # hangs up; llama.cpp stops generating as soon as the connection closes.
    params: groq.GroqCallParams = {
        "max_tokens": 1024,
        "temperature": 0,
        "seed": 42,
        "extra_body": {"ignore_eos": True},
    }
    with local_model.client(timeout=TIMEOUT_S) as client:

        @groq.call(local_model.model, stream=True, client=client, call_params=params)
        def story() -> str:
            return "Tell me a long story about a dragon."

        stream = story()
        for chunk, _ in stream:
            if chunk.content:
                break
        assert stream.end_state == "closed_early"
        assert stream.content.strip()
        deadline = time.monotonic() + 3.0  # the full answer would take 8 s or more
        while _slot_busy(local_model) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _slot_busy(local_model), "the server is still generating for a closed stream"
        assert stream.message_param["content"] == stream.content


def test_streamed_tool_call(local_tool_model: LocalModel) -> None:
    # A 135M model does not choose tools on its own: `tool_choice="required"` plus an assistant
    # prefill make it emit one <tool_call>, and the stop string ends it after the first call
    # (otherwise it repeats the call until max_tokens).
    params: groq.GroqCallParams = {
        **PARAMS,
        "tool_choice": "required",
        "stop": ["</tool_call>"],
    }
    with local_tool_model.client(timeout=TIMEOUT_S) as client:

        @groq.call(
            local_tool_model.model,
            tools=[GetWeather],
            stream=True,
            client=client,
            call_params=params,
        )
        def ask(city: str) -> Messages.Type:
            return [
                Messages.User(f"What is the weather in {city}?"),
                Messages.Assistant("<tool_call>\n"),
            ]

        stream = ask("Paris")
        tools = [tool for _, tool in stream if tool is not None]
    assert len(tools) == 1
    assert isinstance(tools[0], GetWeather)
    assert tools[0].city.lower() == "paris"
    assert stream.finish_reasons == ["tool_calls"]
    calls = stream.message_param.get("tool_calls") or []
    assert [call["function"]["name"] for call in calls] == ["GetWeather"]
    assert stream.output_tokens is not None and stream.output_tokens > 0


def test_structured_stream_through_a_forced_tool(local_tool_model: LocalModel) -> None:
    # A structured stream offers the response model as its only tool. As in
    # test_streamed_tool_call, `tool_choice="required"` (the extraction keeps it: it only sets a
    # default) and the prefill make this 135M model emit the call, its arguments in fragments.
    params: groq.GroqCallParams = {
        **PARAMS,
        "max_tokens": 64,
        "tool_choice": "required",
        "stop": ["</tool_call>"],
    }
    with local_tool_model.client(timeout=TIMEOUT_S) as client:

        @groq.call(
            local_tool_model.model,
            response_model=City,
            stream=True,
            client=client,
            call_params=params,
        )
        def city_info(city: str) -> Messages.Type:
            return [
                Messages.User(f"Give the city {city} and its country."),
                Messages.Assistant("<tool_call>\n"),
            ]

        structured = city_info("Paris")
        *partials, final = list(structured)
    assert type(final) is City
    assert final.city.strip() and final.country.strip()
    assert structured.constructed_response_model is final
    assert partials, "expected partial objects before the final one"
    assert all(isinstance(p, City) for p in partials)
    stream = structured.stream
    assert stream.finish_reasons == ["tool_calls"]
    assert stream.output_tokens is not None and 0 < stream.output_tokens <= 64
