"""`BasePrompt` (run / run_async with any call decorator, message_params, dump, str) and
`mirascope.retries.tenacity.collect_errors` with error reinsertion, end to end (B20)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import groq as groq_sdk
import pytest
from groq_e2e_helpers import MODEL, TOOL_MODEL
from pydantic import BaseModel, ValidationError
from tenacity import RetryCallState, Retrying, retry, stop_after_attempt

from mirascope.core import BaseMessageParam, BasePrompt, groq, metadata, prompt_template
from mirascope.core.base.structured_stream import BaseStructuredStream
from mirascope.core.groq import GroqCallResponse, GroqStream
from mirascope.retries.tenacity import collect_errors


class Book(BaseModel):
    title: str
    author: str


@metadata({"tags": {"version:0001"}})
@prompt_template(
    """
    SYSTEM: You are a {mood} librarian.
    USER: Recommend a {genre} book for {self.reader}.
    """
)
class BookPrompt(BasePrompt):
    genre: str
    reader: str = "a teenager"

    @property
    def mood(self) -> str:
        return "cheerful"


def test_prompt_str_message_params_dynamic_config_and_dump() -> None:
    prompt = BookPrompt(genre="fantasy")
    assert str(prompt) == (
        "SYSTEM: You are a cheerful librarian.\nUSER: Recommend a fantasy book for a teenager."
    )
    assert prompt.message_params() == [
        BaseMessageParam(role="system", content="You are a cheerful librarian."),
        BaseMessageParam(role="user", content="Recommend a fantasy book for a teenager."),
    ]
    assert prompt.dynamic_config() is None
    assert prompt.dump() == {
        "metadata": {"tags": {"version:0001"}},
        "prompt": str(prompt),
        "template": (
            "SYSTEM: You are a {mood} librarian.\nUSER: Recommend a {genre} book for {self.reader}."
        ),
        "inputs": {"genre": "fantasy", "reader": "a teenager"},
    }


@prompt_template("Recommend a {genre} book for a {age} reader")
class ComputedPrompt(BasePrompt):
    genre: str

    def dynamic_config(self) -> dict[str, Any]:
        return {"computed_fields": {"age": "young"}, "call_params": {"max_tokens": 64}}


async def test_prompt_run_returns_what_the_decorator_returns(flavor, emu):
    emu.enqueue("text", text="Dune")
    emu.enqueue("text", text="Dune", chunk_size=1)
    emu.enqueue("tool_calls", calls=[("Book", json.dumps({"title": "Dune", "author": "FH"}))])
    emu.enqueue("tool_calls", calls=[("Book", '{"title": "Dune", "author": "FH"}')])
    client = flavor.default_client
    prompt = ComputedPrompt(genre="sci-fi")
    run = prompt.run_async if flavor.is_async else prompt.run

    response = await flavor.invoke(run, groq.call(MODEL, client=client))
    assert isinstance(response, GroqCallResponse)
    assert response.content == "Dune"
    assert response.fn_args == {"genre": "sci-fi"}
    body = emu.requests[0].body
    assert body["messages"] == [
        {"role": "user", "content": "Recommend a sci-fi book for a young reader"}
    ]
    assert body["max_tokens"] == 64

    stream = await flavor.invoke(run, groq.call(MODEL, client=client, stream=True))
    assert isinstance(stream, GroqStream)
    await flavor.drain(stream)
    assert stream.content == "Dune"

    book = await flavor.invoke(run, groq.call(TOOL_MODEL, client=client, response_model=Book))
    assert book == Book(title="Dune", author="FH")

    structured = await flavor.invoke(
        run, groq.call(TOOL_MODEL, client=client, response_model=Book, stream=True)
    )
    assert isinstance(structured, BaseStructuredStream)
    assert (await flavor.drain(structured))[-1] == Book(title="Dune", author="FH")


async def test_prompt_run_keeps_class_metadata(flavor, emu):
    emu.enqueue("text", text="Dune")
    run = BookPrompt(genre="fantasy").run_async if flavor.is_async else None
    if run is None:
        run = BookPrompt(genre="fantasy").run
    response = await flavor.invoke(run, groq.call(MODEL, client=flavor.default_client))
    assert response.metadata == {"tags": {"version:0001"}}
    assert emu.requests[0].body["messages"][0] == {
        "role": "system",
        "content": "You are a cheerful librarian.",
    }


def test_collect_errors_matches_subclasses_b20() -> None:
    hook = collect_errors(groq_sdk.APIStatusError)
    attempts: list[list[str]] = []

    def flaky(*, errors: list[Exception] | None = None) -> str:
        attempts.append([type(e).__name__ for e in errors or []])
        if len(attempts) == 1:
            raise groq_sdk.RateLimitError(
                "slow down",
                response=_response(429),
                body=None,
            )
        if len(attempts) == 2:
            raise groq_sdk.InternalServerError("oops", response=_response(500), body=None)
        return "ok"

    result = Retrying(stop=stop_after_attempt(3), after=hook, reraise=True)(flaky)
    assert result == "ok"
    assert attempts == [[], ["RateLimitError"], ["RateLimitError", "InternalServerError"]]


def test_collect_errors_ignores_other_types() -> None:
    hook = collect_errors(ValidationError)
    seen: list[object] = []

    def fails(*, errors: list[Exception] | None = None) -> None:
        seen.append(errors)
        raise KeyError("x")

    with pytest.raises(KeyError):
        Retrying(stop=stop_after_attempt(2), after=hook, reraise=True)(fails)
    assert seen == [None, None]
    state = RetryCallState(None, None, (), {})
    hook(state)  # no outcome yet: nothing to collect
    assert state.kwargs == {}


def _response(status: int) -> Any:
    import httpx

    return httpx.Response(status, request=httpx.Request("POST", "http://x/chat"))


async def test_error_reinsertion_end_to_end(flavor, emu):
    emu.enqueue("tool_calls", calls=[("Book", '{"title": "Dune"}')])
    emu.enqueue("tool_calls", calls=[("Book", '{"title": "Dune", "author": "Frank Herbert"}')])

    def body(text: str, *, errors: list[ValidationError] | None = None) -> groq.GroqDynamicConfig:
        previous = f"Previous errors: {[e.errors()[0]['loc'] for e in errors]}\n" if errors else ""
        return {"computed_fields": {"previous_errors": previous}}

    templated = prompt_template("{previous_errors}Extract the book from: {text}")(flavor.fn(body))
    call = groq.call(TOOL_MODEL, client=flavor.default_client, response_model=Book)(templated)
    extract = retry(stop=stop_after_attempt(3), after=collect_errors(ValidationError))(call)

    book = await flavor.invoke(extract, "Dune by Frank Herbert")
    assert book == Book(title="Dune", author="Frank Herbert")
    contents = [r.body["messages"][-1]["content"] for r in emu.requests]
    assert contents == [
        "Extract the book from: Dune by Frank Herbert",
        "Previous errors: [('author',)]\nExtract the book from: Dune by Frank Herbert",
    ]


def test_importing_retries_does_not_import_tenacity() -> None:
    code = "import sys, mirascope.retries; print('tenacity' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
