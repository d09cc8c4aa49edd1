"""Bad input fails before any request: a clear error naming the problem, and the emulator
records nothing. (tests/e2e/test_calls.py already covers a missing template variable, an audio
part, an unknown call_params key and a client of the wrong flavor, each with zero requests.)
"""

from __future__ import annotations

import pytest
from groq_e2e_helpers import MODEL, TOOL_MODEL, GetWeather, ask
from reliability_helpers import run

from mirascope.core import DocumentPart, Messages, groq
from mirascope.core.base import DocumentURLPart


class Opaque:
    """Not JSON-serialisable."""


@pytest.mark.parametrize(
    "part",
    [
        pytest.param(DocumentPart(media_type="application/pdf", document=b"%PDF-1.4"), id="doc"),
        pytest.param(DocumentURLPart(url="https://example.com/a.pdf"), id="doc-url"),
    ],
)
@pytest.mark.parametrize("stream", [False, True])
async def test_document_part_rejected_naming_it(flavor, emu, stream, part):
    def prompt() -> list:
        return [Messages.User(["Summarise this", part])]

    with pytest.raises(ValueError, match=r"(?i)document"):
        await flavor.invoke(flavor.call(prompt, stream=stream))
    assert emu.requests == []


async def test_non_serialisable_tool_output_names_the_type(flavor, emu):
    emu.enqueue("tool_calls", calls=[("GetWeather", '{"city":"Paris"}')])
    stream, pairs, error = await run(flavor, ask, "Weather?", model=TOOL_MODEL, tools=[GetWeather])
    assert error is None
    tool = next(t for _, t in pairs if t is not None)
    with pytest.raises(TypeError, match="Opaque"):
        stream.tool_message_params([(tool, Opaque())])
    with pytest.raises(TypeError, match="Opaque"):
        stream.tool_message_params([(tool, {"nested": [Opaque()]})])
    assert len(emu.requests) == 1  # only the stream itself
    assert stream.message_param["tool_calls"][0]["function"]["name"] == "GetWeather"


def test_stream_with_output_parser_raises_at_decoration_sending_nothing(groq_emulator):
    with groq_emulator.client() as client, pytest.raises(ValueError, match="output_parser"):
        groq.call(MODEL, stream=True, output_parser=str, client=client)
    assert groq_emulator.requests == []


async def test_non_tool_in_tools_raises_naming_it(flavor, emu):
    with pytest.raises(TypeError, match="42"):  # at decoration since issue 9 F
        await flavor.invoke(flavor.call(ask, tools=[42], stream=True), "hi")
    assert emu.requests == []


@pytest.mark.parametrize("key", ["stream", "model", "messages"])
async def test_reserved_call_params_key_raises(flavor, emu, key):
    with pytest.raises(ValueError, match=repr(key)):  # at decoration since issue 9 F
        await flavor.invoke(flavor.call(ask, call_params={key: "x"}, stream=True), "hi")
    assert emu.requests == []


@pytest.mark.parametrize(
    ("config", "named"),
    [
        pytest.param({"chunck_timeout": 1.0}, "chunck_timeout", id="unknown-key"),
        pytest.param({"chunk_timeout": -1.0}, "chunk_timeout", id="negative-timeout"),
        pytest.param({"first_chunk_timeout": "soon"}, "first_chunk_timeout", id="not-a-number"),
        pytest.param(
            {"max_retries_before_first_chunk": -1}, "max_retries_before_first_chunk", id="neg"
        ),
    ],
)
async def test_invalid_stream_config_raises_before_any_request(flavor, emu, config, named):
    with pytest.raises((TypeError, ValueError), match=named):
        fn = flavor.call(ask, stream=config)
        stream = await flavor.invoke(fn, "hi")
        await flavor.drain(stream)
    assert emu.requests == []
