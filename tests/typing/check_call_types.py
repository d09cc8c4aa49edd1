"""Static checks of `groq.call`'s overloads: run `basedpyright tests/typing` (CI does).

Nothing here runs a request: the calls sit in functions that are type-checked, never called.
A `# pyright: ignore[rule]` line checks that the rule is reported there: an ignore that is not
needed is an error in this file (the comment below).
"""
# pyright: reportUnnecessaryTypeIgnoreComment=error

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from pydantic import BaseModel
from typing_extensions import assert_type

from mirascope.core import BaseTool, groq
from mirascope.core.base.structured_stream import BaseStructuredStream
from mirascope.core.groq import GroqCallResponse, GroqStream
from mirascope.core.groq.batch import GroqBatch, GroqBatchResponse
from mirascope.core.groq.errors import GroqBulkItemError


class Book(BaseModel):
    title: str
    author: str


class GetWeather(BaseTool):
    """Get the weather."""

    city: str

    def call(self) -> str:
        return self.city


@groq.call("openai/gpt-oss-20b")
def plain(genre: str) -> str:
    return genre


@groq.call("openai/gpt-oss-20b")
async def plain_async(genre: str) -> str:
    return genre


@groq.call("openai/gpt-oss-20b", stream=True)
def streamed(genre: str) -> str:
    return genre


@groq.call("openai/gpt-oss-20b", stream={"partial_tools": True}, tools=[GetWeather])
async def streamed_async(genre: str) -> str:
    return genre


@groq.call("openai/gpt-oss-20b", response_model=Book)
def extracted(text: str) -> str:
    return text


@groq.call("openai/gpt-oss-20b", response_model=Book, json_mode=True)
async def extracted_async(text: str) -> str:
    return text


@groq.call("openai/gpt-oss-20b", response_model=list[str])
def extracted_list(text: str) -> str:
    return text


@groq.call("openai/gpt-oss-20b", response_model=Book, tools=[GetWeather])
def extracted_with_tools(text: str) -> str:
    return text


@groq.call("openai/gpt-oss-20b", response_model=Book, stream=True)
def structured(text: str) -> str:
    return text


@groq.call("openai/gpt-oss-20b", response_model=Book, stream=True)
async def structured_async(text: str) -> str:
    return text


def title_of(book: Book) -> str:
    return book.title


@groq.call("openai/gpt-oss-20b", response_model=Book, output_parser=title_of)
def parsed_model(text: str) -> str:
    return text


def words(response: GroqCallResponse) -> list[str]:
    return response.content.split()


@groq.call("openai/gpt-oss-20b", output_parser=words)
async def parsed_response(text: str) -> str:
    return text


def check_sync() -> None:
    assert_type(plain("fantasy"), GroqCallResponse)
    assert_type(streamed("fantasy"), GroqStream)
    assert_type(extracted("x"), Book)
    assert_type(extracted_list("x"), list[str])
    assert_type(extracted_with_tools("x"), Book | GroqCallResponse)
    assert_type(structured("x"), BaseStructuredStream[Book])
    assert_type(parsed_model("x"), str)
    for partial_book in structured("x"):
        assert_type(partial_book, Book)


async def check_async() -> None:
    coroutine = assert_type(plain_async("fantasy"), Coroutine[Any, Any, GroqCallResponse])
    coroutine.close()
    assert_type(await plain_async("fantasy"), GroqCallResponse)
    assert_type(await streamed_async("fantasy"), GroqStream)
    assert_type(await extracted_async("x"), Book)
    assert_type(await structured_async("x"), BaseStructuredStream[Book])
    assert_type(await parsed_response("x"), list[str])
    async for partial_book in await structured_async("x"):
        assert_type(partial_book, Book)


def check_parameters_kept() -> None:
    assert_type(plain(genre="fantasy"), GroqCallResponse)
    plain(1)  # pyright: ignore[reportArgumentType]
    plain()  # pyright: ignore[reportCallIssue]
    assert_type(plain.__name__, str)


def check_bulk() -> None:
    rows = [{"genre": "fantasy"}, {"genre": "horror"}]
    assert_type(plain.map(rows), list[GroqCallResponse | GroqBulkItemError])
    assert_type(extracted.map(rows, concurrency=8), list[Book | GroqBulkItemError])
    assert_type(extracted_with_tools.map(rows), list[Book | GroqCallResponse | GroqBulkItemError])
    assert_type(parsed_model.map(rows, progress=False), list[str | GroqBulkItemError])
    assert_type(plain_async.map(rows), list[GroqCallResponse | GroqBulkItemError])
    plain.map(rows, concurrency="8")  # pyright: ignore[reportArgumentType]
    plain.map(rows, concurency=8)  # pyright: ignore[reportCallIssue]
    handle = assert_type(extracted.batch(rows, completion_window="24h"), GroqBatch[Book])
    assert_type(handle.wait(poll_interval=1.0).results(), list[Book | GroqBulkItemError])
    assert_type(plain.batch(rows).results(), list[GroqCallResponse | GroqBulkItemError])
    assert_type(GroqBatch.retrieve(handle.id, fn=parsed_model), GroqBatch[str])
    plain_results = GroqBatch.retrieve(handle.id).results()
    assert_type(plain_results, list[GroqBatchResponse | GroqBulkItemError])
    streamed.map(rows)  # pyright: ignore[reportFunctionMemberAccess]
    structured.batch(rows)  # pyright: ignore[reportFunctionMemberAccess]


async def check_bulk_async() -> None:
    rows = [{"genre": "fantasy"}]
    results = await plain_async.map_async(rows, concurrency=200)
    assert_type(results, list[GroqCallResponse | GroqBulkItemError])
    assert_type(await extracted_async.map_async(rows), list[Book | GroqBulkItemError])
    assert_type(await parsed_response.map_async(rows), list[list[str] | GroqBulkItemError])
    assert_type(await plain.map_async(rows), list[GroqCallResponse | GroqBulkItemError])
    handle = plain_async.batch(rows)
    assert_type(handle, GroqBatch[GroqCallResponse])
    handle = await plain_async.batch_async(rows, completion_window="24h")
    assert_type(await handle.wait_async(poll_interval=1.0), GroqBatch[GroqCallResponse])
    assert_type(await handle.results_async(), list[GroqCallResponse | GroqBulkItemError])
    assert_type(await handle.cancel_async(), GroqBatch[GroqCallResponse])
    resumed = await GroqBatch.retrieve_async(handle.id, fn=extracted)
    assert_type(resumed, GroqBatch[Book])
    assert_type(await GroqBatch.retrieve_async(handle.id), GroqBatch[GroqBatchResponse])
    await streamed_async.map_async(rows)  # pyright: ignore[reportFunctionMemberAccess]
