"""Misuse fails before any request, naming the problem (issue 9 F).

Each case is decorated (and where it gets that far, called) sync and async through the real SDK
against the emulator, and the emulator must have recorded no request.
"""

from __future__ import annotations

import traceback

import groq as groq_sdk
import pytest
from groq_e2e_helpers import MODEL, TOOL_MODEL, ask
from hypothesis import given
from hypothesis import strategies as st

from mirascope.core import BaseTool, groq
from mirascope.core.groq import GroqStream


class Opaque:
    """A type with no JSON schema."""


class NoCall(BaseTool):
    """Has arguments but forgot `call()`."""

    city: str


def takes_opaque(where: str, thing: Opaque) -> str:
    """A function tool whose `thing` parameter cannot become a JSON schema."""
    return where


async def test_empty_stream_config_is_a_stream(flavor, emu):
    emu.enqueue("text", text="Hello there")
    stream, pairs = await flavor.stream(ask, "hi", stream={})
    assert isinstance(stream, GroqStream)
    assert "".join(c.content for c, _ in pairs) == "Hello there"
    assert emu.requests[0].body["stream"] is True


@pytest.mark.parametrize("value", ["yes", "false", 1, 0, None, ["x"]])
async def test_stream_takes_bools_not_truthy_values(flavor, emu, value):
    with pytest.raises(TypeError, match=r"stream must be True, False or a StreamConfig"):
        flavor.call(ask, stream=value)
    assert emu.requests == []


@pytest.mark.parametrize("value", ["yes", "false", 1, None])
async def test_partial_tools_takes_a_bool(flavor, emu, value):
    with pytest.raises(TypeError, match=r"'partial_tools' must be a bool"):
        flavor.call(ask, stream={"partial_tools": value})
    assert emu.requests == []


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none()))
def test_any_non_bool_stream_is_refused_at_decoration(value):
    with pytest.raises(TypeError, match="stream"):
        groq.call(MODEL, stream=value)


@pytest.mark.parametrize(
    "client",
    [
        pytest.param("my-api-key", id="string"),
        pytest.param(groq_sdk.Groq, id="Groq-class"),
        pytest.param(groq_sdk.AsyncGroq, id="AsyncGroq-class"),
        pytest.param(object(), id="object"),
    ],
)
async def test_client_must_be_a_groq_instance(flavor, emu, client):
    with pytest.raises(TypeError, match=r"client= must be a groq\.Groq or groq\.AsyncGroq"):
        groq.call(MODEL, client=client, stream=True)(flavor.fn(ask))
    assert emu.requests == []


async def test_client_class_hint_says_instantiate(flavor, emu):
    with pytest.raises(TypeError, match=r"the class itself.*Groq\(\)"):
        flavor.call(ask, client=groq_sdk.Groq)
    assert emu.requests == []


async def test_client_of_the_wrong_flavor_is_refused_at_decoration(flavor, emu):
    wrong = flavor.other_client()
    with pytest.raises(TypeError, match="client"):
        flavor.call(ask, client=wrong, stream=True)
    assert emu.requests == []


async def test_tool_class_without_call_is_refused_at_decoration(flavor, emu):
    with pytest.raises(TypeError, match=r"NoCall.*call\(\)"):
        flavor.call(ask, model=TOOL_MODEL, tools=[NoCall], stream=True)
    assert emu.requests == []


@pytest.mark.parametrize("stream", [False, True])
async def test_unschematizable_tool_parameter_names_tool_and_parameter(flavor, emu, stream):
    fn = flavor.call(ask, model=TOOL_MODEL, tools=[takes_opaque], stream=stream)
    with pytest.raises(TypeError, match=r"takes_opaque.*'thing'.*Opaque") as info:
        await flavor.invoke(fn, "hi")
    assert info.value.__cause__ is None and info.value.__context__ is None  # no pydantic trace
    assert len(traceback.extract_tb(info.value.__traceback__)) < 12
    assert emu.requests == []


@pytest.mark.parametrize(
    ("typo", "meant"),
    [("temperture", "temperature"), ("max_token", "max_tokens"), ("top-p", "top_p")],
)
async def test_call_params_typo_suggests_the_closest_key(flavor, emu, typo, meant):
    with pytest.raises(ValueError, match=rf"{typo!r}.*did you mean {meant!r}") as info:
        flavor.call(ask, call_params={typo: 1}, stream=True)
    valid = str(info.value).split("Valid keys:")[1]
    assert "'stream'" not in valid and " stream," not in valid and "stream_options" in valid
    assert emu.requests == []


async def test_call_params_cannot_set_stream(flavor, emu):
    with pytest.raises(ValueError, match=r"call_params cannot set 'stream'"):
        flavor.call(ask, call_params={"stream": True})
    assert emu.requests == []
