"""Hostile tool-call streams (issue 9 A), sync and async, through the real SDK and the emulator.

Each stream is written chunk by chunk (`enqueue_chunks`), as OpenAI-style servers send them:
indexes out of order, index 0 reused for every call (Ollama), no `index` at all, `arguments` as
a JSON object, an empty head, one-character fragments, a finish reason while arguments are open,
and arguments that do not parse or validate. Each call is yielded once and kept once in
`message_param`; bad calls end in one `GroqToolCallError` after everything else was yielded.
"""

from __future__ import annotations

import json
import pickle
from typing import Any

from groq_e2e_helpers import TOOL_MODEL, Flavor, ask, chunk_dict, usage_u
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mirascope.core import BaseTool
from mirascope.core.groq.errors import GroqStreamError, GroqToolCallError, InvalidToolCall
from mirascope.core.groq.testing import GroqEmulator


class GetWeather(BaseTool):
    """Get the current weather in a city."""

    city: str
    unit: str = "C"

    def call(self) -> str:
        return f"sunny in {self.city}"


TOOLS = [GetWeather]


def tc(index: int | None = None, id_: str | None = None, name: str | None = None, args: Any = None):
    """One `tool_calls` entry; None fields are left out (not sent as null)."""
    entry: dict[str, Any] = {}
    if index is not None:
        entry["index"] = index
    if id_ is not None:
        entry.update(id=id_, type="function")
    function = {k: v for k, v in (("name", name), ("arguments", args)) if v is not None}
    if function:
        entry["function"] = function
    return entry


def calls_chunk(*entries: dict[str, Any]) -> dict[str, Any]:
    return chunk_dict({"tool_calls": list(entries)})


def finish(**extra: Any) -> dict[str, Any]:
    return chunk_dict(finish="tool_calls", x_groq={"id": "req_1", "usage": usage_u()}, **extra)


async def run(
    flavor: Flavor, chunks: list[dict[str, Any]]
) -> tuple[Any, list[Any], Exception | None]:
    flavor.emu.enqueue_chunks([chunk_dict({"role": "assistant", "content": None}), *chunks])
    fn = flavor.call(ask, model=TOOL_MODEL, tools=TOOLS, stream=True)
    stream = await flavor.invoke(fn, "weather?")
    pairs: list[Any] = []
    try:
        if flavor.is_async:
            async for pair in stream:
                pairs.append(pair)
        else:
            for pair in stream:
                pairs.append(pair)
    except Exception as error:
        return stream, pairs, error
    return stream, pairs, None


def yielded(pairs: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """(id, arguments) of each yielded tool; the tool validated, so its city is checked too."""
    out: list[tuple[str, dict[str, Any]]] = []
    for _, tool in pairs:
        if tool is not None:
            args = json.loads(tool.tool_call.function.arguments)
            assert tool.city == args["city"]
            out.append((tool.tool_call.id, args))
    return out


def history(stream: Any) -> list[tuple[str, str]]:
    return [(c["id"], c["function"]["arguments"]) for c in stream.message_param["tool_calls"]]


def assert_clean(stream: Any, error: Exception | None) -> None:
    assert error is None, repr(error)
    assert stream.end_state == "finished"
    assert stream.finish_reasons == ["tool_calls"]
    assert stream.invalid_tool_calls == []


async def test_indexes_out_of_order(flavor, emu):
    stream, pairs, error = await run(
        flavor,
        [
            calls_chunk(tc(1, "call_b", "GetWeather", '{"city":')),
            calls_chunk(tc(0, "call_a", "GetWeather", '{"city":')),
            calls_chunk(tc(1, args='"Rome"}')),
            calls_chunk(tc(0, args='"Paris"}')),
            finish(),
        ],
    )
    assert_clean(stream, error)
    assert sorted(yielded(pairs)) == [("call_a", {"city": "Paris"}), ("call_b", {"city": "Rome"})]
    assert history(stream) == [("call_a", '{"city":"Paris"}'), ("call_b", '{"city":"Rome"}')]


async def test_complete_higher_index_before_lower_is_not_lost_or_repeated(flavor, emu):
    stream, pairs, error = await run(
        flavor,
        [
            calls_chunk(tc(1, "call_b", "GetWeather", '{"city":"Rome"}')),
            calls_chunk(tc(0, "call_a", "GetWeather", '{"city":"Paris"}')),
            finish(),
        ],
    )
    assert_clean(stream, error)
    assert yielded(pairs) == [("call_b", {"city": "Rome"}), ("call_a", {"city": "Paris"})]
    assert sorted(history(stream)) == [
        ("call_a", '{"city":"Paris"}'),
        ("call_b", '{"city":"Rome"}'),
    ]


async def test_index_zero_reused_with_new_ids(flavor, emu):
    stream, pairs, error = await run(
        flavor,
        [
            calls_chunk(tc(0, "call_a", "GetWeather", '{"city":')),
            calls_chunk(tc(0, args='"Paris"')),
            calls_chunk(tc(0, "call_b", "GetWeather", '{"city":"Rome"}')),
            calls_chunk(tc(0, args="")),
            finish(),
        ],
    )
    # call_a was never closed by the server; it is still its own call, not merged with call_b.
    assert stream.finish_reasons == ["tool_calls"]
    assert history(stream) == [("call_a", '{"city":"Paris"'), ("call_b", '{"city":"Rome"}')]
    assert yielded(pairs) == [("call_b", {"city": "Rome"})]
    assert isinstance(error, GroqToolCallError)
    assert [c.id for c in stream.invalid_tool_calls] == ["call_a"]


async def test_index_zero_reused_for_complete_calls(flavor, emu):
    stream, pairs, error = await run(
        flavor,
        [
            calls_chunk(tc(0, "call_a", "GetWeather", '{"city":"Paris"}')),
            calls_chunk(tc(0, "call_b", "GetWeather", '{"city":"Rome"}')),
            finish(),
        ],
    )
    assert_clean(stream, error)
    assert yielded(pairs) == [("call_a", {"city": "Paris"}), ("call_b", {"city": "Rome"})]
    assert history(stream) == [("call_a", '{"city":"Paris"}'), ("call_b", '{"city":"Rome"}')]


async def test_deltas_without_index(flavor, emu):
    stream, pairs, error = await run(
        flavor,
        [
            calls_chunk(tc(None, "call_a", "GetWeather", '{"city"')),
            calls_chunk(tc(None, args=':"Paris"}')),
            calls_chunk(tc(None, "call_b", "GetWeather", '{"city":"Rome"}')),
            finish(),
        ],
    )
    assert_clean(stream, error)
    assert yielded(pairs) == [("call_a", {"city": "Paris"}), ("call_b", {"city": "Rome"})]
    assert history(stream) == [("call_a", '{"city":"Paris"}'), ("call_b", '{"city":"Rome"}')]


async def test_arguments_as_a_json_object(flavor, emu):
    stream, pairs, error = await run(
        flavor,
        [calls_chunk(tc(0, "call_a", "GetWeather", {"city": "Paris", "unit": "F"})), finish()],
    )
    assert_clean(stream, error)
    assert yielded(pairs) == [("call_a", {"city": "Paris", "unit": "F"})]
    assert json.loads(history(stream)[0][1]) == {"city": "Paris", "unit": "F"}


async def test_empty_head_and_one_character_fragments(flavor, emu):
    args = '{"city":"Paris","unit":"F"}'
    stream, pairs, error = await run(
        flavor,
        [
            calls_chunk(tc(0, "call_a", "GetWeather", "")),
            *[calls_chunk(tc(0, args=ch)) for ch in args],
            finish(),
        ],
    )
    assert_clean(stream, error)
    assert yielded(pairs) == [("call_a", {"city": "Paris", "unit": "F"})]
    assert history(stream) == [("call_a", args)]


async def test_finish_reason_while_arguments_are_open(flavor, emu):
    stream, pairs, error = await run(
        flavor,
        [
            calls_chunk(tc(0, "call_a", "GetWeather", '{"city":"Paris"}')),
            calls_chunk(tc(1, "call_b", "GetWeather", '{"city":"Ro')),
            finish(),
        ],
    )
    assert stream.finish_reasons == ["tool_calls"]
    assert stream.usage is not None
    assert yielded(pairs) == [("call_a", {"city": "Paris"})]
    assert history(stream) == [("call_a", '{"city":"Paris"}'), ("call_b", '{"city":"Ro')]
    assert isinstance(error, GroqToolCallError)
    assert [(c.id, c.arguments) for c in error.invalid_tool_calls] == [("call_b", '{"city":"Ro')]


async def test_invalid_arguments_do_not_kill_the_stream(flavor, emu):
    stream, pairs, error = await run(
        flavor,
        [
            calls_chunk(tc(0, "call_a", "GetWeather", '{"town":"Paris"}')),  # fails validation
            calls_chunk(tc(1, "call_b", "GetWeather", "not json}")),  # fails parsing
            calls_chunk(tc(2, "call_c", "GetWeather", '{"city":"Rome"}')),
            finish(),
        ],
    )
    # The finish chunk was folded and the valid call yielded before the error.
    assert stream.finish_reasons == ["tool_calls"]
    assert stream.usage is not None and stream.input_tokens is not None
    assert yielded(pairs) == [("call_c", {"city": "Rome"})]
    assert [c["id"] for c in stream.message_param["tool_calls"]] == ["call_a", "call_b", "call_c"]
    # One typed path: the error carries the same records as stream.invalid_tool_calls.
    assert isinstance(error, GroqToolCallError) and isinstance(error, GroqStreamError)
    assert error.kind == "invalid_tool_call"
    assert error.invalid_tool_calls == stream.invalid_tool_calls
    bad = {c.id: c for c in error.invalid_tool_calls}
    assert set(bad) == {"call_a", "call_b"}
    assert bad["call_a"].name == "GetWeather"
    assert bad["call_a"].arguments == '{"town":"Paris"}'
    assert "city" in bad["call_a"].error
    assert bad["call_b"].arguments == "not json}"
    assert "GetWeather" in str(error)
    assert error.partial is not None
    assert error.partial.finish_reasons == ["tool_calls"]
    # Picklable, without the exception object.
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, GroqToolCallError)
    assert again.invalid_tool_calls == error.invalid_tool_calls
    assert isinstance(again.invalid_tool_calls[0], InvalidToolCall)


# -- any interleaving, through the SDK and the emulator ----------------------------------------

CALLS = [
    ("call_a", '{"city":"Paris"}'),
    ("call_b", '{"city":"Rome","unit":"F"}'),
    ("call_c", '{"city":"Oslo"}'),
]


@st.composite
def hostile(draw: st.DrawFn) -> list[dict[str, Any]]:
    """CALLS cut at random, interleaved at random; index 0 reused or indexes shuffled."""
    reuse = draw(st.booleans())
    indexes = [0, 0, 0] if reuse else draw(st.permutations([0, 1, 2]))
    queues: list[list[dict[str, Any]]] = []
    for (id_, args), index in zip(CALLS, indexes, strict=True):
        cuts = sorted(draw(st.sets(st.integers(1, len(args) - 1), max_size=5)))
        parts = [args[a:b] for a, b in zip([0, *cuts], [*cuts, len(args)], strict=True)]
        head = "" if draw(st.booleans()) else parts.pop(0)
        queue = [tc(index, id_, "GetWeather", head)]
        queue += [tc(index, args=p) for p in parts]
        queues.append(queue)
    entries: list[dict[str, Any]] = []
    if reuse:  # one index for all: calls must follow one another
        entries = [e for q in queues for e in q]
    else:
        while any(queues):
            live = [q for q in queues if q]
            entries.append(draw(st.sampled_from(live)).pop(0))
    return [calls_chunk(e) for e in entries]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chunks=hostile())
async def test_any_interleaving_yields_each_call_once(flavor, emu: GroqEmulator, chunks):
    stream, pairs, error = await run(flavor, [*chunks, finish()])
    assert_clean(stream, error)
    want = {id_: json.loads(args) for id_, args in CALLS}
    got = yielded(pairs)
    assert sorted(i for i, _ in got) == sorted(want)
    assert dict(got) == want
    assert sorted(history(stream)) == sorted(CALLS)
