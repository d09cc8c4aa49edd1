"""The incremental JSON parser and `BaseStructuredStream` without HTTP: re-chunking the same JSON
text never changes the final model, and every partial validates as the partial model."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import jiter
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from mirascope.core.base._json_stream import JsonStream, PartialBuilder, _materialize
from mirascope.core.base._partial import partial
from mirascope.core.base.structured_stream import BaseStructuredStream
from mirascope.core.groq import GroqCallResponse, GroqCallResponseChunk, GroqStream


class Author(BaseModel):
    name: str
    born: int | None = None


class Volume(BaseModel):
    title: str
    author: Author
    tags: list[str]
    ratings: dict[str, float]


class Library(BaseModel):
    name: str
    volumes: list[Volume]
    open: bool


def _chunk(content: str) -> GroqCallResponseChunk:
    return GroqCallResponseChunk.model_validate(
        {
            "chunk": {
                "id": "c1",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": "llama-3.1-8b-instant",
                "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}],
            }
        }
    )


def _stream(parts: list[str]) -> GroqStream:
    """A GroqStream from a hand-made generator (the v1 keyword constructor)."""

    def source() -> Iterator[tuple[GroqCallResponseChunk, None]]:
        for part in parts:
            yield _chunk(part), None

    return GroqStream(
        stream=source(),
        metadata={},
        tool_types=None,
        call_response_type=GroqCallResponse,
        model="llama-3.1-8b-instant",
        prompt_template=None,
        fn_args={},
        dynamic_config=None,
        messages=[{"role": "user", "content": "x"}],
        call_params={},
        call_kwargs={},
    )


def _cut(text: str, cuts: list[int]) -> list[str]:
    points = sorted({c % (len(text) + 1) for c in cuts} | {0, len(text)})
    return [text[a:b] for a, b in itertools.pairwise(points)]


text_values = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12
)
libraries = st.builds(
    dict,
    name=text_values,
    open=st.booleans(),
    volumes=st.lists(
        st.builds(
            dict,
            title=text_values,
            author=st.builds(
                dict, name=text_values, born=st.one_of(st.none(), st.integers(-3000, 3000))
            ),
            tags=st.lists(text_values, max_size=3),
            ratings=st.dictionaries(
                text_values, st.floats(allow_nan=False, allow_infinity=False), max_size=2
            ),
        ),
        max_size=3,
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    data=libraries,
    ensure_ascii=st.booleans(),
    indent=st.sampled_from([None, 2]),
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=40),
    prefix=st.sampled_from(["", "Here you go:\n```json\n"]),
)
def test_any_chunking_gives_the_same_final_model_and_valid_partials(
    data: dict[str, Any], ensure_ascii: bool, indent: int | None, cuts: list[int], prefix: str
) -> None:
    text = prefix + json.dumps(data, ensure_ascii=ensure_ascii, indent=indent)
    text += "\n```" if prefix else ""
    structured = BaseStructuredStream(
        stream=_stream(_cut(text, cuts)), response_model=Library, fields_from_call_args={}
    )
    items = list(structured)
    final = items[-1]
    assert type(final) is Library
    assert final == Library.model_validate(data)
    assert structured.constructed_response_model is final
    partial_library = partial(Library)
    previous = None
    for item in items[:-1]:
        assert isinstance(item, partial_library)
        dumped = item.model_dump()
        assert partial_library.model_validate(dumped).model_dump() == dumped
        received = item.model_dump(exclude_unset=True)  # an explicit null counts as a change
        assert received != previous
        previous = received
    # The last partial holds everything (the final JSON is complete).
    assert items[-2].model_dump() == Library.model_validate(data).model_dump()


@settings(max_examples=100, deadline=None)
@given(
    data=st.recursive(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(allow_nan=False, allow_infinity=False),
            text_values,
        ),
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(text_values, children, max_size=4)
        ),
        max_leaves=20,
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=30),
)
def test_parser_tree_equals_json_loads(data: Any, cuts: list[int]) -> None:
    text = json.dumps({"root": data})
    parser = JsonStream()
    for part in _cut(text, cuts):
        parser.feed(part)
    assert parser.done
    assert _materialize(parser.root) == json.loads(text)  # type: ignore[arg-type]


def test_escapes_and_surrogate_pairs_split_across_fragments() -> None:
    text = '{"a": "x\\n\\u00e9\\ud83d\\ude00\\"y"}'
    parser = JsonStream()
    for char in text:
        parser.feed(char)
    assert _materialize(parser.root) == {"a": 'x\né\U0001f600"y'}  # type: ignore[arg-type]


def test_partials_match_jiter_partial_mode_on_every_prefix() -> None:
    text = json.dumps({"name": "Lib", "volumes": [{"title": "Dune", "tags": ["a", "bc"]}]})
    parser, builder = JsonStream(), PartialBuilder(partial(Library))
    for end in range(1, len(text) + 1):
        if parser.feed(text[end - 1]):
            built = builder.build(parser.root)
            assert built is not None
            expected = jiter.from_json(text[:end].encode(), partial_mode="trailing-strings")
            assert built.model_dump(exclude_unset=True) == expected


def test_invalid_json_stops_partials_and_final_raises_with_raw_text() -> None:
    structured = BaseStructuredStream(
        stream=_stream(['{"name": "A",', " nope }"]),
        response_model=Library,
        fields_from_call_args={},
    )
    seen: list[Any] = []
    with pytest.raises(ValidationError) as info:
        for item in structured:
            seen.append(item)
    assert [s.model_dump(exclude_unset=True) for s in seen] == [{"name": "A"}]
    assert info.value.errors()[0]["type"] == "json_invalid"
    assert info.value._raw_text == '{"name": "A", nope }'  # type: ignore[attr-defined]
    assert info.value._response.content == '{"name": "A", nope }'  # type: ignore[attr-defined]
    assert structured.stream.is_complete is False
    assert structured.stream.end_state == "eof_without_finish"


def test_literal_field_left_out_until_complete() -> None:
    from typing import Literal

    class Pick(BaseModel):
        genre: Literal["fantasy", "sci-fi"]
        note: str

    structured = BaseStructuredStream(
        stream=_stream(['{"note": "ok", "genre": "fan', 'tasy"}']),
        response_model=Pick,
        fields_from_call_args={},
    )
    items = [item.model_dump() for item in structured]
    assert items == [
        {"genre": None, "note": "ok"},
        {"genre": "fantasy", "note": "ok"},
        {"genre": "fantasy", "note": "ok"},
    ]
