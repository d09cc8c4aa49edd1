"""`GroqTool`: a `BaseTool` with Groq's tool schema and tool-call parsing.

Also `convert_tools`, which the call factory uses to turn the user's `tools=[...]` (functions,
`BaseTool` classes, pydantic models) into `GroqTool` classes, once per tool.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from groq.types.chat import (
    ChatCompletionMessageToolCall,
    ChatCompletionToolParam,
)
from groq.types.chat.chat_completion_chunk import ChoiceDeltaToolCall
from groq.types.chat.chat_completion_message_tool_call import Function
from groq.types.shared_params import FunctionDefinition
from pydantic import BaseModel
from pydantic.json_schema import SkipJsonSchema
from typing_extensions import Self

from ..base._partial import partial
from ..base.tool import BaseTool, ToolConfig

__all__ = ["GroqTool", "GroqToolConfig", "convert_tools"]


class GroqToolConfig(ToolConfig, total=False):
    """Groq-specific tool settings. Groq has none today; kept for the v1 name.

    Example:
        ```python
        class GetWeather(GroqTool):
            tool_config = GroqToolConfig()
        ```
    """


class GroqTool(BaseTool):
    """A tool for Groq: adds the tool call it came from, `tool_schema()` and `from_tool_call()`.

    Example:
        ```python
        from mirascope.core.groq import GroqTool

        class GetWeather(GroqTool):
            \"\"\"Get the current weather in a city.\"\"\"

            city: str

            def call(self) -> str:
                return f"It is sunny in {self.city}."

        GetWeather.tool_schema()["function"]["name"]  # "GetWeather"
        ```
    """

    __provider__ = "groq"
    __tool_config_type__ = GroqToolConfig

    tool_call: SkipJsonSchema[ChatCompletionMessageToolCall]
    """The SDK tool call this tool was parsed from."""

    @classmethod
    def tool_schema(cls) -> ChatCompletionToolParam:
        """The tool definition sent in the request's `tools`.

        `parameters` is omitted when the tool has no arguments.

        Example:
            ```python
            GetWeather.tool_schema()
            # {"type": "function", "function": {"name": "GetWeather",
            #   "description": "Get the current weather in a city.",
            #   "parameters": {"properties": {"city": {"type": "string"}},
            #                  "required": ["city"], "type": "object"}}}
            ```
        """
        cls.warn_for_unsupported_configurations()
        function = FunctionDefinition(name=cls._name(), description=cls._description())
        schema = cls.model_json_schema()
        if schema.get("properties"):
            function["parameters"] = schema
        return ChatCompletionToolParam(type="function", function=function)

    @classmethod
    def from_tool_call(
        cls,
        tool_call: ChatCompletionMessageToolCall | ChoiceDeltaToolCall,
        allow_partial: bool = False,
    ) -> Self:
        """Build the tool from a tool call in a Groq response.

        Arguments are parsed strictly with jiter; `""` means no arguments. With `allow_partial`,
        incomplete JSON is accepted and the result is an instance of the partial model (every
        field optional), which is still an instance of this class.

        Example:
            ```python
            tool = GetWeather.from_tool_call(response.choices[0].message.tool_calls[0])
            tool.city  # "Paris"
            ```

        Raises:
            ValueError: The arguments are not valid JSON (a `pydantic.ValidationError` when
                they do not match the fields).
        """
        if isinstance(tool_call, ChoiceDeltaToolCall):
            # An assembled streaming call: the SDK types every part of it as optional.
            function = tool_call.function
            tool_call = ChatCompletionMessageToolCall(
                id=tool_call.id or "",
                type="function",
                function=Function(
                    name=(function.name if function else None) or cls._name(),
                    arguments=(function.arguments if function else None) or "",
                ),
            )
        arguments = tool_call.function.arguments
        model_json = cls._dict_from_json(arguments, allow_partial=allow_partial)
        if allow_partial:
            tool = partial(cls).model_validate(model_json)
            # Set after validation, bypassing frozen/validate_assignment: the partial model would
            # turn the SDK object into a partial copy, and the call itself is always complete.
            object.__setattr__(tool, "tool_call", tool_call)
            tool.__pydantic_fields_set__.add("tool_call")
            return tool
        model_json["tool_call"] = tool_call
        return cls.model_validate(model_json)


ToolLike = type[BaseTool] | type[BaseModel] | Callable[..., Any]
"""What `tools=[...]` accepts: tool classes, pydantic models and plain functions."""

_CACHE_SIZE = 512
_cache: OrderedDict[Hashable, tuple[object, type[GroqTool]]] = OrderedDict()
_cache_lock = threading.Lock()


def _cache_key(tool: object) -> Hashable | None:
    """A key that identifies `tool`, or `None` when it cannot be cached."""
    owner: object = getattr(tool, "__self__", None)
    func: object = getattr(tool, "__func__", None)
    if owner is not None and func is not None:
        # Bound methods are new objects on every access and often bound to unhashable
        # pydantic instances; key on the function and the owner's identity instead.
        return ("bound", func, id(owner))
    try:
        hash(tool)
    except TypeError:
        return None
    return ("plain", tool)


def _convert(tool: ToolLike) -> type[GroqTool]:
    if isinstance(tool, type):
        if issubclass(tool, GroqTool):
            return tool
        if issubclass(tool, BaseModel):
            return GroqTool.type_from_base_model_type(tool)
        raise TypeError(
            f"Cannot use the class {tool.__name__!r} as a tool: pass a BaseTool subclass, "
            "a pydantic model or a function"
        )
    if callable(tool):
        return GroqTool.type_from_fn(tool)
    raise TypeError(f"Cannot use {tool!r} as a tool: pass a BaseTool subclass or a function")


def convert_tools(tools: Sequence[ToolLike] | None) -> list[type[GroqTool]]:
    """Turn the user's tools into `GroqTool` classes, reusing earlier conversions.

    Functions go through `GroqTool.type_from_fn`; `BaseTool` and pydantic classes through
    `GroqTool.type_from_base_model_type`, so instances are also instances of the original class.
    `GroqTool` subclasses are used as they are. Conversions are cached (LRU, keyed by identity;
    bound methods by function and owner), so a call made in a loop does not rebuild classes.

    Example:
        ```python
        tool_types = convert_tools([GetWeather, get_time])
        tools = [t.tool_schema() for t in tool_types]
        ```
    """
    if not tools:
        return []
    converted: list[type[GroqTool]] = []
    for tool in tools:
        key = _cache_key(tool)
        if key is None:
            converted.append(_convert(tool))
            continue
        with _cache_lock:
            hit = _cache.get(key)
            if hit is not None:
                _cache.move_to_end(key)
        if hit is not None:
            converted.append(hit[1])
            continue
        tool_type = _convert(tool)
        with _cache_lock:
            # The original object is kept alive with the entry, so an `id()` in a key can
            # never be reused by another object while the entry exists.
            _cache[key] = (tool, tool_type)
            if len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
        converted.append(tool_type)
    return converted
