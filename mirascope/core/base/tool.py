"""`BaseTool`, the provider-neutral tool model, and the helpers around it.

A tool is a pydantic model: its fields are the arguments the model fills in, its docstring is the
description, and `call()` runs it. Providers subclass `BaseTool` (`GroqTool`) to add the wire
schema and parsing. The conversions from functions, models and built-in types live in
`_tool_convert.py`; this module keeps the public shell v1 code imports.
"""

from __future__ import annotations

import base64
import inspect
import json
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from functools import wraps
from typing import Any, ClassVar, TypeVar, cast, get_type_hints, overload

import jiter
from pydantic import BaseModel, ConfigDict, PydanticUserError
from pydantic.json_schema import (
    DEFAULT_REF_TEMPLATE,
    GenerateJsonSchema,
    JsonSchemaMode,
    JsonSchemaValue,
    SkipJsonSchema,
)
from pydantic_core import CoreSchema
from typing_extensions import TypedDict

from . import _tool_convert
from ._tool_convert import DEFAULT_TOOL_DOCSTRING
from .types import BaseType, JsonableType

__all__ = [
    "DEFAULT_TOOL_DOCSTRING",
    "BaseTool",
    "GenerateJsonSchemaNoTitles",
    "ToolConfig",
    "transform_tool_outputs",
]

_BaseToolT = TypeVar("_BaseToolT", bound="BaseTool")
_ToolT = TypeVar("_ToolT", bound="BaseTool")
_R = TypeVar("_R")


class ToolConfig(TypedDict, total=False):
    """Provider-specific tool settings; the base class has none.

    Example:
        ```python
        class GetWeather(BaseTool):
            tool_config = ToolConfig()
        ```
    """


class GenerateJsonSchemaNoTitles(GenerateJsonSchema):
    """A schema generator that drops the titles pydantic derives from names.

    The root `title` and `description` go (they travel as the tool's name and description). In
    every sub-schema with `type`, `$ref` or `properties`, `title` goes unless it differs,
    case-insensitively, from the key it sits under: `city` loses `"City"`, `book_title` keeps
    `"Book Title"`.

    Example:
        ```python
        GetWeather.model_json_schema(schema_generator=GenerateJsonSchemaNoTitles)
        ```
    """

    def _remove_title(self, key: str | None, obj: Any) -> Any:
        if isinstance(obj, dict):
            schema: dict[str, Any] = obj  # pyright: ignore[reportUnknownVariableType]
            if "type" in schema or "$ref" in schema or "properties" in schema:
                title = schema.pop("title", None)
                if key and isinstance(title, str) and key.lower() != title.lower():
                    schema["title"] = title
            for child_key, value in schema.items():
                schema[child_key] = self._remove_title(child_key, value)
            return schema
        if isinstance(obj, list):
            return [self._remove_title(key, value) for value in obj]  # pyright: ignore[reportUnknownVariableType]
        return obj

    def generate(self, schema: CoreSchema, mode: JsonSchemaMode = "validation") -> JsonSchemaValue:
        """Generate the schema, then strip the root title/description and name-derived titles."""
        json_schema = super().generate(schema, mode=mode)
        json_schema.pop("title", None)
        json_schema.pop("description", None)
        return self._remove_title(None, json_schema)


def _type_name(annotation: object) -> str:
    name = getattr(annotation, "__qualname__", None)
    return name if isinstance(name, str) else repr(annotation)


class BaseTool(BaseModel, ABC):
    """A tool the model can call: fields are its arguments, `call()` runs it.

    The tool name is the class name (or `__custom_name__`); the description is the cleaned class
    docstring, or `DEFAULT_TOOL_DOCSTRING` when there is none.

    Example:
        ```python
        from mirascope.core import BaseTool

        class GetWeather(BaseTool):
            \"\"\"Get the current weather in a city.\"\"\"

            city: str

            def call(self) -> str:
                return f"It is sunny in {self.city}."
        ```
    """

    __provider__: ClassVar[str] = "NONE"
    __tool_config_type__: ClassVar[type[ToolConfig]] = ToolConfig
    __custom_name__: ClassVar[str] = ""
    tool_config: ClassVar[ToolConfig] = ToolConfig()

    model_config = ConfigDict(arbitrary_types_allowed=True)

    delta: SkipJsonSchema[str | None] = None
    """The argument text received so far, for partial tools while streaming."""

    @property
    def args(self) -> dict[str, Any]:
        """The argument values by field name, without `tool_call` and `delta`.

        Example:
            ```python
            tool.args  # {"city": "Paris"}
            ```
        """
        return {
            name: getattr(self, name)
            for name in type(self).model_fields
            if name not in ("tool_call", "delta")
        }

    @property
    def id(self) -> str | None:
        """The provider's id for this tool call (`tool_call.id`), or `None` without a call.

        Example:
            ```python
            tool.id  # "tk85n1k4m"
            ```
        """
        tool_call: object = getattr(self, "tool_call", None)
        tool_call_id: object = getattr(tool_call, "id", None)
        return tool_call_id if isinstance(tool_call_id, str) else None

    @abstractmethod
    def call(self, *args: Any, **kwargs: Any) -> Any:
        """Run the tool with its arguments.

        Example:
            ```python
            output = tool.call()
            ```
        """

    @classmethod
    def _name(cls) -> str:
        """The tool name sent to the provider: `__custom_name__` or the class name."""
        return cls.__custom_name__ or cls.__name__

    @classmethod
    def _description(cls) -> str:
        """The cleaned class docstring, or v1's default sentence when there is none."""
        return inspect.cleandoc(cls.__doc__) if cls.__doc__ else DEFAULT_TOOL_DOCSTRING

    @classmethod
    def _dict_from_json(cls, json: str, allow_partial: bool = False) -> dict[str, Any]:
        """Parse tool arguments with jiter; `""` means no arguments.

        With `allow_partial`, incomplete JSON is accepted (jiter's `trailing-strings` mode).
        """
        if not json:
            return {}
        parsed: object = jiter.from_json(
            json.encode(), partial_mode="trailing-strings" if allow_partial else "off"
        )
        if not isinstance(parsed, dict):
            raise ValueError(
                f"Arguments for tool {cls._name()!r} must be a JSON object, got: {json[:200]!r}"
            )
        return parsed  # pyright: ignore[reportUnknownVariableType]

    @classmethod
    def tool_schema(cls) -> Any:
        """The provider's tool definition. Only provider subclasses implement it.

        Example:
            ```python
            GroqTool.type_from_fn(get_weather).tool_schema()
            ```
        """
        raise RuntimeError(
            f"{cls.__name__}.tool_schema() is provider-specific; use a provider tool such as "
            "GroqTool (e.g. GroqTool.type_from_base_model_type(...)) instead of BaseTool."
        )

    @classmethod
    def model_json_schema(
        cls,
        by_alias: bool | None = True,
        ref_template: str = DEFAULT_REF_TEMPLATE,
        schema_generator: type[GenerateJsonSchema] = GenerateJsonSchemaNoTitles,
        mode: JsonSchemaMode = "validation",
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The model's JSON schema, made with `GenerateJsonSchemaNoTitles` by default.

        Example:
            ```python
            GetWeather.model_json_schema()
            # {"properties": {"city": {"type": "string"}}, "required": ["city"], "type": "object"}
            ```
        """
        # kwargs forwards options newer pydantic adds (e.g. `union_format`, 2.12+).
        try:
            return super().model_json_schema(
                by_alias, ref_template, schema_generator, mode, **kwargs
            )
        except PydanticUserError as exc:
            from ._tool_convert import unschematizable_field

            culprit = unschematizable_field(cls)
            message = (
                f"Tool {cls._name()!r}: parameter {culprit[0]!r} has type "
                f"{_type_name(culprit[1])}, which cannot become a JSON schema"
                if culprit
                else f"Tool {cls._name()!r} cannot become a JSON schema ({exc.message})"
            )
        # Outside the except block, so the 30-frame pydantic trace is not chained.
        raise TypeError(
            message
            + ". Use a JSON-friendly type (str, int, float, bool, list, dict, a pydantic model)."
        )

    @classmethod
    def warn_for_unsupported_configurations(cls) -> None:
        """Warn about `tool_config` keys the provider ignores and about `strict` in model_config.

        Example:
            ```python
            GetWeather.warn_for_unsupported_configurations()
            ```
        """
        known = set(get_type_hints(cls.__tool_config_type__))
        unsupported = sorted(set(cls.tool_config) - known)
        if unsupported:
            warnings.warn(
                f"{cls.__provider__} does not support the following tool configurations, "
                f"so they will be ignored: {unsupported}",
                UserWarning,
                stacklevel=2,
            )
        if "strict" in cls.model_config:
            warnings.warn(
                f"{cls.__provider__} does not support strict structured outputs, but you have "
                "configured `strict=True` in your `ResponseModelConfigDict`. Ignoring `strict` "
                "as this feature is only supported by OpenAI.",
                UserWarning,
                stacklevel=2,
            )

    @classmethod
    def type_from_fn(cls: type[_BaseToolT], fn: Callable[..., Any]) -> type[_BaseToolT]:
        """Build a tool type from a function's signature and docstring.

        Parameters become fields (with their defaults and docstring descriptions); the
        docstring's description becomes the tool description; `call()` invokes `fn`.

        Example:
            ```python
            def get_weather(city: str, unit: str = "celsius") -> str:
                \"\"\"Get the weather.

                Args:
                    city: The city.
                    unit: "celsius" or "fahrenheit".
                \"\"\"
                return f"sunny in {city}"

            GetWeather = GroqTool.type_from_fn(get_weather)
            ```

        Raises:
            TypeError: `fn` takes `*args`/`**kwargs` or an unannotated parameter.
        """
        return _tool_convert.convert_function_to_tool(fn, cls)

    @classmethod
    def type_from_base_model_type(
        cls: type[_BaseToolT], tool_type: type[BaseModel]
    ) -> type[_BaseToolT]:
        """Re-create a pydantic model (or another tool) as a subclass of this tool type.

        The result also inherits `tool_type`, so `isinstance(tool, tool_type)` holds.

        Example:
            ```python
            class Book(BaseModel):
                title: str

            BookTool = GroqTool.type_from_base_model_type(Book)
            ```
        """
        return _tool_convert.convert_base_model_to_tool(tool_type, cls)

    @classmethod
    def type_from_base_type(cls: type[_BaseToolT], base_type: BaseType) -> type[_BaseToolT]:
        """Wrap a built-in type (e.g. `list[str]`) in a tool with a single `value` field.

        Example:
            ```python
            ListTool = GroqTool.type_from_base_type(list[str])  # named "list"
            ```
        """
        return _tool_convert.convert_base_type_to_tool(base_type, cls)


def _to_jsonable(value: object, tool: BaseTool) -> object:
    """Turn `value` into something `json.dumps` accepts (sets and tuples become lists)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, (list, tuple, set, frozenset)):
        items = cast("list[object] | tuple[object, ...] | set[object] | frozenset[object]", value)
        return [_to_jsonable(item, tool) for item in items]
    if isinstance(value, dict):
        mapping = cast("dict[object, object]", value)
        return {key: _to_jsonable(item, tool) for key, item in mapping.items()}
    raise TypeError(
        f"Cannot serialise an output of type {type(value).__name__} from tool "
        f"{tool._name()!r}; return str, bytes, a pydantic model, or JSON-compatible values."
    )


def _serialise_output(tool: BaseTool, output: JsonableType | object) -> str:
    if isinstance(output, str):
        return output
    if isinstance(output, bytes):
        return base64.b64encode(output).decode("ascii")
    if isinstance(output, BaseModel):
        return output.model_dump_json()
    try:
        return json.dumps(_to_jsonable(output, tool))
    except (TypeError, ValueError) as exc:  # e.g. tuple dict keys, NaN-free checks
        raise TypeError(
            f"Cannot serialise the output of tool {tool._name()!r} ({type(output).__name__}): {exc}"
        ) from exc


@overload
def transform_tool_outputs(
    tools_and_outputs: Sequence[tuple[_ToolT, JsonableType]],
) -> list[tuple[_ToolT, str]]: ...


@overload
def transform_tool_outputs(
    tools_and_outputs: Callable[[Any, list[tuple[_ToolT, str]]], _R],
) -> Callable[[Any, Sequence[tuple[_ToolT, JsonableType]]], _R]: ...


def transform_tool_outputs(
    tools_and_outputs: Sequence[tuple[_ToolT, JsonableType]]
    | Callable[[Any, list[tuple[_ToolT, str]]], _R],
) -> list[tuple[_ToolT, str]] | Callable[[Any, Sequence[tuple[_ToolT, JsonableType]]], _R]:
    """Serialise tool outputs to strings for tool messages.

    `str` stays as is; `bytes` becomes base64; a pydantic model becomes its JSON; anything else
    goes through `json.dumps` after sets and tuples (also nested) become lists. As in v1, it can
    also decorate a `tool_message_params(cls, tools_and_outputs)` method.

    Example:
        ```python
        transform_tool_outputs([(tool, {"temp": 21, "tags": ("sunny",)})])
        # [(tool, '{"temp": 21, "tags": ["sunny"]}')]
        ```

    Raises:
        TypeError: An output (or a value inside it) has a type that cannot be serialised.
    """
    if callable(tools_and_outputs):
        fn = tools_and_outputs

        @wraps(fn)
        def wrapper(self_or_cls: Any, outputs: Sequence[tuple[_ToolT, JsonableType]]) -> _R:
            return fn(self_or_cls, [(tool, _serialise_output(tool, out)) for tool, out in outputs])

        return wrapper
    return [(tool, _serialise_output(tool, output)) for tool, output in tools_and_outputs]
