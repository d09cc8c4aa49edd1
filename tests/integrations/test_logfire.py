"""`with_logfire` (v1's) through the real SDK and the emulator, offline.

Logfire is configured with `send_to_logfire=False`, no console, and an OpenTelemetry in-memory
exporter as an additional span processor: the spans logfire would send are read back here.
Needs the `logfire` extra (tested in its own venv by scripts/ci-integrations.sh: logfire's pydantic
plugin would make pydantic import OpenTelemetry in every other test).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("logfire")

import logfire
from groq_e2e_helpers import Flavor, chunk_dict, usage_u
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode
from pydantic import BaseModel

from mirascope.core import groq, metadata
from mirascope.core.groq.errors import GroqStreamError
from mirascope.integrations.logfire import with_logfire

MODEL = "openai/gpt-oss-20b"
_EXPORTER = InMemorySpanExporter()


@pytest.fixture(scope="module", autouse=True)
def _configured() -> None:
    logfire.configure(
        send_to_logfire=False,
        console=False,
        additional_span_processors=[SimpleSpanProcessor(_EXPORTER)],
    )


@pytest.fixture
def spans() -> InMemorySpanExporter:
    _EXPORTER.clear()
    return _EXPORTER


def attrs_of(span: Any) -> dict[str, Any]:
    """The span's attributes, logfire's JSON-encoded values decoded."""
    schema = json.loads(span.attributes.get("logfire.json_schema", "{}")).get("properties", {})
    out: dict[str, Any] = {}
    for key, value in span.attributes.items():
        out[key] = json.loads(value) if key in schema and isinstance(value, str) and (
            schema[key].get("type") in ("object", "array")) else value  # fmt: skip
    return out


def three_chunks(emu: Any) -> None:
    env = {"id": "chatcmpl-lf-1", "model": MODEL}
    emu.enqueue_chunks(
        [
            chunk_dict({"role": "assistant", "content": ""}, **env),
            chunk_dict({"content": "Hello"}, **env),
            chunk_dict({"content": " there"}, **env),
            chunk_dict({}, "stop", x_groq={"id": "req_1", "usage": usage_u(45, 3)}, **env),
        ]
    )


def recommend_book(genre: str) -> str:
    return f"Recommend a {genre} book"


def tagged_call(flavor: Flavor, **kw: Any) -> Any:
    body = metadata({"tags": {"version:0001", "beta"}})(flavor.fn(recommend_book))
    return groq.call(MODEL, client=flavor.default_client, **kw)(body)


async def test_call_response_span_has_v1_attributes(flavor: Flavor, spans: Any) -> None:
    flavor.emu.enqueue("text", text="Dune")
    fn = with_logfire()(tagged_call(flavor, call_params={"temperature": 0.3}))
    response = await flavor.invoke(fn, "fantasy")
    (span,) = spans.get_finished_spans()
    assert span.name == "recommend_book"
    assert span.instrumentation_scope.name == "logfire.mirascope"
    a = attrs_of(span)
    assert a["logfire.tags"] == ("beta", "version:0001")
    assert a["async"] is flavor.is_async
    assert a["model"] == MODEL and a["provider"] == "groq"
    assert a["call_params"] == {"temperature": 0.3}
    assert a["prompt_template"] == ""
    assert a["template_variables"] == {"genre": "fantasy"}
    assert a["messages"] == [{"role": "user", "content": "Recommend a fantasy book"}]
    assert a["response_data"]["id"] == response.id
    assert a["output"] == {
        "input_tokens": response.input_tokens,
        "output_tokens": response.output_tokens,
        "content": "Dune",
        **({"cost": response.cost} if response.cost else {}),
    }


@pytest.mark.parametrize("ending", ["exhausted", "break", "close_unstarted"])
async def test_stream_span_ends_with_the_stream(flavor: Flavor, spans: Any, ending: str) -> None:
    three_chunks(flavor.emu)
    stream = await flavor.invoke(with_logfire()(flavor.call(recommend_book, MODEL, stream=True)),
                                 "fantasy")  # fmt: skip
    assert spans.get_finished_spans() == ()  # open until the stream ends
    if ending == "exhausted":
        await flavor.drain(stream)
    elif ending == "break":
        it, _ = await flavor.first_pair(stream)
        await (it.aclose() if flavor.is_async else flavor.invoke(it.close))
    else:
        await flavor.close_stream(stream)
    (span,) = spans.get_finished_spans()
    a = attrs_of(span)
    assert a["async"] is flavor.is_async
    expected_output = {
        "exhausted": {"input_tokens": 45, "output_tokens": 3, "content": "Hello there"},
        "break": {},
        "close_unstarted": {},
    }[ending]
    output = dict(a["output"])
    output.pop("cost", None)
    assert output == expected_output
    assert a["messages"] == [{"role": "user", "content": "Recommend a fantasy book"}]
    assert span.status.status_code == StatusCode.UNSET


async def test_error_mid_stream_records_v1_error_fields(flavor: Flavor, spans: Any) -> None:
    flavor.emu.enqueue("error_event", text="partial")
    stream = await flavor.invoke(with_logfire()(flavor.call(recommend_book, MODEL, stream=True)),
                                 "fantasy")  # fmt: skip
    with pytest.raises(GroqStreamError) as info:
        await flavor.drain(stream)
    (span,) = spans.get_finished_spans()
    a = attrs_of(span)
    assert a["error"] == "GroqStreamError"
    assert a["error_message"] == str(info.value)
    assert span.status.status_code == StatusCode.ERROR  # v1 re-raises into the span


async def test_http_error_is_recorded_and_raised(flavor: Flavor, spans: Any) -> None:
    flavor.emu.enqueue("http_error", status=400)
    with pytest.raises(Exception) as info:
        await flavor.invoke(with_logfire()(flavor.call(recommend_book, MODEL)), "x")
    (span,) = spans.get_finished_spans()
    assert attrs_of(span)["error"] == type(info.value).__name__


class Book(BaseModel):
    title: str


async def test_response_model_and_structured_stream(flavor: Flavor, spans: Any) -> None:
    flavor.emu.enqueue("tool_calls", calls=[("Book", '{"title": "Dune"}')])
    flavor.emu.enqueue("tool_calls", calls=[("Book", '{"title": "Emma"}')])
    fn = with_logfire()(flavor.call(recommend_book, MODEL, response_model=Book))
    assert (await flavor.invoke(fn, "sf")).title == "Dune"
    sfn = with_logfire()(flavor.call(recommend_book, MODEL, response_model=Book, stream=True))
    structured = await flavor.invoke(sfn, "classic")
    await flavor.drain(structured)
    first, second = (attrs_of(s) for s in spans.get_finished_spans())
    assert first["output"]["response_model"] == {"name": "Book", "arguments": {"title": "Dune"}}
    assert "tool_calls" not in first["output"]
    assert second["output"]["response_model"] == {"name": "Book", "arguments": {"title": "Emma"}}
    assert second["template_variables"] == {"genre": "classic"}
