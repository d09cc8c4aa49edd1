"""The tool-call assembler: every shape Groq or an OpenAI-style server sends, any cut."""

from __future__ import annotations

import json

from groq.types.chat.chat_completion_chunk import ChoiceDeltaToolCall
from hypothesis import given
from hypothesis import strategies as st

from mirascope.core.groq._tool_calls import ToolCallAssembler

CALLS = [
    ("call_a", "get_weather", '{"city":"Paris"}'),
    ("call_b", "get_time", ""),  # no arguments (B19)
    ("call_c", "get_weather", '{"city":"Rome","unit":{"kind":"C"}}'),
]


def delta(index: int, id_: str | None = None, name: str | None = None, args: str | None = None):
    function = {k: v for k, v in (("name", name), ("arguments", args)) if v is not None}
    data: dict[str, object] = {"index": index}
    if id_ is not None:
        data.update(id=id_, type="function")
    if function:
        data["function"] = function
    return ChoiceDeltaToolCall.model_validate(data)


def expected_params() -> list[dict[str, object]]:
    return [
        {"id": i, "type": "function", "function": {"name": n, "arguments": a}} for i, n, a in CALLS
    ]


def test_whole_calls_are_released_as_soon_as_complete() -> None:
    asm = ToolCallAssembler()
    first = asm.feed([delta(0, "call_a", "get_weather", '{"city":"Paris"}')])
    assert [c.id for c in first] == ["call_a"]
    assert asm.feed([delta(1, "call_b", "get_time", "")]) == []  # "" may still grow
    # call_c is complete but waits behind call_b, whose "" may still grow (fragments of the
    # two may interleave), until the finish reason.
    assert asm.feed([delta(2, "call_c", "get_weather", CALLS[2][2])]) == []
    assert [c.id for c in asm.flush()] == ["call_b", "call_c"]
    assert asm.calls == expected_params()


def test_several_calls_in_one_delta() -> None:
    asm = ToolCallAssembler()
    released = asm.feed([delta(i, *call) for i, call in enumerate(CALLS)])
    assert [c.id for c in released + asm.flush()] == ["call_a", "call_b", "call_c"]
    assert asm.calls == expected_params()


def test_fragments_without_id_after_the_first_delta() -> None:
    asm = ToolCallAssembler()
    assert asm.feed([delta(0, "call_a", "get_weather", "")]) == []
    assert asm.feed([delta(0, args='{"ci')]) == []
    assert [c.arguments for c in asm.feed([delta(0, args='ty":"Paris"}')])] == ['{"city":"Paris"}']


def test_flush_releases_an_incomplete_call_at_end_of_stream() -> None:
    asm = ToolCallAssembler()
    assert asm.feed([delta(0, "call_a", "get_weather", '{"city":')]) == []
    assert [c.arguments for c in asm.flush()] == ['{"city":']


@st.composite
def cut_stream(draw: st.DrawFn) -> list[list[ChoiceDeltaToolCall]]:
    """The calls of CALLS cut into fragments and grouped into deltas at random."""
    pieces: list[ChoiceDeltaToolCall] = []
    for index, (id_, name, args) in enumerate(CALLS):
        cuts = sorted(draw(st.sets(st.integers(1, max(1, len(args) - 1)), max_size=4)))
        parts = [args[a:b] for a, b in zip([0, *cuts], [*cuts, len(args)], strict=True)]
        parts = [p for p in parts if p] or [""]
        pieces.append(delta(index, id_, name, parts[0]))
        pieces += [delta(index, args=p) for p in parts[1:]]
    groups: list[list[ChoiceDeltaToolCall]] = []
    i = 0
    while i < len(pieces):
        size = draw(st.integers(1, 3))
        groups.append(pieces[i : i + size])
        i += size
    return groups


@given(cut_stream())
def test_any_cut_and_grouping_gives_the_same_calls_in_order(
    groups: list[list[ChoiceDeltaToolCall]],
) -> None:
    asm = ToolCallAssembler()
    released = [call for group in groups for call in asm.feed(group)] + asm.flush()
    assert [(c.id, c.name, c.arguments) for c in released] == CALLS
    assert asm.calls == expected_params()
    for call in released:
        if call.arguments:
            json.loads(call.arguments)


@st.composite
def hostile_stream(draw: st.DrawFn) -> list[ChoiceDeltaToolCall]:
    """N calls cut at random and interleaved at random, indexes shuffled or index 0 reused."""
    n = draw(st.integers(1, 5))
    calls = [(f"call_{i}", "get_weather", json.dumps({"city": "x" * i, "n": i})) for i in range(n)]
    reuse = draw(st.booleans())
    indexes = [0] * n if reuse else draw(st.permutations(list(range(n))))
    queues: list[list[ChoiceDeltaToolCall]] = []
    for (id_, name, args), index in zip(calls, indexes, strict=True):
        cuts = sorted(draw(st.sets(st.integers(1, len(args) - 1), max_size=6)))
        parts = [args[a:b] for a, b in zip([0, *cuts], [*cuts, len(args)], strict=True)]
        head = "" if draw(st.booleans()) else parts.pop(0)
        queues.append([delta(index, id_, name, head), *(delta(index, args=p) for p in parts)])
    if reuse:  # one index for all: a call's fragments cannot follow the next call's head
        return [d for q in queues for d in q]
    out: list[ChoiceDeltaToolCall] = []
    while any(queues):
        out.append(draw(st.sampled_from([q for q in queues if q])).pop(0))
    return out


@given(hostile_stream())
def test_any_interleaving_of_n_calls_releases_each_once_exactly(
    deltas: list[ChoiceDeltaToolCall],
) -> None:
    asm = ToolCallAssembler()
    released = [call for d in deltas for call in asm.feed([d])] + asm.flush()
    ids = [c.id for c in released]
    assert len(ids) == len(set(ids))
    assert {c.id: json.loads(c.arguments) for c in released} == {
        f"call_{i}": {"city": "x" * i, "n": i} for i in range(len(ids))
    }
    assert sorted(c["id"] for c in asm.calls) == sorted(ids)
