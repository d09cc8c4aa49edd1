"""BaseTool, GroqTool, the tool conversions, `convert_tools` and `transform_tool_outputs`."""

from __future__ import annotations

import base64
import json
import warnings
from typing import Annotated, Any, Literal

import pytest
from groq.types.chat import ChatCompletionMessageToolCall
from groq.types.chat.chat_completion_chunk import ChoiceDeltaToolCall, ChoiceDeltaToolCallFunction
from groq.types.chat.chat_completion_message_tool_call import Function
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from mirascope.core.base.tool import (
    DEFAULT_TOOL_DOCSTRING,
    BaseTool,
    GenerateJsonSchemaNoTitles,
    ToolConfig,
    transform_tool_outputs,
)
from mirascope.core.groq.tool import GroqTool, convert_tools


def make_call(name: str, arguments: str, id: str = "tk85n1k4m") -> ChatCompletionMessageToolCall:
    return ChatCompletionMessageToolCall(
        id=id, type="function", function=Function(name=name, arguments=arguments)
    )


class GetWeather(GroqTool):
    """Get the current weather in a city."""

    city: str

    def call(self) -> str:
        return f"It is sunny in {self.city}."


# --- schemas ---------------------------------------------------------------------------------


def test_tool_schema_exact() -> None:
    assert GetWeather.tool_schema() == {
        "type": "function",
        "function": {
            "name": "GetWeather",
            "description": "Get the current weather in a city.",
            "parameters": {
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
                "type": "object",
            },
        },
    }


def test_title_kept_only_when_it_differs_from_the_key() -> None:
    class Author(BaseModel):
        name: str

    class FindBook(GroqTool):
        """Find a book."""

        city: str
        book_title: str
        genre: str = Field(title="Kind of book")
        author: Author
        tags: list[str] = []

        def call(self) -> None: ...

    assert FindBook.model_json_schema() == {
        "$defs": {
            "Author": {
                "properties": {"name": {"type": "string"}},
                "required": ["name"],
                "type": "object",
            }
        },
        "properties": {
            "city": {"type": "string"},
            "book_title": {"title": "Book Title", "type": "string"},
            "genre": {"title": "Kind of book", "type": "string"},
            "author": {"$ref": "#/$defs/Author"},
            "tags": {"default": [], "items": {"type": "string"}, "type": "array"},
        },
        "required": ["city", "book_title", "genre", "author"],
        "type": "object",
    }


def test_generator_strips_root_title_and_description() -> None:
    class Doc(BaseModel):
        """Root description."""

        city: str

    schema = Doc.model_json_schema(schema_generator=GenerateJsonSchemaNoTitles)
    assert schema == {
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "type": "object",
    }


def test_no_argument_tool_omits_parameters() -> None:
    class Ping(GroqTool):
        def call(self) -> str:
            return "pong"

    assert Ping.tool_schema() == {
        "type": "function",
        "function": {"name": "Ping", "description": DEFAULT_TOOL_DOCSTRING},
    }


def test_custom_name_and_cleaned_docstring() -> None:
    class Named(GroqTool):
        """
        First line.

            Indented detail.
        """

        __custom_name__ = "named_tool"

        def call(self) -> None: ...

    assert Named._name() == "named_tool"
    assert Named._description() == "First line.\n\n    Indented detail."


def test_base_tool_has_no_tool_schema() -> None:
    with pytest.raises(RuntimeError, match="provider-specific"):
        BaseTool.tool_schema()


def test_groq_tool_requires_tool_call() -> None:
    with pytest.raises(ValidationError, match="tool_call"):
        GetWeather(city="Paris")  # pyright: ignore[reportCallIssue]


# --- from_tool_call --------------------------------------------------------------------------


def test_from_tool_call_parses_and_keeps_the_call() -> None:
    call = make_call("GetWeather", '{"city": "Paris"}')
    tool = GetWeather.from_tool_call(call)
    assert tool.city == "Paris"
    assert tool.tool_call is call
    assert tool.id == "tk85n1k4m"
    assert tool.args == {"city": "Paris"}
    assert tool.call() == "It is sunny in Paris."


def test_empty_arguments_mean_no_arguments() -> None:
    """B19: a tool whose arguments are "" is valid."""

    class Ping(GroqTool):
        def call(self) -> str:
            return "pong"

    tool = Ping.from_tool_call(make_call("Ping", ""))
    assert tool.args == {}
    assert tool.call() == "pong"


def test_from_tool_call_is_strict() -> None:
    with pytest.raises(ValueError):
        GetWeather.from_tool_call(make_call("GetWeather", '{"city": "Par'))
    with pytest.raises(ValueError, match="JSON object"):
        GetWeather.from_tool_call(make_call("GetWeather", "[1, 2]"))
    with pytest.raises(ValidationError):
        GetWeather.from_tool_call(make_call("GetWeather", '{"town": "Paris"}'))


def test_from_tool_call_accepts_an_assembled_stream_delta() -> None:
    delta = ChoiceDeltaToolCall(
        index=0,
        id="call_1",
        type="function",
        function=ChoiceDeltaToolCallFunction(name="GetWeather", arguments='{"city": "Rome"}'),
    )
    tool = GetWeather.from_tool_call(delta)
    assert tool.city == "Rome"
    assert isinstance(tool.tool_call, ChatCompletionMessageToolCall)
    assert tool.tool_call.id == "call_1"


def test_from_tool_call_allow_partial() -> None:
    class Book(BaseModel):
        title: str
        year: int

    class Shelf(GroqTool):
        owner: str
        books: list[Book]

        def call(self) -> int:
            return len(self.books or [])

    args = '{"owner": "Ann", "books": [{"title": "Dune", "year": 1965}, {"title": "The Na'
    call = make_call("Shelf", args)
    tool = Shelf.from_tool_call(call, allow_partial=True)
    assert isinstance(tool, Shelf)
    assert tool.tool_call is call
    assert tool.owner == "Ann"
    assert [(b.title, b.year) for b in tool.books] == [("Dune", 1965), ("The Na", None)]
    assert tool.call() == 2
    assert tool.id == "tk85n1k4m"
    with pytest.raises(ValueError):
        Shelf.from_tool_call(make_call("Shelf", args))


def test_partial_tool_of_a_frozen_model() -> None:
    class Frozen(GroqTool):
        model_config = ConfigDict(frozen=True)

        name: str
        count: int

        def call(self) -> str:
            return self.name

    tool = Frozen.from_tool_call(make_call("Frozen", '{"name": "ab'), allow_partial=True)
    assert (tool.name, tool.count, tool.id) == ("ab", None, "tk85n1k4m")


# --- functions -------------------------------------------------------------------------------


def format_book(title: str, author: str, genre: str = "fantasy") -> str:
    """Format a book recommendation.

    Args:
        title: The title of the book.
        author: The author of the book.
        genre: The genre of the book.
    """
    return f"{title} by {author} ({genre})"


def test_b13_function_tool_keeps_descriptions_and_defaults() -> None:
    tool_type = GroqTool.type_from_fn(format_book)
    assert tool_type.tool_schema() == {
        "type": "function",
        "function": {
            "name": "format_book",
            "description": "Format a book recommendation.",
            "parameters": {
                "properties": {
                    "title": {"description": "The title of the book.", "type": "string"},
                    "author": {"description": "The author of the book.", "type": "string"},
                    "genre": {
                        "default": "fantasy",
                        "description": "The genre of the book.",
                        "type": "string",
                    },
                },
                "required": ["title", "author"],
                "type": "object",
            },
        },
    }
    tool = tool_type.from_tool_call(make_call("format_book", '{"title": "Dune", "author": "FH"}'))
    assert tool.args == {"title": "Dune", "author": "FH", "genre": "fantasy"}
    assert tool.call() == "Dune by FH (fantasy)"


def test_numpy_and_rest_docstrings() -> None:
    def numpy_style(city: str) -> str:
        """Weather.

        Parameters
        ----------
        city : str
            The city name.
        """
        return city

    def rest_style(city: str) -> str:
        """Weather.

        :param city: The city name.
        """
        return city

    for fn in (numpy_style, rest_style):
        schema = GroqTool.type_from_fn(fn).model_json_schema()
        assert schema["properties"] == {"city": {"description": "The city name.", "type": "string"}}


def test_undocumented_function_gets_default_description() -> None:
    def ping() -> str:
        return "pong"

    tool_type = GroqTool.type_from_fn(ping)
    assert tool_type._description() == DEFAULT_TOOL_DOCSTRING
    assert tool_type.tool_schema() == {
        "type": "function",
        "function": {"name": "ping", "description": DEFAULT_TOOL_DOCSTRING},
    }
    assert tool_type.from_tool_call(make_call("ping", "")).call() == "pong"


def test_docstring_examples_become_schema_examples() -> None:
    def get_weather(city: str) -> str:
        """Get the weather.

        Args:
            city: The city.

        Example:
            {"city": "Paris"}
        """
        return city

    schema = GroqTool.type_from_fn(get_weather).model_json_schema()
    assert schema["examples"] == [{"city": "Paris"}]


async def test_async_function_gets_async_call() -> None:
    async def fetch(city: str, days: int = 3) -> str:
        """Fetch a forecast."""
        return f"{city}:{days}"

    tool = GroqTool.type_from_fn(fetch).from_tool_call(make_call("fetch", '{"city": "Oslo"}'))
    assert await tool.call() == "Oslo:3"


def test_bound_and_unbound_methods() -> None:
    class Librarian(BaseModel):
        name: str

        def lend(self, title: str) -> str:
            """Lend a book.

            Args:
                title: The book.
            """
            return f"{self.name} lends {title}"

    librarian = Librarian(name="Ann")
    bound = GroqTool.type_from_fn(librarian.lend)
    assert bound.model_json_schema()["properties"] == {
        "title": {"description": "The book.", "type": "string"}
    }
    assert bound.from_tool_call(make_call("lend", '{"title": "Dune"}')).call() == "Ann lends Dune"

    def unbound(self: Any, title: str) -> str:
        return f"{type(self).__name__}:{title}"

    tool = GroqTool.type_from_fn(unbound).from_tool_call(make_call("unbound", '{"title": "X"}'))
    assert tool.call() == "unbound:X"  # the tool instance stands in for `self`


def test_reserved_parameter_names_are_aliased() -> None:
    def lookup(model_name: str, id: int, args: str = "") -> str:
        return f"{model_name}/{id}/{args}"

    tool_type = GroqTool.type_from_fn(lookup)
    schema = tool_type.model_json_schema()
    assert sorted(schema["properties"]) == ["args", "id", "model_name"]
    assert schema["required"] == ["model_name", "id"]
    tool = tool_type.from_tool_call(make_call("lookup", '{"model_name": "m", "id": 7}'))
    assert tool.call() == "m/7/"
    assert tool.id == "tk85n1k4m"  # the property still means the tool call id


def test_positional_only_and_field_defaults() -> None:
    def scale(value: float, /, factor: Annotated[float, Field(gt=0)] = 2.0) -> float:
        return value * factor

    def level(n: int = Field(default=1, ge=1, description="The level.")) -> int:
        return n

    assert (
        GroqTool.type_from_fn(scale).from_tool_call(make_call("scale", '{"value": 3}')).call() == 6
    )
    level_type = GroqTool.type_from_fn(level)
    assert level_type.model_json_schema()["properties"] == {
        "n": {"default": 1, "description": "The level.", "minimum": 1, "type": "integer"}
    }
    assert level_type.from_tool_call(make_call("level", "")).call() == 1


@pytest.mark.parametrize(
    ("source", "error", "match"),
    [
        ("def f(*items: int) -> None: ...", TypeError, r"'f'.*\*items"),
        ("def f(**options: int) -> None: ...", TypeError, r"'f'.*\*\*options"),
        ("def f(city) -> None: ...", ValueError, r"'city' of 'f' has no type annotation"),
        ("def f(_secret: int) -> None: ...", ValueError, r"'_secret' of 'f'"),
        ("def f(tool_call: str) -> None: ...", ValueError, r"'tool_call' of 'f'"),
    ],
)
def test_functions_that_cannot_be_tools(source: str, error: type[Exception], match: str) -> None:
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    with pytest.raises(error, match=match):
        GroqTool.type_from_fn(namespace["f"])


# --- models and base types -------------------------------------------------------------------


class GetBookAuthor(BaseModel):
    """Get the author of a book."""

    title: str

    def call(self) -> str:
        return f"Author of {self.title}"


def test_model_tool_is_instance_of_the_original() -> None:
    tool_type = GroqTool.type_from_base_model_type(GetBookAuthor)
    tool = tool_type.from_tool_call(make_call("GetBookAuthor", '{"title": "Dune"}'))
    assert isinstance(tool, GetBookAuthor)
    assert isinstance(tool, GroqTool)
    assert tool.call() == "Author of Dune"
    assert tool_type.tool_schema() == {
        "type": "function",
        "function": {
            "name": "GetBookAuthor",
            "description": "Get the author of a book.",
            "parameters": {
                "properties": {"title": {"type": "string"}},
                "required": ["title"],
                "type": "object",
            },
        },
    }


def test_base_tool_subclass_keeps_name_config_and_call() -> None:
    class Lookup(BaseTool):
        __custom_name__ = "lookup_book"

        isbn: str

        def call(self) -> str:
            return self.isbn

    (tool_type,) = convert_tools([Lookup])
    tool = tool_type.from_tool_call(make_call("lookup_book", '{"isbn": "42"}'))
    assert isinstance(tool, Lookup)
    assert tool_type._name() == "lookup_book"
    assert tool.call() == "42"


def test_model_without_call_raises_on_call() -> None:
    class Plain(BaseModel):
        x: int

    tool = GroqTool.type_from_base_model_type(Plain).from_tool_call(make_call("Plain", '{"x": 1}'))
    with pytest.raises(NotImplementedError):
        tool.call()


def test_from_call_args_fields_leave_the_schema() -> None:
    class FromCallArgs:  # the marker is matched by name
        pass

    class Reply(BaseModel):
        answer: str
        question: Annotated[str, FromCallArgs()]

    tool_type = GroqTool.type_from_base_model_type(Reply)
    assert tool_type.model_json_schema() == {
        "properties": {"answer": {"type": "string"}},
        "required": ["answer"],
        "type": "object",
    }
    assert tool_type.from_tool_call(make_call("Reply", '{"answer": "yes"}')).args == {
        "answer": "yes",
        "question": None,
    }


def test_base_type_tool() -> None:
    tool_type = GroqTool.type_from_base_type(list[str])
    assert tool_type._name() == "list"
    assert tool_type.model_json_schema() == {
        "properties": {"value": {"items": {"type": "string"}, "type": "array"}},
        "required": ["value"],
        "type": "object",
    }
    tool = tool_type.from_tool_call(make_call("list", '{"value": ["a", "b"]}'))
    assert tool.args == {"value": ["a", "b"]}


# --- convert_tools ---------------------------------------------------------------------------


def test_convert_tools_caches_conversions() -> None:
    class Librarian(BaseModel):  # unhashable instances
        name: str

        def lend(self, title: str) -> str:
            return f"{self.name}:{title}"

    ann, bob = Librarian(name="ann"), Librarian(name="bob")
    first = convert_tools([format_book, GetBookAuthor, GetWeather, ann.lend])
    second = convert_tools([format_book, GetBookAuthor, GetWeather, ann.lend])
    assert first == second
    assert first[2] is GetWeather
    (bob_tool,) = convert_tools([bob.lend])
    assert bob_tool is not first[3]
    assert bob_tool.from_tool_call(make_call("lend", '{"title": "x"}')).call() == "bob:x"
    assert convert_tools(None) == []
    assert convert_tools([]) == []


def test_convert_tools_rejects_other_things() -> None:
    with pytest.raises(TypeError, match="'int'"):
        convert_tools([int])  # pyright: ignore[reportArgumentType]
    with pytest.raises(TypeError):
        convert_tools([42])  # pyright: ignore[reportArgumentType]


# --- configuration warnings ------------------------------------------------------------------


def test_warn_for_unsupported_configurations() -> None:
    class Configured(GroqTool):
        tool_config = ToolConfig(**{"strict": True})  # pyright: ignore[reportCallIssue]

        def call(self) -> None: ...

    class Strict(GroqTool):
        model_config = ConfigDict(strict=True)

        def call(self) -> None: ...

    with pytest.warns(UserWarning, match=r"groq does not support .*\['strict'\]"):
        Configured.warn_for_unsupported_configurations()
    with pytest.warns(UserWarning, match="strict structured outputs"):
        Strict.warn_for_unsupported_configurations()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        GetWeather.warn_for_unsupported_configurations()


# --- transform_tool_outputs ------------------------------------------------------------------


class Forecast(BaseModel):
    city: str
    temps: tuple[int, ...]


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("plain text", "plain text"),
        (b"\x00\xffbytes", base64.b64encode(b"\x00\xffbytes").decode()),
        (Forecast(city="Oslo", temps=(1, 2)), '{"city":"Oslo","temps":[1,2]}'),
        ({"tags": ("a", "b"), "seen": {3}}, '{"tags": ["a", "b"], "seen": [3]}'),
        ([Forecast(city="Rome", temps=())], '[{"city": "Rome", "temps": []}]'),
        (42, "42"),
        (None, "null"),
    ],
)
def test_transform_tool_outputs(output: Any, expected: str) -> None:
    tool = GetWeather.from_tool_call(make_call("GetWeather", '{"city": "x"}'))
    assert transform_tool_outputs([(tool, output)]) == [(tool, expected)]


def test_transform_tool_outputs_rejects_unsupported_types() -> None:
    tool = GetWeather.from_tool_call(make_call("GetWeather", '{"city": "x"}'))
    unsupported: Any = {"x": object()}
    with pytest.raises(TypeError, match=r"type object from tool 'GetWeather'"):
        transform_tool_outputs([(tool, unsupported)])
    tuple_key: Any = {(1, 2): "tuple key"}
    with pytest.raises(TypeError, match=r"output of tool 'GetWeather' \(dict\)"):
        transform_tool_outputs([(tool, tuple_key)])


def test_transform_tool_outputs_as_a_v1_decorator() -> None:
    class Response:
        @classmethod
        @transform_tool_outputs
        def tool_message_params(cls, tools_and_outputs: list[tuple[GroqTool, str]]) -> list[str]:
            return [output for _, output in tools_and_outputs]

    tool = GetWeather.from_tool_call(make_call("GetWeather", '{"city": "x"}'))
    assert Response.tool_message_params([(tool, {"a": (1,)})]) == ['{"a": [1]}']


_json_leaf = st.none() | st.booleans() | st.integers() | st.text()
_tupled = st.recursive(
    _json_leaf,
    lambda inner: (
        st.lists(inner).map(tuple)
        | st.lists(inner)
        | st.dictionaries(st.text(), inner)
        | st.frozensets(st.integers())
    ),
    max_leaves=20,
)


def _untuple(value: Any) -> Any:
    if isinstance(value, (tuple, list, frozenset)):
        return [_untuple(item) for item in value]  # pyright: ignore[reportUnknownVariableType]
    if isinstance(value, dict):
        return {k: _untuple(v) for k, v in value.items()}  # pyright: ignore[reportUnknownVariableType]
    return value


@given(_tupled)
def test_transform_tool_outputs_round_trips(value: Any) -> None:
    tool = GetWeather.from_tool_call(make_call("GetWeather", '{"city": "x"}'))
    ((_, text),) = transform_tool_outputs([(tool, value)])
    if isinstance(value, str):
        assert text == value
    else:
        assert json.loads(text) == _untuple(value)


def test_literal_fields_schema() -> None:
    class Pick(GroqTool):
        kind: Literal["a", "b"]

        def call(self) -> None: ...

    assert Pick.model_json_schema() == {
        "properties": {"kind": {"enum": ["a", "b"], "type": "string"}},
        "required": ["kind"],
        "type": "object",
    }
