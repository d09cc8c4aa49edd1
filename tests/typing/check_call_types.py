"""Static checks of `groq.call`'s overloads: run `basedpyright tests/typing` (CI does).

Nothing here runs a request: the calls sit in functions that are type-checked, never called.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from pydantic import BaseModel
from typing_extensions import assert_type

from mirascope.core import BaseTool, groq
from mirascope.core.base.structured_stream import BaseStructuredStream
from mirascope.core.groq import GroqCallResponse, GroqStream


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
