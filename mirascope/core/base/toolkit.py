"""`BaseToolKit`: a pydantic model whose `@toolkit_tool` methods become tools.

A toolkit's state fills the tools' descriptions: a method docstring such as
`"Recommend a {self.genre} book."` is formatted with the toolkit instance when `create_tools()`
runs. Mistakes are reported when the subclass is defined, not when a call is made.
"""

from __future__ import annotations

import inspect
import string
import threading
from abc import ABC
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict

from ._tool_convert import convert_function_to_tool
from .tool import BaseTool

__all__ = ["BaseToolKit", "ToolKitToolMethod", "is_toolkit_tool", "toolkit_tool"]

_TOOLKIT_TOOL_MARKER = "__mirascope_toolkit_tool__"

_CallableT = TypeVar("_CallableT", bound=Callable[..., Any])

_namespaces: set[str] = set()
_namespaces_lock = threading.Lock()


def toolkit_tool(method: _CallableT) -> _CallableT:
    """Mark a `BaseToolKit` method as a tool; its docstring may use `{self.<field>}`.

    Example:
        ```python
        class BookTools(BaseToolKit):
            __namespace__ = "books"
            reading_level: str

            @toolkit_tool
            def suggest_author(self, author: str) -> str:
                \"\"\"Suggest an author for a {self.reading_level} reader.

                Args:
                    author: The author's name.
                \"\"\"
                return f"I suggest {author}."
        ```
    """
    setattr(method, _TOOLKIT_TOOL_MARKER, True)
    return method


def is_toolkit_tool(method: object) -> bool:
    """Whether `method` is marked `@toolkit_tool` (v1's helper)."""
    return getattr(method, _TOOLKIT_TOOL_MARKER, False) is True


class ToolKitToolMethod(NamedTuple):
    """v1's record of a toolkit method: the method, its template variables and template."""

    method: Callable[..., str]
    template_vars: list[str]
    template: str


@dataclass(frozen=True)
class _ToolKitMethod:
    """A `@toolkit_tool` method with its cleaned docstring template."""

    name: str
    template: str


def _template_fields(template: str, where: str) -> list[str]:
    """The placeholder names of a docstring template, in order (`self.x`, `genre`, ...)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"The docstring of {where} is not a valid template: {exc}") from exc
    return [field_name for _, field_name, _, _ in parsed if field_name is not None]


def _keep_literal(template: str, fields: list[str]) -> str:
    """`template` with each non-`self` placeholder escaped, so formatting keeps it (v1)."""
    for field_name in fields:
        if not field_name.startswith("self."):
            template = template.replace(f"{{{field_name}}}", f"{{{{{field_name}}}}}")
    return template


class BaseToolKit(BaseModel, ABC):
    """A group of tools sharing state; `create_tools()` makes one tool per `@toolkit_tool`.

    Tools are named `<namespace>_<method>` when `__namespace__` is set (namespaces are unique
    across all toolkits), and their descriptions are the method docstrings formatted with the
    toolkit instance.

    Example:
        ```python
        toolkit = BookTools(reading_level="beginner")

        @groq.call("openai/gpt-oss-120b", tools=toolkit.create_tools())
        def recommend_author(genre: str) -> str:
            return f"What author should I read for {genre}?"
        ```

    Raises:
        ValueError: At class definition, in v1's order: the namespace is already used; a tool
            method has no docstring; a docstring uses `{self.x}` for a missing attribute; the
            toolkit (unless abstract) has no tool method. Other placeholders (`{genre}`) are
            kept literally in the description, as in v1.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    __namespace__: ClassVar[str | None] = None
    _toolkit_tool_methods: ClassVar[list[_ToolKitMethod]] = []

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Claim the namespace, then check the tool methods, in v1's order and wording."""
        super().__pydantic_init_subclass__(**kwargs)
        # Only a class that sets `__namespace__` itself claims it: v1 also claimed it again for
        # every subclass, so subclassing a namespaced toolkit raised (a README difference).
        namespace = cls.__dict__.get("__namespace__")
        if isinstance(namespace, str) and namespace:
            with _namespaces_lock:
                if namespace in _namespaces:
                    raise ValueError(f"The namespace {namespace} is already used")
                _namespaces.add(namespace)
        methods: dict[str, _ToolKitMethod] = {}
        # Walk the MRO base-first so a subclass can override an inherited tool method.
        for klass in reversed(cls.__mro__):
            for attr_name, attr in vars(klass).items():
                if not getattr(attr, _TOOLKIT_TOOL_MARKER, False):
                    continue
                where = f"{cls.__name__}.{attr_name}"
                doc: object = getattr(attr, "__doc__", None)
                if not isinstance(doc, str):
                    raise ValueError(f"The toolkit_tool method must have a docstring ({where})")
                template = inspect.cleandoc(doc)
                fields = _template_fields(template, where)
                for field_name in fields:
                    if not field_name.startswith("self."):
                        continue  # kept literally: a call used as a tool may fill it later
                    attribute = field_name.removeprefix("self.").split(".")[0].split("[")[0]
                    if attribute not in cls.model_fields and not hasattr(cls, attribute):
                        raise ValueError(
                            f"The toolkit_tool method template variable {field_name} is not "
                            f"found in the class ({where})"
                        )
                methods[attr_name] = _ToolKitMethod(
                    name=attr_name, template=_keep_literal(template, fields)
                )
        cls._toolkit_tool_methods = list(methods.values())
        if ABC in cls.__bases__ or any(
            ABC in base.__bases__ for base in cls.__bases__ if base is not BaseToolKit
        ):
            return  # an abstract intermediate toolkit may have no tool methods yet (v1)
        if not methods:
            raise ValueError(f"No toolkit_tool method found in {cls.__name__}")

    def create_tools(self) -> list[type[BaseTool]]:
        """Make one tool class per `@toolkit_tool` method, bound to this toolkit instance.

        Example:
            ```python
            [t._name() for t in BookTools(reading_level="beginner").create_tools()]
            # ["books_suggest_author"]
            ```
        """
        namespace = type(self).__namespace__
        return [
            convert_function_to_tool(
                getattr(self, method.name),
                BaseTool,
                docstring=method.template.format(self=self),
                name=f"{namespace}_{method.name}" if namespace else method.name,
            )
            for method in self._toolkit_tool_methods
        ]
