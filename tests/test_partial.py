"""`partial(model)`: every field optional, recursively, so partial JSON validates."""

from __future__ import annotations

import json
from typing import Annotated, Literal, Optional, Union

import jiter
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mirascope.core.base._partial import partial


class Author(BaseModel):
    name: str = Field(description="Full name.")
    born: int = Field(ge=0)


class Node(BaseModel):
    label: str
    children: list[Node] = []


class Book(BaseModel):
    """A book."""

    title: str
    authors: list[Author]
    by_role: dict[str, Author]
    pair: tuple[int, str]
    rest: tuple[float, ...]
    editor: Optional[Author] = None
    either: Union[Author, str]
    new_style: Author | None
    note: Annotated[str, Field(min_length=10)]
    available: bool
    tree: Node

    def summary(self) -> str:
        return f"{self.title} ({len(self.authors or [])} authors)"


def parse_partial(text: str) -> object:
    return jiter.from_json(text.encode(), partial_mode="trailing-strings")


def test_fields_become_optional_with_default_none() -> None:
    partial_book = partial(Book).model_validate({})
    assert all(getattr(partial_book, name) is None for name in Book.model_fields)


def test_keeps_the_original_class_and_its_methods() -> None:
    partial_book_type = partial(Book)
    assert issubclass(partial_book_type, Book)
    assert partial_book_type.__name__ == "PartialBook"
    instance = partial_book_type.model_validate(parse_partial('{"title": "Dune", "authors": [{'))
    assert isinstance(instance, Book)
    assert instance.summary() == "Dune (1 authors)"


def test_nested_models_are_partial() -> None:
    data = parse_partial(
        '{"title": "Dune", "authors": [{"name": "Frank", "born": 1920}, {"name": "Bri'
    )
    book = partial(Book).model_validate(data)
    assert book.authors is not None
    assert [(a.name, a.born) for a in book.authors] == [("Frank", 1920), ("Bri", None)]
    assert all(isinstance(a, Author) for a in book.authors)


def test_containers_and_unions() -> None:
    book = partial(Book).model_validate(
        {
            "by_role": {"editor": {"name": "E"}},
            "pair": [1],
            "rest": [1.5],
            "editor": {},
            "either": {"born": 3},
            "new_style": {"name": "N"},
            "note": "short",
            "tree": {"children": [{"children": [{}]}]},
        }
    )
    assert book.by_role is not None and book.by_role["editor"].born is None
    assert book.pair == (1,)
    assert book.rest == (1.5,)
    assert book.editor is not None and book.editor.name is None
    assert isinstance(book.either, Author) and book.either.born == 3
    assert book.new_style is not None and book.new_style.name == "N"
    assert book.note == "short"  # constraints are dropped: partial strings are short
    assert book.tree is not None and book.tree.children is not None
    assert book.tree.children[0].children[0].label is None  # recursive model


def test_cached_and_keeps_descriptions() -> None:
    assert partial(Book) is partial(Book)
    assert partial(Author).model_fields["name"].description == "Full name."
    assert partial(Node).model_fields["children"].default is None


def test_aliases_survive() -> None:
    class Aliased(BaseModel):
        model_config = ConfigDict(populate_by_name=True)

        full_name: str = Field(alias="fullName")

    assert partial(Aliased).model_validate({"fullName": "Ann"}).full_name == "Ann"


def test_validators_still_run() -> None:
    class Shouting(BaseModel):
        word: str

        @field_validator("word")
        @classmethod
        def upper(cls, value: str | None) -> str | None:
            return value.upper() if value is not None else None

    assert partial(Shouting).model_validate({"word": "hi"}).word == "HI"


def test_literal_values_are_still_checked() -> None:
    class Choice(BaseModel):
        kind: Literal["fiction", "nonfiction"]

    assert partial(Choice).model_validate({"kind": "fiction"}).kind == "fiction"
    with pytest.raises(ValidationError):
        partial(Choice).model_validate({"kind": "fic"})


_author = st.builds(Author, name=st.text(max_size=8), born=st.integers(0, 3000))
_node = st.builds(Node, label=st.text(max_size=5))
_book = st.builds(
    Book,
    title=st.text(max_size=20),
    authors=st.lists(_author, max_size=3),
    by_role=st.dictionaries(st.text(max_size=5), _author, max_size=2),
    pair=st.tuples(st.integers(), st.text(max_size=5)),
    rest=st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=3).map(tuple),
    editor=st.none() | _author,
    either=_author | st.text(max_size=5),
    new_style=st.none() | _author,
    note=st.text(min_size=10, max_size=20),
    available=st.booleans(),
    tree=st.builds(Node, label=st.text(max_size=5), children=st.lists(_node, max_size=2)),
)


@given(_book, st.data())
def test_every_prefix_of_valid_json_validates(book: Book, data: st.DataObject) -> None:
    text = book.model_dump_json()
    cut = data.draw(st.integers(1, len(text)))
    result = partial(Book).model_validate(parse_partial(text[:cut]))
    if cut == len(text):
        assert json.loads(result.model_dump_json()) == json.loads(text)
