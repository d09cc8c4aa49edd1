"""v1.25.7's behaviours as a program observes them (issue 11, item 5), through the real SDK and
the emulator where a request is involved; sync and async where v1 has both."""

from __future__ import annotations

import json
from typing import Annotated

import pytest
from groq_e2e_helpers import MODEL, TOOL_MODEL, ask, chunk_dict, usage_u, user
from pydantic import BaseModel, Field, ValidationError

from mirascope.core import CostMetadata, Messages, groq, prompt_template
from mirascope.core.base import GenerateJsonSchemaNoTitles

# v1.25.7's `CostMetadata.model_fields`, in order (read from its wheel).
V1_COST_METADATA_FIELDS = [
    "input_tokens", "output_tokens", "cached_tokens", "streaming_mode", "cached_response",
    "context_length", "realtime_mode", "region", "tier", "batch_mode", "images", "videos",
    "audio", "audio_output", "pdf", "context_cache_tokens", "context_cache_hours", "google",
    "realtime_tokens", "cache_write", "tool_use_tokens", "cost",
]  # fmt: skip

# v1.25.7's JSON-mode instructions (core/base/_utils/_json_mode_content.py).
V1_JSON_MODE = "For your final response, output ONLY a valid JSON dict that adheres to the schema"
V1_JSON_SCHEMA_PREFIX = (
    "For your final response, output ONLY a valid JSON dict (NOT THE SCHEMA) from the content "
    "that adheres to this schema:\n"
)


class Book(BaseModel):
    title: str
    author: str


def test_cost_metadata_has_exactly_v1_fields():
    assert list(CostMetadata.model_fields) == V1_COST_METADATA_FIELDS
    assert CostMetadata().batch_mode is False  # v1's default


def test_metadata_importable_from_prompt_module():
    from mirascope.core.base.metadata import metadata as defined
    from mirascope.core.base.prompt import metadata

    assert metadata is defined


async def test_chunk_without_choices_has_empty_common_finish_reasons(flavor, emu):
    emu.enqueue_chunks(
        [
            chunk_dict({"role": "assistant", "content": "Hi"}),
            chunk_dict({}, finish="stop"),
            {"choices": [], "usage": usage_u()},
        ]
    )
    _, pairs = await flavor.stream(user("Hi"))
    chunks = [c for c, _ in pairs]
    assert chunks[-1].chunk.choices == []
    assert chunks[-1].common_finish_reasons == []  # v1: [] (we returned None before)
    assert chunks[0].common_finish_reasons == []
    assert chunks[1].common_finish_reasons == ["stop"]


async def test_cost_metadata_images_is_empty_list_without_images(flavor, emu):
    emu.enqueue("text", text="Hi")
    response = await flavor.invoke(flavor.call(ask), "Hi")
    assert response.cost_metadata.images == []


async def test_dynamic_config_holds_what_v1_holds(flavor, emu):
    for _ in range(4):
        emu.enqueue("text", text="Hi")

    shorthand = await flavor.invoke(flavor.call(ask), "Hi there")
    assert shorthand.dynamic_config == {"messages": [Messages.User("Hi there")]}

    def listed(q: str) -> list:
        return [Messages.User(q)]

    assert (await flavor.invoke(flavor.call(listed), "Q")).dynamic_config == {
        "messages": [Messages.User("Q")]
    }

    if flavor.is_async:

        async def templated(genre: str) -> None: ...
    else:

        def templated(genre: str) -> None: ...

    fn = groq.call(MODEL, client=flavor.default_client)(
        prompt_template("Recommend a {genre} book")(templated)
    )
    assert (await flavor.invoke(fn, "fantasy")).dynamic_config is None

    config = {"messages": [Messages.User("D")], "metadata": {"tags": {"x"}}}

    def dynamic() -> dict:
        return config

    assert (await flavor.invoke(flavor.call(dynamic))).dynamic_config is config


async def test_json_mode_adds_v1_instruction(flavor, emu):
    emu.enqueue("json", obj={"a": 1})
    emu.enqueue("json", obj={"title": "T", "author": "A"})
    await flavor.invoke(flavor.call(ask, json_mode=True), "Give JSON")
    assert emu.requests[-1].json["messages"][-1]["content"] == f"Give JSON\n\n{V1_JSON_MODE}"

    await flavor.invoke(flavor.call(ask, json_mode=True, response_model=Book), "Extract")
    content = emu.requests[-1].json["messages"][-1]["content"]
    schema = Book.model_json_schema(schema_generator=GenerateJsonSchemaNoTitles)
    assert content == f"Extract\n\n{V1_JSON_SCHEMA_PREFIX}{json.dumps(schema, indent=2)}"


async def test_json_mode_instruction_joins_a_parts_message_as_a_text_part(flavor, emu):
    emu.enqueue("json", obj={"a": 1})

    def parts() -> list:
        return [{"role": "user", "content": [{"type": "text", "text": "Look"}]}]

    await flavor.invoke(flavor.call(parts, json_mode=True))
    last = emu.requests[-1].json["messages"][-1]
    assert last["content"] == [
        {"type": "text", "text": "Look"},
        {"type": "text", "text": V1_JSON_MODE},
    ]


async def test_annotated_str_is_named_after_inner_type_and_errors_name_it(flavor, emu):
    annotated = Annotated[str, Field(description="The answer")]
    emu.enqueue("tool_calls", calls=[{"id": "c1", "name": "str", "arguments": '{"value":"ok"}'}])
    fn = flavor.call(ask, TOOL_MODEL, response_model=annotated)
    assert await flavor.invoke(fn, "Say ok") == "ok"
    body = emu.requests[-1].json
    assert body["tools"][0]["function"]["name"] == "str"
    assert body["tool_choice"] == {"type": "function", "function": {"name": "str"}}

    emu.enqueue("tool_calls", calls=[{"id": "c2", "name": "str", "arguments": '{"value":1}'}])
    with pytest.raises(ValidationError, match=r"^1 validation error for str"):
        await flavor.invoke(flavor.call(ask, TOOL_MODEL, response_model=str), "Say ok")
