"""Configurable tools and toolkits (v1's `mirascope.tools.base`).

A `ConfigurableToolKit` holds nested `@toolkit_tool` tool classes; `create_tools()` returns
subclasses of them named `<namespace>_<Class>`, carrying the toolkit's fields (e.g. the
file-system sandbox) and its `config`.
"""

from __future__ import annotations

import inspect
from abc import ABC
from typing import Any, ClassVar, Generic, TypeVar, cast

from pydantic import BaseModel, ConfigDict, create_model

from mirascope.core import BaseTool, BaseToolKit


class _ConfigurableToolConfig(BaseModel, ABC):
    """Base of a tool's `Config`."""

    @classmethod
    def from_env(cls) -> Any:
        """The config with its defaults (subclasses may read the environment)."""
        return cls()


_ConfigT = TypeVar("_ConfigT", bound=_ConfigurableToolConfig)


class ConfigurableTool(BaseTool, Generic[_ConfigT], ABC):
    """A tool with a `Config` class; `from_config(config)` makes a configured subclass."""

    __configurable_tool_config__: ClassVar[Any]
    __prompt_usage_description__: ClassVar[str] = ""
    model_config = ConfigDict(arbitrary_types_allowed=True)

    @classmethod
    def _get_config(cls) -> Any:
        return cls.__configurable_tool_config__

    @classmethod
    def from_config(cls, config: Any) -> Any:
        """A subclass of this tool using `config`.

        Example:
            ```python
            Search = DuckDuckGoSearch.from_config(DuckDuckGoSearchConfig(max_results_per_query=2))
            ```
        """
        config_type: Any = cast(Any, type(cls._get_config()))
        config = config_type.model_validate(config)
        new: Any = create_model(
            cls.__name__, __base__=cls, __module__=cls.__module__, __doc__=cls.__doc__
        )
        new.__configurable_tool_config__ = config
        return new

    @classmethod
    def usage_description(cls) -> str:
        """How to use the tool, for a prompt."""
        return inspect.cleandoc(cls.__prompt_usage_description__)


class ConfigurableToolKit:
    """Mixed into a `BaseToolKit` of nested `ConfigurableTool` classes (fields and config shared).

    A mixin, not a `BaseToolKit` subclass: our `BaseToolKit` refuses a toolkit class without tool
    methods, and this base has none. Concrete toolkits list both bases:
    `class FileSystemToolKit(ConfigurableToolKit, BaseToolKit)`.
    """

    __prompt_usage_description__: ClassVar[str] = ""

    def create_tools(self) -> list[type[BaseTool]]:
        """One tool class per nested `@toolkit_tool` class, bound to this toolkit's fields."""
        kit = cast(BaseToolKit, self)
        namespace = type(kit).__namespace__
        tools: list[type[BaseTool]] = []
        for method in kit._toolkit_tool_methods:  # pyright: ignore[reportPrivateUsage]
            attr = getattr(type(kit), method.name)
            if not (inspect.isclass(attr) and issubclass(attr, BaseTool)):
                raise TypeError(f"{type(kit).__name__}.{method.name} is not a tool class")
            name = f"{namespace}_{attr.__name__}" if namespace else attr.__name__
            tool: Any = create_model(
                name, __base__=attr, __module__=attr.__module__, __doc__=method.template
            )
            for field in type(kit).model_fields:
                setattr(tool, field, getattr(kit, field))
            if "config" in kit.model_fields_set:
                tool.__configurable_tool_config__ = cast(Any, kit).config
            tools.append(tool)
        return tools

    @classmethod
    def usage_description(cls) -> str:
        """How to use the toolkit, for a prompt."""
        return inspect.cleandoc(cls.__prompt_usage_description__)


__all__ = ["ConfigurableTool", "ConfigurableToolKit"]
