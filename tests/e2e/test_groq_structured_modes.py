"""Structured outputs choose a mode Groq accepts (GROQ_2026.md §1.5): a stream never sends
`json_schema`, an explicit `json_schema` + `stream=True` raises before any request, and the
emulator answers Groq's 400 for `json_schema` with `stream:true` and with tools. Sync and async."""

from __future__ import annotations

import json

import groq as groq_sdk
import pytest
from groq_e2e_helpers import TOOL_MODEL, ask
from pydantic import BaseModel

BOOK = {"title": "Dune", "author": "Frank Herbert"}
JSON_SCHEMA = {"type": "json_schema", "json_schema": {"name": "Book", "schema": {"type": "object"}}}


class Book(BaseModel):
    title: str
    author: str


def _extract(text: str) -> str:
    return f"Extract the book from: {text}"


async def test_structured_stream_on_gpt_oss_never_sends_json_schema(flavor, emu):
    # Fails on the old code: it sent json_schema + stream:true, which Groq (and now the
    # emulator) rejects with a 400.
    emu.enqueue("json", text=json.dumps(BOOK), chunk_chars=5)
    fn = flavor.call(_extract, TOOL_MODEL, response_model=Book, stream=True, json_mode=True)
    structured = await flavor.invoke(fn, "x")
    items = await flavor.drain(structured)
    assert items[-1] == Book(**BOOK)
    body = emu.requests[0].body
    assert body["stream"] is True
    assert body["response_format"] == {"type": "json_object"}


async def test_non_stream_json_mode_on_gpt_oss_still_uses_json_schema(flavor, emu):
    emu.enqueue("json", text=json.dumps(BOOK))
    book = await flavor.invoke(
        flavor.call(_extract, TOOL_MODEL, response_model=Book, json_mode=True), "x"
    )
    assert book == Book(**BOOK)
    assert emu.requests[0].body["response_format"]["type"] == "json_schema"


@pytest.mark.parametrize("where", ["call_params", "extra_body"])
async def test_explicit_json_schema_with_stream_raises_before_any_request(flavor, emu, where):
    params = (
        {"response_format": JSON_SCHEMA}
        if where == "call_params"
        else {"extra_body": {"response_format": JSON_SCHEMA}}
    )
    fn = flavor.call(ask, TOOL_MODEL, stream=True, call_params=params)
    with pytest.raises(ValueError, match="json_schema cannot be used with stream=True"):
        await flavor.invoke(fn, "x")
    assert emu.requests == []


async def test_explicit_json_schema_without_stream_is_sent(flavor, emu):
    emu.enqueue("json", text=json.dumps(BOOK))
    fn = flavor.call(ask, TOOL_MODEL, call_params={"response_format": JSON_SCHEMA})
    response = await flavor.invoke(fn, "x")
    assert json.loads(response.content) == BOOK


def test_emulator_rejects_json_schema_with_stream(emu):
    client = emu.client()
    with pytest.raises(groq_sdk.BadRequestError) as info:
        client.chat.completions.create(
            model=TOOL_MODEL,
            messages=[{"role": "user", "content": "x"}],
            response_format=JSON_SCHEMA,  # type: ignore[arg-type]
            stream=True,
        )
    assert info.value.status_code == 400
    assert "Structured Outputs" in str(info.value)


def test_emulator_rejects_json_schema_with_tools(emu):
    client = emu.client()
    with pytest.raises(groq_sdk.BadRequestError) as info:
        client.chat.completions.create(
            model=TOOL_MODEL,
            messages=[{"role": "user", "content": "x"}],
            response_format=JSON_SCHEMA,  # type: ignore[arg-type]
            tools=[{"type": "function", "function": {"name": "get_weather", "parameters": {}}}],
        )
    assert "tool" in str(info.value)


class StrictBook(BaseModel):
    """Meets Groq's strict rules: every field required, `additionalProperties: false`."""

    model_config = {"extra": "forbid"}
    title: str
    author: str


class LooseBook(BaseModel):
    title: str
    year: int | None = None  # optional: not allowed under strict


@pytest.mark.parametrize(
    ("model", "response_model", "strict"),
    [(TOOL_MODEL, StrictBook, True), ("openai/gpt-oss-20b", StrictBook, True),
     (TOOL_MODEL, LooseBook, False), ("openai/gpt-oss-safeguard-20b", StrictBook, False)],
    ids=["120b-strict", "20b-strict", "120b-best-effort", "safeguard-best-effort"],
)  # fmt: skip
async def test_non_stream_json_schema_is_strict_only_where_groq_allows_it(
    flavor, emu, model, response_model, strict
):
    """GROQ_WIRE.md §1.6: `strict: true` only on gpt-oss-20b/120b, and Groq's structured-outputs
    page: strict needs every field `required` and `additionalProperties: false`; otherwise
    best effort (no `strict`)."""
    emu.enqueue("json", text=json.dumps({"title": "Dune", "author": "Frank Herbert"}))
    fn = flavor.call(_extract, model, response_model=response_model, json_mode=True)
    result = await flavor.invoke(fn, "x")
    assert result.title == "Dune"
    spec = emu.requests[0].body["response_format"]["json_schema"]
    assert spec.get("strict", False) is strict


def test_emulator_rejects_strict_with_a_schema_strict_mode_cannot_take(emu):
    client = emu.client()
    loose = {"type": "object", "properties": {"title": {"type": "string"}}, "required": []}
    fmt = {"type": "json_schema", "json_schema": {"name": "Book", "schema": loose, "strict": True}}
    with pytest.raises(groq_sdk.BadRequestError) as info:
        client.chat.completions.create(
            model=TOOL_MODEL,
            messages=[{"role": "user", "content": "x"}],
            response_format=fmt,  # type: ignore[arg-type]
        )
    assert "invalid schema for response format" in str(info.value)
    assert info.value.body["error"]["param"] == "response_format"  # type: ignore[index]
