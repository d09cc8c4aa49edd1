"""Structured outputs end to end: every row of API.md §3.2 "What a call returns", B8, built-in
types, FromCallArgs, validation errors, JSON mode and structured streams. Each runs sync and
async through the real SDK and the emulator."""

from __future__ import annotations

import itertools
import json
from enum import Enum
from typing import Annotated, Any, Literal

import groq as groq_sdk
import pytest
from groq_e2e_helpers import (
    JSON_OBJECT_MODEL,
    MODEL,
    TOOL_MODEL,
    GetWeather,
    ask,
    chunk_dict,
    usage_u,
)
from pydantic import AfterValidator, BaseModel, ValidationError

from mirascope.core import FromCallArgs, ResponseModelConfigDict
from mirascope.core import groq as mgroq
from mirascope.core.base._partial import partial
from mirascope.core.base.structured_stream import BaseStructuredStream
from mirascope.core.groq import GroqCallResponse, GroqStream

BOOK = {"title": "Dune", "author": "Frank Herbert"}


class Book(BaseModel):
    title: str
    author: str


class Author(BaseModel):
    name: str
    born: int


class Volume(BaseModel):
    title: str
    author: Author
    tags: list[str]


class Library(BaseModel):
    name: str
    volumes: list[Volume]


LIBRARY = {
    "name": 'Arrakis "Central" Library \u00e9\U0001f4da',
    "volumes": [
        {
            "title": "Dune",
            "author": {"name": "Frank Herbert", "born": 1920},
            "tags": ["sci-fi", "desert"],
        },
        {
            "title": "Children of Dune",
            "author": {"name": "Frank Herbert", "born": 1920},
            "tags": ["sequel"],
        },
    ],
}


def _extract(text: str) -> str:
    return f"Extract the book from: {text}"


def _grows(before: Any, after: Any) -> bool:
    """`after` extends `before`: strings by prefix, lists by items, None by any value."""
    if before is None:
        return True
    if isinstance(before, str):
        return isinstance(after, str) and after.startswith(before)
    if isinstance(before, list):
        return (
            isinstance(after, list)
            and len(after) >= len(before)
            and all(_grows(b, a) for b, a in zip(before, after, strict=False))
        )
    if isinstance(before, dict):
        return isinstance(after, dict) and all(_grows(v, after.get(k)) for k, v in before.items())
    return before == after


# -- rows 1-4: no response_model ----------------------------------------------------------------


async def test_row_plain_call_returns_response_and_parser_applies(flavor, emu):
    emu.enqueue("text", text="Dune by Frank Herbert")
    emu.enqueue("text", text="Dune by Frank Herbert")
    response = await flavor.invoke(flavor.call(ask), "Recommend a book")
    assert isinstance(response, GroqCallResponse)
    assert response.content == "Dune by Frank Herbert"

    def parse(r: GroqCallResponse) -> tuple[str, str]:
        title, author = r.content.split(" by ")
        return title, author

    parsed = await flavor.invoke(flavor.call(ask, output_parser=parse), "Recommend a book")
    assert parsed == ("Dune", "Frank Herbert")


async def test_row_stream_returns_groq_stream(flavor, emu):
    emu.enqueue("text", text="Dune")
    stream, pairs = await flavor.stream(ask, "Recommend a book")
    assert isinstance(stream, GroqStream)
    assert "".join(c.content for c, _ in pairs) == "Dune"


@pytest.mark.parametrize("response_model", [None, Book])
def test_row_stream_with_output_parser_raises_at_decoration(response_model):
    with pytest.raises(ValueError, match="output_parser cannot be used with stream=True"):
        mgroq.call(MODEL, stream=True, response_model=response_model, output_parser=str)


# -- row 5: response_model, no tools -------------------------------------------------------------


async def test_row_response_model_tool_mode_forces_tool_choice(flavor, emu):
    emu.enqueue("tool_calls", calls=[("Book", json.dumps(BOOK))])
    book = await flavor.invoke(flavor.call(_extract, TOOL_MODEL, response_model=Book), "Dune")
    assert type(book) is Book
    assert book == Book(**BOOK)
    assert isinstance(book._response, GroqCallResponse)
    assert book._response.message_param["tool_calls"][0]["function"]["arguments"] == (
        json.dumps(BOOK)
    )
    body = emu.requests[0].body
    assert body["tool_choice"] == {"type": "function", "function": {"name": "Book"}}
    assert body["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "Book",
                "description": (
                    "Correctly formatted and typed parameters extracted from the completion. "
                    "Must include required parameters and may exclude optional parameters "
                    "unless present in the text."
                ),
                "parameters": {
                    "properties": {"title": {"type": "string"}, "author": {"type": "string"}},
                    "required": ["title", "author"],
                    "type": "object",
                },
            },
        }
    ]
    assert "response_format" not in body


async def test_row_response_model_with_output_parser(flavor, emu):
    emu.enqueue("tool_calls", calls=[("Book", json.dumps(BOOK))])
    fn = flavor.call(
        _extract, TOOL_MODEL, response_model=Book, output_parser=lambda b: b.title.upper()
    )
    assert await flavor.invoke(fn, "Dune") == "DUNE"


@pytest.mark.parametrize(
    ("model", "response_format"),
    [
        ("openai/gpt-oss-20b", "json_schema"),
        (JSON_OBJECT_MODEL, "json_object"),
    ],
)
async def test_row_response_model_json_mode_sets_format_and_schema(
    flavor, emu, model, response_format
):
    emu.enqueue("json", text="Sure! Here it is: " + json.dumps(BOOK) + " Enjoy.")
    book = await flavor.invoke(
        flavor.call(_extract, model, response_model=Book, json_mode=True), "x"
    )
    assert book == Book(**BOOK)
    assert book._response.content.startswith("Sure!")
    body = emu.requests[0].body
    assert "tools" not in body and "tool_choice" not in body
    assert body["response_format"]["type"] == response_format
    schema = {
        "properties": {"title": {"type": "string"}, "author": {"type": "string"}},
        "required": ["title", "author"],
        "type": "object",
    }
    if response_format == "json_schema":
        assert body["response_format"]["json_schema"] == {"name": "Book", "schema": schema}
    last = body["messages"][-1]
    assert last["role"] == "user"
    assert last["content"].startswith("Extract the book from: x\n\n")
    assert json.dumps(schema, indent=2) in last["content"]


class Genre(Enum):
    FANTASY = "fantasy"
    SCIFI = "sci-fi"


@pytest.mark.parametrize(
    ("response_model", "value", "expected"),
    [
        (list[str], ["Dune", "Emma"], ["Dune", "Emma"]),
        (int, 42, 42),
        (Literal["fantasy", "sci-fi"], "sci-fi", "sci-fi"),
        (Genre, "fantasy", Genre.FANTASY),
        (Annotated[int, AfterValidator(lambda v: v * 2)], 21, 42),
        (list[Book], [BOOK], [Book(**BOOK)]),
    ],
)
async def test_row_response_model_built_in_types_unwrapped(
    flavor, emu, response_model, value, expected
):
    emu.enqueue("tool_calls", calls=[("x", json.dumps({"value": value}))])
    result = await flavor.invoke(
        flavor.call(_extract, TOOL_MODEL, response_model=response_model), "x"
    )
    assert result == expected
    body = emu.requests[0].body
    name = body["tools"][0]["function"]["name"]
    assert body["tool_choice"] == {"type": "function", "function": {"name": name}}
    assert body["tools"][0]["function"]["parameters"]["required"] == ["value"]


async def test_row_response_model_validation_error_carries_response(flavor, emu):
    emu.enqueue("tool_calls", calls=[("Book", '{"title": "Dune"}')])
    with pytest.raises(ValidationError) as info:
        await flavor.invoke(flavor.call(_extract, TOOL_MODEL, response_model=Book), "x")
    assert [e["loc"] for e in info.value.errors()] == [("author",)]
    response = info.value._response  # type: ignore[attr-defined]
    assert isinstance(response, GroqCallResponse)
    assert response.message_param["tool_calls"][0]["function"]["arguments"] == '{"title": "Dune"}'


async def test_row_response_model_malformed_json_is_a_validation_error(flavor, emu):
    emu.enqueue("json", text='{"title": "Dune", ')
    with pytest.raises(ValidationError) as info:
        await flavor.invoke(flavor.call(_extract, MODEL, response_model=Book, json_mode=True), "x")
    assert info.value.errors()[0]["type"] == "json_invalid"
    assert info.value._response.content == '{"title": "Dune", '  # type: ignore[attr-defined]


class Summary(BaseModel):
    text: Annotated[str, FromCallArgs()]
    summary: str


async def test_from_call_args_fields_filled_and_kept_out_of_schema(flavor, emu):
    emu.enqueue("tool_calls", calls=[("Summary", '{"summary": "short"}')])

    def summarize(text: str) -> str:
        return f"Summarize: {text}"

    result = await flavor.invoke(
        flavor.call(summarize, TOOL_MODEL, response_model=Summary), "a long text"
    )
    assert result == Summary(text="a long text", summary="short")
    params = emu.requests[0].body["tools"][0]["function"]["parameters"]
    assert params["properties"] == {"summary": {"type": "string"}}


async def test_from_call_args_missing_argument_raises(flavor, emu):
    emu.enqueue("tool_calls", calls=[("Summary", '{"summary": "short"}')])

    def summarize(body: str) -> str:
        return body

    with pytest.raises(ValueError, match="'text' is marked FromCallArgs"):
        await flavor.invoke(flavor.call(summarize, TOOL_MODEL, response_model=Summary), "x")


class StrictBook(BaseModel):
    model_config = ResponseModelConfigDict(strict=True)
    title: str


async def test_response_model_config_dict_strict_warns(flavor, emu):
    emu.enqueue("tool_calls", calls=[("StrictBook", '{"title": "Dune"}')])
    with pytest.warns(UserWarning, match="does not support strict structured outputs"):
        book = await flavor.invoke(
            flavor.call(_extract, TOOL_MODEL, response_model=StrictBook), "x"
        )
    assert book.title == "Dune"


# -- row 6: response_model + tools ---------------------------------------------------------------


async def test_row_response_model_with_tools_returns_response_when_tool_called(flavor, emu):
    emu.enqueue("tool_calls", calls=[("GetWeather", '{"city": "Paris"}')])
    fn = flavor.call(ask, TOOL_MODEL, response_model=Book, tools=[GetWeather])
    result = await flavor.invoke(fn, "Weather in Paris?")
    assert isinstance(result, GroqCallResponse)
    assert isinstance(result.tool, GetWeather)
    assert result.tool.city == "Paris"
    body = emu.requests[0].body
    assert [t["function"]["name"] for t in body["tools"]] == ["GetWeather"]
    assert "response_format" not in body  # Groq rejects JSON mode with tools
    assert "tool_choice" not in body
    assert '"title"' in body["messages"][-1]["content"]  # the schema instruction


async def test_row_response_model_with_tools_returns_model_otherwise(flavor, emu):
    emu.enqueue("json", obj=BOOK)
    emu.enqueue("json", obj=BOOK)
    fn = flavor.call(ask, TOOL_MODEL, response_model=Book, tools=[GetWeather])
    book = await flavor.invoke(fn, "A book?")
    assert book == Book(**BOOK)
    assert book._response.content == json.dumps(BOOK)
    parsed = flavor.call(
        ask, TOOL_MODEL, response_model=Book, tools=[GetWeather], output_parser=lambda b: b.author
    )
    assert await flavor.invoke(parsed, "A book?") == "Frank Herbert"


# -- row 7: structured streams -------------------------------------------------------------------


async def test_row_structured_stream_tool_mode_nested_partials_grow(flavor, emu):
    emu.enqueue(
        "tool_calls",
        calls=[("Library", json.dumps(LIBRARY, ensure_ascii=False))],
        style="fragmented",
        fragment_size=3,
    )
    fn = flavor.call(_extract, TOOL_MODEL, response_model=Library, stream=True)
    structured = await flavor.invoke(fn, "x")
    assert isinstance(structured, BaseStructuredStream)
    assert isinstance(structured.stream, GroqStream)
    items = await flavor.drain(structured)

    *partials, final = items
    assert type(final) is Library
    assert final == Library.model_validate(LIBRARY)
    assert structured.constructed_response_model is final
    assert len(partials) > 20
    partial_library = partial(Library)
    dumps = [p.model_dump() for p in partials]
    for p, dumped in zip(partials, dumps, strict=False):
        assert isinstance(p, partial_library) and isinstance(p, Library)
        assert partial_library.model_validate(dumped).model_dump() == dumped
    for before, after in itertools.pairwise(dumps):
        assert before != after  # a new partial only when something changed
        assert _grows(before, after), (before, after)
    assert dumps[-1] == LIBRARY

    body = emu.requests[0].body  # B8(a): the same request as a non-stream extraction
    assert body["tool_choice"] == {"type": "function", "function": {"name": "Library"}}
    assert [t["function"]["name"] for t in body["tools"]] == ["Library"]
    stream = structured.stream
    assert stream.is_complete
    assert stream.message_param["tool_calls"][0]["function"]["arguments"] == json.dumps(
        LIBRARY, ensure_ascii=False
    )


async def test_row_structured_stream_json_mode_b8(flavor, emu):
    emu.enqueue("json", text="```json\n" + json.dumps(BOOK) + "\n```", chunk_chars=4)
    fn = flavor.call(_extract, JSON_OBJECT_MODEL, response_model=Book, stream=True, json_mode=True)
    structured = await flavor.invoke(fn, "x")
    items = await flavor.drain(structured)
    assert items[-1] == Book(**BOOK)
    assert [p.title for p in items[:-1]][-1] == "Dune"
    body = emu.requests[0].body  # B8(b)
    assert body["response_format"] == {"type": "json_object"}
    assert "tools" not in body and "tool_choice" not in body
    assert '"required": [\n    "title",\n    "author"\n  ]' in body["messages"][-1]["content"]
    assert structured.stream.content.startswith("```json")
    assert structured.stream.output_tokens is not None


async def test_row_structured_stream_with_tools_warns_and_ignores_them(flavor, emu):
    with pytest.warns(UserWarning, match="ignored: GetWeather"):
        fn = flavor.call(_extract, TOOL_MODEL, response_model=Book, stream=True, tools=[GetWeather])
    emu.enqueue("tool_calls", calls=[("Book", json.dumps(BOOK))])
    items = await flavor.drain(await flavor.invoke(fn, "x"))
    assert items[-1] == Book(**BOOK)
    body = emu.requests[0].body  # B8(c)
    assert [t["function"]["name"] for t in body["tools"]] == ["Book"]
    assert body["tool_choice"] == {"type": "function", "function": {"name": "Book"}}


async def test_structured_stream_built_in_type_yields_unwrapped_partials(flavor, emu):
    emu.enqueue(
        "tool_calls",
        calls=[("list", json.dumps({"value": ["Dune", "Emma"]}))],
        style="fragmented",
        fragment_size=4,
    )
    fn = flavor.call(_extract, TOOL_MODEL, response_model=list[str], stream=True)
    items = await flavor.drain(await flavor.invoke(fn, "x"))
    # Fragments of 4 chars: '{"va', 'lue"', ': ["', 'Dune', '", "', 'Emma', '"]}'.
    assert items == [[""], ["Dune"], ["Dune", ""], ["Dune", "Emma"], ["Dune", "Emma"]]


async def test_structured_stream_from_call_args_in_partials_and_final(flavor, emu):
    emu.enqueue("tool_calls", calls=[("Summary", '{"summary": "short"}')], style="fragmented")

    def summarize(text: str) -> str:
        return f"Summarize: {text}"

    fn = flavor.call(summarize, TOOL_MODEL, response_model=Summary, stream=True)
    items = await flavor.drain(await flavor.invoke(fn, "long"))
    assert items[-1] == Summary(text="long", summary="short")
    assert all(item.text == "long" for item in items)


async def test_structured_stream_final_validation_error_keeps_state(flavor, emu):
    emu.enqueue("tool_calls", calls=[("Book", '{"title": "Dune"}')], style="fragmented")
    fn = flavor.call(_extract, TOOL_MODEL, response_model=Book, stream=True)
    structured = await flavor.invoke(fn, "x")
    seen: list[Any] = []
    with pytest.raises(ValidationError) as info:
        if flavor.is_async:
            async for item in structured:
                seen.append(item)
        else:
            for item in structured:
                seen.append(item)
    assert seen[-1].title == "Dune" and seen[-1].author is None
    assert info.value._raw_text == '{"title": "Dune"}'  # type: ignore[attr-defined]
    response = info.value._response  # type: ignore[attr-defined]
    assert isinstance(response, GroqCallResponse)
    assert structured.raw_text == '{"title": "Dune"}'
    assert structured.stream.is_complete
    assert structured.stream.finish_reasons == ["tool_calls"]
    assert not hasattr(structured, "constructed_response_model")


async def test_structured_stream_json_validate_failed_event(flavor, emu):
    emu.enqueue("error_event", code="json_validate_failed", text='{"title": "Du')
    fn = flavor.call(_extract, JSON_OBJECT_MODEL, response_model=Book, stream=True, json_mode=True)
    structured = await flavor.invoke(fn, "x")
    seen: list[Any] = []
    with pytest.raises(groq_sdk.APIError) as info:
        if flavor.is_async:
            async for item in structured:
                seen.append(item)
        else:
            for item in structured:
                seen.append(item)
    assert info.value.body["code"] == "json_validate_failed"  # type: ignore[index]
    assert seen[-1].title == "Du"
    assert structured.stream.error is info.value
    assert structured.stream.end_state == "error"
    assert structured.stream.content == '{"title": "Du'


async def test_structured_stream_usage_and_reconstruction(flavor, emu):
    emu.enqueue_chunks(
        [
            chunk_dict({"role": "assistant", "content": ""}),
            chunk_dict({"content": '{"title": "Dune", '}),
            chunk_dict({"content": '"author": "Frank Herbert"}'}),
            chunk_dict(finish="stop", usage=usage_u(20, 9)),
        ]
    )
    fn = flavor.call(_extract, JSON_OBJECT_MODEL, response_model=Book, stream=True, json_mode=True)
    structured = await flavor.invoke(fn, "x")
    items = await flavor.drain(structured)
    assert [i.model_dump() for i in items] == [
        {"title": "Dune", "author": None},
        {"title": "Dune", "author": "Frank Herbert"},
        {"title": "Dune", "author": "Frank Herbert"},
    ]
    assert type(items[-1]) is Book
    assert (structured.stream.input_tokens, structured.stream.output_tokens) == (20, 9)
    assert structured.stream.construct_call_response().content == json.dumps(BOOK)


# -- plain JSON mode (no response_model) ----------------------------------------------------------


async def test_plain_json_mode_still_works(flavor, emu):
    emu.enqueue("json", obj=BOOK)
    response = await flavor.invoke(flavor.call(ask, json_mode=True), "A book as JSON")
    assert json.loads(response.content) == BOOK
    body = emu.requests[0].body
    assert body["response_format"] == {"type": "json_object"}
    assert body["messages"][-1]["content"] == (
        "A book as JSON\n\n"
        "For your final response, output ONLY a valid JSON dict that adheres to the schema"
    )


async def test_structured_stream_break_and_close_release_the_response(flavor, emu):
    emu.enqueue("json", obj=BOOK, chunk_chars=2, delay=0.01)
    fn = flavor.call(_extract, JSON_OBJECT_MODEL, response_model=Book, stream=True, json_mode=True)
    structured = await flavor.invoke(fn, "x")
    if flavor.is_async:
        async with structured:
            async for item in structured:
                if item.title:
                    break
    else:
        with structured:
            for item in structured:
                if item.title:
                    break
    assert item.title == "D"
    assert structured.stream.end_state == "closed_early"
    assert not hasattr(structured, "constructed_response_model")
    assert await flavor.wait_for(lambda: emu.streams[-1].client_closed_early)
