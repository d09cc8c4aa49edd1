"""Prompt templates, `prompt_template`, `resolve_messages` and `metadata` (pure logic)."""

from __future__ import annotations

import asyncio
import base64
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mirascope.core.base._template import (
    MissingTemplateVariableError,
    clean_template,
    format_template,
    render_messages,
    resolve_messages,
    sniff_audio_type,
    sniff_document_type,
    sniff_image_type,
    template_variables,
)
from mirascope.core.base.message_param import (
    AudioPart,
    AudioURLPart,
    BaseMessageParam,
    CacheControlPart,
    DocumentPart,
    DocumentURLPart,
    ImagePart,
    ImageURLPart,
    TextPart,
)
from mirascope.core.base.messages import Messages
from mirascope.core.base.metadata import Metadata, get_metadata, metadata
from mirascope.core.base.prompt import (
    get_fn_args,
    get_original_fn,
    get_prompt_template,
    prompt_template,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 8
GIF = b"GIF89a" + b"\x00" * 8
WEBP = b"RIFF\x00\x00\x00\x00WEBPVP8 "
WAV = b"RIFF\x00\x00\x00\x00WAVEfmt "
PDF = b"%PDF-1.7\n"


def user(content: Any) -> BaseMessageParam:
    return BaseMessageParam(role="user", content=content)


def system(content: Any) -> BaseMessageParam:
    return BaseMessageParam(role="system", content=content)


def assistant(content: Any) -> BaseMessageParam:
    return BaseMessageParam(role="assistant", content=content)


# --- cleaning and sections -------------------------------------------------------------------


def test_clean_template_dedents_like_cleandoc_but_keeps_tabs() -> None:
    template = """
        SYSTEM: You are a librarian.
        USER:
            a\tb
        """
    assert clean_template(template) == "SYSTEM: You are a librarian.\nUSER:\n    a\tb"
    assert clean_template("USER: hi\n    there\n    you  ") == "USER: hi\nthere\nyou"


def test_roles_split_and_text_starts_after_marker() -> None:
    template = """
        SYSTEM:
        You are a librarian.
        You specialize in {genre}.

        USER: Recommend a {genre} book.
        ASSISTANT:
          Sure.
        """
    assert render_messages(template, {"genre": "fantasy"}) == [
        system("You are a librarian.\nYou specialize in fantasy."),
        user("Recommend a fantasy book."),
        assistant("Sure."),
    ]


def test_markers_match_anywhere_and_empty_sections_are_dropped() -> None:
    assert render_messages("SYSTEM: be brief USER: hi ASSISTANT:   \nUSER: again", {}) == [
        system("be brief"),
        user("hi"),
        user("again"),
    ]


def test_text_before_the_first_marker_is_ignored_as_in_v1() -> None:
    assert render_messages("preamble\nUSER: hi", {}) == [user("hi")]


def test_no_marker_is_one_user_message_and_lower_case_is_not_a_marker() -> None:
    assert render_messages("user: Recommend a {genre} book.", {"genre": "sci-fi"}) == [
        user("user: Recommend a sci-fi book.")
    ]
    assert render_messages("   ", {}) == []


def test_values_never_create_sections() -> None:
    assert render_messages("USER: {q}", {"q": "x ASSISTANT: y"}) == [user("x ASSISTANT: y")]


def test_section_that_renders_empty_is_dropped() -> None:
    assert render_messages("SYSTEM: {sys}\nUSER: hi", {"sys": None}) == [user("hi")]


# --- format specs ----------------------------------------------------------------------------


@dataclass
class Book:
    title: str
    year: int | None = None


def test_python_specs_attributes_indexing_and_conversions() -> None:
    attrs = {
        "price": 3.14159,
        "book": Book("Dune"),
        "items": ["a", "b"],
        "d": {"k": 7},
        "w": 6,
    }
    template = "{price:.2f} {book.title!r} {items[1]} {d[k]:03d} [{book.title:>{w}}] {book.year}"
    assert format_template(template, attrs) == "3.14 'Dune' b 007 [  Dune] "


def test_list_and_lists_specs() -> None:
    assert format_template("{x:list}", {"x": ["a", 1]}) == "a\n1"
    assert format_template("{x:lists}", {"x": [["a", "b"], ["c"]]}) == "a\nb\n\nc"
    assert format_template("{x:list}", {"x": None}) == ""


@pytest.mark.parametrize(
    ("template", "value", "message"),
    [
        ("{x:list}", "abc", "template variable 'x' uses the 'list' format spec but is a str"),
        ("{x:lists}", ["a"], "template variable 'x' uses the 'lists' format spec"),
        ("{x:.2f}", "abc", "template variable 'x' (str) cannot be formatted with spec '.2f'"),
        ("{x:d}", [1], "template variable 'x' (list) cannot be formatted with spec 'd'"),
    ],
)
def test_wrong_type_for_spec_raises_value_error(template: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        format_template(template, {"x": value})


def test_positional_fields_are_rejected() -> None:
    with pytest.raises(ValueError, match="named fields only"):
        format_template("{}", {})


@given(st.lists(st.one_of(st.integers(), st.text())))
def test_list_spec_joins_items_with_newlines(items: list[int | str]) -> None:
    assert format_template("{x:list}", {"x": items}) == "\n".join(str(i) for i in items)


@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([".2f", "e", "10.3g", ""]))
def test_numeric_specs_match_python(value: float, spec: str) -> None:
    assert format_template(f"{{v:{spec}}}", {"v": value}) == format(value, spec)


_plain_text = st.text(
    alphabet=st.characters(blacklist_characters="{}", blacklist_categories=("Cs",)), max_size=60
).filter(lambda s: not any(m in s for m in ("SYSTEM:", "USER:", "ASSISTANT:", "MESSAGES:")))


@given(_plain_text)
def test_text_without_fields_or_markers_is_one_cleaned_user_message(text: str) -> None:
    cleaned = clean_template(text)
    expected = [user(cleaned)] if cleaned.strip() else []
    assert render_messages(text, {}) == expected


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1))
def test_any_value_renders_verbatim_in_its_section(value: str) -> None:
    expected = [system("s"), user(value)] if value.strip() else [system("s")]
    assert render_messages("SYSTEM: s\nUSER: {v}", {"v": value}) == expected


# --- missing variables -----------------------------------------------------------------------


def test_missing_variable_names_it_and_lists_what_the_template_needs() -> None:
    with pytest.raises(MissingTemplateVariableError) as info:
        render_messages(
            "SYSTEM: {persona}\nUSER: Recommend a {genre} book by {author.name}.",
            {"persona": "librarian"},
        )
    assert str(info.value) == (
        "prompt template variable 'genre' was not provided; "
        "the template needs: persona, genre, author"
    )
    assert info.value.variable == "genre"
    assert isinstance(info.value, KeyError)
    assert isinstance(info.value, ValueError)


def test_missing_attribute_names_the_field() -> None:
    with pytest.raises(
        MissingTemplateVariableError, match=re.escape("field 'book.author' could not be")
    ):
        format_template("{book.author}", {"book": Book("Dune")})
    with pytest.raises(
        MissingTemplateVariableError, match=re.escape("variable 'self.x' was not provided")
    ):
        format_template("{self.x}", {})


# --- MESSAGES --------------------------------------------------------------------------------


def test_messages_splices_history_of_params_and_groq_dicts() -> None:
    native = {"role": "assistant", "content": "Dune."}
    history = [user("Recommend a book."), native]
    result = render_messages(
        "SYSTEM: librarian\nMESSAGES: {history}\nUSER: {q}",
        {
            "history": history,
            "q": "Another?",
        },
    )
    assert result == [system("librarian"), user("Recommend a book."), native, user("Another?")]
    assert result[2] is native


def test_messages_reads_self_attribute() -> None:
    @dataclass
    class Chat:
        history: list[BaseMessageParam]

    chat = Chat([user("hi")])
    assert render_messages("MESSAGES: {self.history}", {"self": chat}) == [user("hi")]


@pytest.mark.parametrize(
    ("template", "value", "message"),
    [
        ("MESSAGES: {h}", "nope", "must be a list of messages, got a str"),
        ("MESSAGES: {h}", [1], "must hold BaseMessageParam objects or Groq message dicts"),
        ("MESSAGES: {h} and text", [], "must be followed by exactly one variable"),
    ],
)
def test_messages_misuse(template: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        render_messages(template, {"h": value})


# --- content-part specs ----------------------------------------------------------------------


def test_image_url_with_options_and_text_around() -> None:
    result = render_messages(
        "USER: Describe {url:image(detail=low)} briefly.", {"url": "https://example.com/a.png"}
    )
    assert result == [
        user(
            [
                TextPart(text="Describe"),
                ImageURLPart(url="https://example.com/a.png", detail="low"),
                TextPart(text="briefly."),
            ]
        )
    ]


@pytest.mark.parametrize(
    ("data", "media_type"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (GIF, "image/gif"), (WEBP, "image/webp")],
)
def test_image_bytes_are_sniffed(data: bytes, media_type: str) -> None:
    assert render_messages("{img:image}", {"img": data}) == [
        user([ImagePart(media_type=media_type, image=data, detail=None)])
    ]


def test_images_from_file_data_uri_and_gs_url(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(PNG)
    data_uri = "data:image/jpeg;base64," + base64.b64encode(JPEG).decode()
    result = render_messages("{imgs:images}", {"imgs": [str(path), data_uri, "gs://b/c.gif"]})
    assert result == [
        user(
            [
                ImagePart(media_type="image/png", image=PNG, detail=None),
                ImagePart(media_type="image/jpeg", image=JPEG, detail=None),
                ImageURLPart(url="gs://b/c.gif", detail=None),
            ]
        )
    ]


def test_audio_and_document_specs(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(PDF)
    result = render_messages(
        "{a:audio} {as:audios} {d:document} {ds:documents}",
        {
            "a": WAV,
            "as": ["https://x/y.mp3", b"OggS\x00"],
            "d": str(pdf),
            "ds": ["https://x/y.pdf"],
        },
    )
    assert result == [
        user(
            [
                AudioPart(media_type="audio/wav", audio=WAV),
                AudioURLPart(url="https://x/y.mp3"),
                AudioPart(media_type="audio/ogg", audio=b"OggS\x00"),
                DocumentPart(media_type="application/pdf", document=PDF),
                DocumentURLPart(url="https://x/y.pdf"),
            ]
        )
    ]


def test_text_part_and_cache_control_specs() -> None:
    result = render_messages(
        "SYSTEM: {a:text} {b:texts} {:cache_control} {p:part} {ps:parts} {:cache_control(type=x)}",
        {"a": "one", "b": ["two", "three"], "p": "four", "ps": [TextPart(text="five")]},
    )
    assert result == [
        system(
            [
                TextPart(text="one"),
                TextPart(text="two"),
                TextPart(text="three"),
                CacheControlPart(cache_type="ephemeral"),
                TextPart(text="four"),
                TextPart(text="five"),
                CacheControlPart(cache_type="x"),
            ]
        )
    ]


def test_part_section_with_no_parts_is_dropped() -> None:
    assert render_messages("SYSTEM: s\nUSER: {imgs:images}", {"imgs": []}) == [system("s")]


@pytest.mark.parametrize(
    ("template", "value", "message"),
    [
        ("{x:image}", b"not an image", "unsupported image type"),
        ("{x:audio}", b"nope", "unsupported audio type"),
        ("{x:document}", b"nope", "unsupported document type"),
        ("{x:image}", "/no/such/file.png", "could not load image for template variable 'x'"),
        ("{x:image}", 42, "uses the 'image' spec but is a int"),
        ("{x:images}", "https://a/b.png", "uses the 'images' spec but is a str, not a list"),
        ("{x:text}", 3, "uses the 'text' spec but is a int, not a str"),
        ("{x:part}", 3, "uses the 'part' spec"),
        ("{x:image(detail)}", "https://a", "must look like key=value"),
    ],
)
def test_part_spec_errors(template: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        render_messages(template, {"x": value})


def test_sniffers() -> None:
    assert sniff_image_type(b"\x00\x00\x00\x18ftypheic") == "heic"
    assert sniff_audio_type(b"ID3\x04") == "mp3"
    assert sniff_audio_type(b"\xff\xf1\x50") == "aac"
    assert sniff_audio_type(b"fLaC") == "flac"
    assert sniff_audio_type(b"FORM\x00\x00\x00\x00AIFF") == "aiff"
    assert sniff_document_type(PDF) == "application/pdf"


def test_template_variables_in_order() -> None:
    assert template_variables("USER: {b.t} {a:list} {b[0]} {x:{w}} {:cache_control}") == [
        "b",
        "a",
        "x",
        "w",
    ]


# --- resolve_messages ------------------------------------------------------------------------


def test_template_renders_with_args_and_computed_fields_without_mutating_fn_args() -> None:
    fn_args = {"genre": "fantasy"}
    config = {"computed_fields": {"author": "Le Guin"}}
    messages, dynamic = resolve_messages("A {genre} book by {author}.", config, fn_args)
    assert messages == [user("A fantasy book by Le Guin.")]
    assert dynamic is config
    assert fn_args == {"genre": "fantasy"}  # B21


def test_dynamic_messages_replace_the_template() -> None:
    config = {"messages": [Messages.User("override"), {"role": "user", "content": "raw"}]}
    messages, dynamic = resolve_messages("never {rendered}", config, {})
    assert messages == [user("override"), {"role": "user", "content": "raw"}]
    assert dynamic is config


def test_template_with_none_or_ellipsis() -> None:
    assert resolve_messages("hi {x}", None, {"x": 1}) == ([user("hi 1")], {})
    assert resolve_messages("hi {x}", ..., {"x": 1}) == ([user("hi 1")], {})


@pytest.mark.parametrize(
    ("returned", "expected"),
    [
        ("Recommend a book.", [user("Recommend a book.")]),
        (
            ["Look:", ImageURLPart(url="u", detail=None)],
            [user([TextPart(text="Look:"), ImageURLPart(url="u", detail=None)])],
        ),
        (Messages.System("s"), [system("s")]),
        (
            [Messages.System("s"), {"role": "user", "content": "u"}],
            [
                system("s"),
                {"role": "user", "content": "u"},
            ],
        ),
        ([], []),
    ],
)
def test_shorthand_return_values(returned: object, expected: list[Any]) -> None:
    assert resolve_messages(None, returned, {}) == (expected, {})


def test_bare_list_replaces_a_template_too() -> None:
    assert resolve_messages("ignored {x}", [Messages.User("u")], {}) == ([user("u")], {})


@pytest.mark.parametrize(
    ("template", "returned", "message"),
    [
        (None, None, "has no prompt template and returned no messages"),
        (None, {"computed_fields": {}}, "dynamic config has no 'messages'"),
        (None, ["text", Messages.User("u")], "mixing messages with message content"),
        (None, 42, "returned a int"),
        ("t", "a str", "may return only None or a dynamic config dict"),
    ],
)
def test_unusable_return_values(template: str | None, returned: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        resolve_messages(template, returned, {})


# --- prompt_template -------------------------------------------------------------------------


def test_prompt_template_function_returns_messages_and_carries_attributes() -> None:
    def recommend(genre: str, n: int = 2) -> None: ...

    decorated = prompt_template("""
        SYSTEM: You are a librarian.
        USER: Recommend {n} {genre} books.
        """)(recommend)
    assert decorated("fantasy") == [
        system("You are a librarian."),
        user("Recommend 2 fantasy books."),
    ]
    assert decorated.__name__ == "recommend"
    assert get_prompt_template(decorated) == (
        "SYSTEM: You are a librarian.\nUSER: Recommend {n} {genre} books."
    )
    assert get_original_fn(decorated) is recommend


def test_prompt_template_uses_computed_fields() -> None:
    @prompt_template("Recommend a {genre} book by {author}.")
    def recommend(genre: str) -> dict[str, Any]:
        return {"computed_fields": {"author": genre.upper()}}

    assert recommend("x") == [user("Recommend a x book by X.")]


def test_prompt_template_missing_variable_raises_at_call_time() -> None:
    @prompt_template("Recommend a {genre} book.")
    def recommend(topic: str) -> None: ...

    with pytest.raises(MissingTemplateVariableError, match="'genre' was not provided"):
        recommend("x")


def test_prompt_template_async_function() -> None:
    @prompt_template("Recommend a {genre} book.")
    async def recommend(genre: str) -> None: ...

    assert asyncio.run(recommend("fantasy")) == [user("Recommend a fantasy book.")]


def test_prompt_template_on_method_sees_self() -> None:
    class Librarian:
        name = "Ursula"

        @prompt_template("SYSTEM: You are {self.name}.\nUSER: {q}")
        def prompt(self, q: str) -> None: ...

    assert Librarian().prompt("hi") == [system("You are Ursula."), user("hi")]


def test_shorthand_prompt_template() -> None:
    @prompt_template()
    def recommend(genre: str) -> Messages.Type:
        return [Messages.System("s"), Messages.User(f"Recommend a {genre} book.")]

    assert recommend("x") == [system("s"), user("Recommend a x book.")]
    assert get_prompt_template(recommend) is None


def test_prompt_template_on_class_sets_attribute() -> None:
    @prompt_template("  Recommend a {genre} book.  ")
    class RecommendPrompt:
        genre: str = "x"

    assert get_prompt_template(RecommendPrompt) == "Recommend a {genre} book."
    with pytest.raises(TypeError, match="needs a template string"):
        prompt_template()(RecommendPrompt)


def test_docstring_template_only_when_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    def recommend(genre: str) -> None:
        """Recommend a {genre} book."""

    monkeypatch.delenv("MIRASCOPE_DOCSTRING_PROMPT_TEMPLATE", raising=False)
    assert get_prompt_template(recommend) is None
    monkeypatch.setenv("MIRASCOPE_DOCSTRING_PROMPT_TEMPLATE", "ENABLED")
    assert get_prompt_template(recommend) == "Recommend a {genre} book."


def test_get_fn_args_binds_defaults_and_self() -> None:
    class A:
        def m(self, x: int, y: int = 3) -> None: ...

    a = A()
    assert get_fn_args(A.m, (a, 1), {}) == {"self": a, "x": 1, "y": 3}
    with pytest.raises(TypeError):
        get_fn_args(A.m, (), {})


# --- metadata --------------------------------------------------------------------------------


def test_metadata_decorator_and_dynamic_override() -> None:
    tags: Metadata = {"tags": {"v1"}}

    @metadata(tags)
    @prompt_template("hi")
    def fn() -> None: ...

    @prompt_template("hi")
    @metadata(tags)
    def fn2() -> None: ...

    @metadata({"tags": {"c"}})
    class Cls: ...

    assert get_metadata(fn) == {"tags": {"v1"}}
    assert get_metadata(fn2) == {"tags": {"v1"}}  # functools.wraps copies it onto the wrapper
    assert get_metadata(Cls) == {"tags": {"c"}}
    assert get_metadata(fn, {"metadata": {"tags": {"d"}}}) == {"tags": {"d"}}
    assert get_metadata(lambda: None) == {}
