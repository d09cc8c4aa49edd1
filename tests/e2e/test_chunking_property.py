"""Property: however the same answer is cut into SSE chunks, the stream ends up the same.

The answer is fixed (text, two tool calls, usage); hypothesis varies where the text is cut, where
each call's argument string is cut (fragmented, OpenAI style) or whether it comes whole (Groq
style), which calls share a delta, whether text shares a chunk with a tool call (B4), where the
finish reason sits (B3), where the usage is reported (B1, B6), and empty chunks in between.
Sent through the emulator's `chunks` scenario and the real SDK; sync only (API.md §7.2).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from groq_e2e_helpers import TOOL_MODEL, GetWeather, tool_call_dict, usage_u
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mirascope.core import groq
from mirascope.core.groq.testing import GroqEmulator

TEXT = 'Let me check: "Paris" & Rome, ünïcode 🌍.'
CALLS = [
    ("tk85n1k4m", "GetWeather", '{"city":"Paris"}'),
    ("q2w9x7c3v", "GetWeather", '{"city": "Rome, Italy"}'),
]
USAGE = usage_u(45, 3)
USAGE_PLACEMENTS = ["x_groq_only", "both", "top_only", "include_usage_chunk"]


def _cut(text: str, cuts: set[int]) -> list[str]:
    bounds = [0, *sorted(cuts), len(text)]
    return [text[a:b] for a, b in pairwise(bounds)]


def _choice(delta: dict[str, Any], finish: str | None = None) -> list[dict[str, Any]]:
    return [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]


@st.composite
def transcripts(draw: st.DrawFn) -> list[dict[str, Any]]:
    text_pieces = _cut(TEXT, draw(st.sets(st.integers(1, len(TEXT) - 1), max_size=8)))

    entries: list[tuple[int, dict[str, Any]]] = []
    for index, (call_id, name, args) in enumerate(CALLS):
        if draw(st.booleans()):  # fragmented: head with the name, then argument fragments
            head = {"name": name, "arguments": ""}
            entries.append(
                (index, {"index": index, "id": call_id, "type": "function", "function": head})
            )
            for frag in _cut(args, draw(st.sets(st.integers(1, len(args) - 1), max_size=6))):
                entries.append((index, {"index": index, "function": {"arguments": frag}}))
        else:  # whole, as Groq sends it
            whole = {"name": name, "arguments": args}
            entries.append(
                (index, {"index": index, "id": call_id, "type": "function", "function": whole})
            )

    # Which consecutive entries share one delta (never two entries of the same call).
    groups: list[list[dict[str, Any]]] = [[entries[0][1]]]
    for (prev_index, _), (index, entry) in pairwise(entries):
        if index != prev_index and draw(st.booleans()):
            groups[-1].append(entry)
        else:
            groups.append([entry])

    deltas: list[dict[str, Any]] = [{"content": piece} for piece in text_pieces]
    tool_deltas: list[dict[str, Any]] = [{"tool_calls": group} for group in groups]
    if draw(st.booleans()):  # the last text piece rides on the first tool-call delta (B4)
        tool_deltas[0] = {"content": deltas.pop()["content"], **tool_deltas[0]}
    deltas += tool_deltas
    for _ in range(draw(st.integers(0, 3))):  # empty deltas anywhere before the finish
        deltas.insert(draw(st.integers(0, len(deltas))), {})

    x_groq_id = {"id": "req_01kh52nj5yfcat8hrmvrk2j2hj"}
    chunks: list[dict[str, Any]] = [
        {"choices": _choice({"role": "assistant", "content": ""}), "x_groq": {**x_groq_id}}
    ]
    chunks += [{"choices": _choice(delta)} for delta in deltas]
    if draw(st.booleans()):  # finish reason on the last tool-call chunk itself (B3)
        chunks[-1]["choices"][0]["finish_reason"] = "tool_calls"
    else:
        chunks.append({"choices": _choice({}, "tool_calls")})

    finish = chunks[-1]
    placement = draw(st.sampled_from(USAGE_PLACEMENTS))
    if placement in ("x_groq_only", "both", "include_usage_chunk"):
        finish["x_groq"] = {**x_groq_id, "usage": USAGE}
    if placement in ("both", "top_only"):
        finish["usage"] = USAGE
    if placement == "include_usage_chunk":
        chunks.append({"choices": [], "usage": USAGE, "x_groq": {**x_groq_id}})
    return chunks


@pytest.fixture
def client(groq_emulator: GroqEmulator) -> Iterator[Any]:
    with groq_emulator.client() as c:
        yield c


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chunks=transcripts())
def test_property_any_chunking_gives_same_stream_state(groq_emulator, client, chunks):
    groq_emulator.enqueue_chunks(chunks)

    @groq.call(TOOL_MODEL, stream=True, tools=[GetWeather], client=client)
    def ask() -> str:
        return "Weather in Paris and Rome?"

    stream = ask()
    pairs = list(stream)

    assert stream.content == TEXT
    assert "".join(chunk.content for chunk, _ in pairs) == TEXT
    tools = [tool for _, tool in pairs if tool is not None]
    assert [(t.id, t.city) for t in tools] == [("tk85n1k4m", "Paris"), ("q2w9x7c3v", "Rome, Italy")]
    expected_calls = [tool_call_dict(*call) for call in CALLS]
    assert stream.message_param == {
        "role": "assistant",
        "content": TEXT,
        "tool_calls": expected_calls,
    }
    assert json.loads(json.dumps(stream.message_param)) == stream.message_param
    assert (stream.input_tokens, stream.cached_tokens, stream.output_tokens) == (45, 0, 3)
    assert stream.finish_reasons == ["tool_calls"]
    assert stream.is_complete is True
    response = stream.construct_call_response()
    assert (response.input_tokens, response.output_tokens) == (45, 3)
    assert response.content == TEXT
    assert response.message_param == stream.message_param
