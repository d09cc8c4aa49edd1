"""`BaseToolKit` and `@toolkit_tool`: namespaced, templated tools and definition-time errors."""

from __future__ import annotations

import pytest
from groq.types.chat import ChatCompletionMessageToolCall
from groq.types.chat.chat_completion_message_tool_call import Function

from mirascope.core.base.tool import BaseTool
from mirascope.core.base.toolkit import BaseToolKit, toolkit_tool
from mirascope.core.groq.tool import GroqTool, convert_tools


def make_call(name: str, arguments: str) -> ChatCompletionMessageToolCall:
    return ChatCompletionMessageToolCall(
        id="call_1", type="function", function=Function(name=name, arguments=arguments)
    )


class BookTools(BaseToolKit):
    __namespace__ = "test_books"

    reading_level: str

    @toolkit_tool
    def suggest_author(self, author: str, era: str = "modern") -> str:
        """Suggest an author for a {self.reading_level} reader.

        Args:
            author: The author's name.
            era: The period the author wrote in.
        """
        return f"{author} ({era}) for {self.reading_level}"

    @toolkit_tool
    def count_pages(self, pages: int) -> int:
        """Count pages."""
        return pages

    def helper(self) -> str:
        """Not a tool."""
        return "no"


def test_create_tools_namespaces_and_templates() -> None:
    tools = BookTools(reading_level="beginner").create_tools()
    assert [t._name() for t in tools] == ["test_books_suggest_author", "test_books_count_pages"]
    assert all(issubclass(t, BaseTool) for t in tools)
    (groq_tool, _) = convert_tools(tools)
    assert issubclass(groq_tool, GroqTool)
    assert groq_tool.tool_schema() == {
        "type": "function",
        "function": {
            "name": "test_books_suggest_author",
            "description": "Suggest an author for a beginner reader.",
            "parameters": {
                "properties": {
                    "author": {"description": "The author's name.", "type": "string"},
                    "era": {
                        "default": "modern",
                        "description": "The period the author wrote in.",
                        "type": "string",
                    },
                },
                "required": ["author"],
                "type": "object",
            },
        },
    }


def test_tools_call_the_bound_method() -> None:
    toolkit = BookTools(reading_level="expert")
    suggest, count = convert_tools(toolkit.create_tools())
    tool = suggest.from_tool_call(make_call("test_books_suggest_author", '{"author": "Le Guin"}'))
    assert tool.call() == "Le Guin (modern) for expert"
    assert count.from_tool_call(make_call("test_books_count_pages", '{"pages": 3}')).call() == 3


def test_without_namespace_tools_use_the_method_name() -> None:
    class Plain(BaseToolKit):
        @toolkit_tool
        def ping(self) -> str:
            """Ping."""
            return "pong"

    (tool_type,) = Plain().create_tools()
    assert tool_type._name() == "ping"


def test_no_tool_method_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"^No toolkit_tool method found"):

        class Empty(BaseToolKit):  # pyright: ignore[reportUnusedClass]
            def helper(self) -> None: ...


def test_tool_method_without_docstring_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"^The toolkit_tool method must have a docstring"):

        class NoDoc(BaseToolKit):  # pyright: ignore[reportUnusedClass]
            @toolkit_tool
            def ping(self) -> str:
                return "pong"


def test_template_with_missing_attribute_is_an_error() -> None:
    with pytest.raises(
        ValueError,
        match=r"^The toolkit_tool method template variable self\.level is not found in the class",
    ):

        class Missing(BaseToolKit):  # pyright: ignore[reportUnusedClass]
            reading_level: str

            @toolkit_tool
            def ping(self) -> str:
                """Ping for {self.level} readers."""
                return "pong"


def test_template_variable_without_self_is_kept_literally() -> None:
    """As in v1: `{level}` is left for a later templating step (e.g. a call used as a tool)."""

    class NoSelf(BaseToolKit):
        lang: str

        @toolkit_tool
        def ping(self) -> str:
            """Ping for {level} readers in {self.lang}."""
            return "pong"

    (tool_type,) = NoSelf(lang="fr").create_tools()
    assert tool_type._description() == "Ping for {level} readers in fr."


def test_checks_run_in_v1_order_namespace_first() -> None:
    class Taken(BaseToolKit):  # pyright: ignore[reportUnusedClass]
        __namespace__ = "test_order_ns"

        @toolkit_tool
        def ping(self) -> str:
            """Ping."""
            return "pong"

    # Both the namespace and the missing docstring are wrong: v1 reports the namespace.
    with pytest.raises(ValueError, match=r"^The namespace test_order_ns is already used"):

        class Again(BaseToolKit):  # pyright: ignore[reportUnusedClass]
            __namespace__ = "test_order_ns"

            @toolkit_tool
            def ping(self) -> str:
                return "pong"


def test_abstract_toolkit_may_have_no_tool_methods() -> None:
    from abc import ABC

    class Base(BaseToolKit, ABC):  # v1 skips the "no tool method" check for ABC subclasses
        pass

    class Concrete(Base):
        @toolkit_tool
        def ping(self) -> str:
            """Ping."""
            return "pong"

    assert [t._name() for t in Concrete().create_tools()] == ["ping"]


def test_namespace_must_be_unique() -> None:
    class First(BaseToolKit):  # pyright: ignore[reportUnusedClass]
        __namespace__ = "test_unique_ns"

        @toolkit_tool
        def ping(self) -> str:
            """Ping."""
            return "pong"

    with pytest.raises(ValueError, match=r"^The namespace test_unique_ns is already used"):

        class Second(BaseToolKit):  # pyright: ignore[reportUnusedClass]
            __namespace__ = "test_unique_ns"

            @toolkit_tool
            def ping(self) -> str:
                """Ping."""
                return "pong"


def test_properties_and_class_attributes_can_be_templated() -> None:
    class Shelf(BaseToolKit):
        __namespace__ = "test_shelf"
        label: str

        @property
        def shout(self) -> str:
            return self.label.upper()

        @toolkit_tool
        def find(self, title: str) -> str:
            """Find a book on the {self.shout} shelf."""
            return title

    class Child(Shelf):  # inherits the tool method and the namespace
        pass

    (tool_type,) = Child(label="sci-fi").create_tools()
    assert tool_type._description() == "Find a book on the SCI-FI shelf."
    assert tool_type._name() == "test_shelf_find"
