"""Turn functions, pydantic models and built-in types into tool classes.

Every field is built in one step, with its default and description (B13: v1 mutated `FieldInfo`
after construction, which pydantic >= 2.12 ignores, so defaults and descriptions were lost).
Classes are made through the model's own metaclass, so `call` is part of the class body and the
ABC machinery sees it as implemented.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar, cast, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, PydanticUserError, TypeAdapter
from pydantic.fields import FieldInfo
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticUndefined

if TYPE_CHECKING:
    from docstring_parser import Docstring
    from pydantic.config import JsonDict, JsonValue

    from .tool import BaseTool
    from .types import BaseType

DEFAULT_TOOL_DOCSTRING = (
    "Correctly formatted and typed parameters extracted from the completion. "
    "Must include required parameters and may exclude optional parameters unless present in "
    "the text."
)
"""The description v1 gives a tool without a docstring."""

_ToolT = TypeVar("_ToolT", bound="BaseTool")

_RESERVED_FIELDS = ("tool_call", "delta")


def _parse_docstring(doc: str | None) -> Docstring | None:
    if not doc:
        return None
    from docstring_parser import ParseError, parse  # only tools need it: kept off the import path

    try:
        return parse(doc)
    except ParseError:
        # An unusual docstring still documents the tool; use it whole as the description.
        return None


def _description(doc: str | None, parsed: Docstring | None) -> str:
    if parsed is not None:
        return (
            inspect.cleandoc(parsed.description) if parsed.description else DEFAULT_TOOL_DOCSTRING
        )
    return inspect.cleandoc(doc) if doc else DEFAULT_TOOL_DOCSTRING


def _examples(parsed: Docstring | None) -> list[dict[str, Any]]:
    """JSON objects from `Example:` sections; prose or code examples are skipped."""
    if parsed is None:
        return []
    examples: list[dict[str, Any]] = []
    for example in parsed.examples:
        text = (example.description or example.snippet or "").strip()
        try:
            value: object = json.loads(text)
        except ValueError:
            continue
        if isinstance(value, dict):
            examples.append(cast("dict[str, Any]", value))
    return examples


def _signature(fn: Callable[..., Any], fn_name: str) -> inspect.Signature:
    try:
        return inspect.signature(fn, eval_str=True)
    except NameError:
        # An annotation names something not importable at runtime; pydantic reports it later.
        return inspect.signature(fn)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"Cannot make a tool from {fn_name!r}: no inspectable signature") from exc


def make_model_class(
    name: str,
    bases: tuple[type[BaseModel], ...],
    namespace: dict[str, Any],
) -> type[Any]:
    """Create a pydantic model class the way a `class` statement does."""
    # pydantic's ModelMetaclass (the first base's metaclass) does the work, as in create_model.
    meta = cast("Callable[..., type[Any]]", type(bases[0]))
    return meta(name, bases, namespace)


def convert_function_to_tool(
    fn: Callable[..., Any],
    base: type[_ToolT],
    docstring: str | None = None,
    name: str | None = None,
) -> type[_ToolT]:
    """Build a `base` subclass whose fields are `fn`'s parameters and whose `call()` runs `fn`.

    `docstring` replaces `fn.__doc__` (toolkits pass the templated one); `name` becomes the
    tool's `__custom_name__`.
    """
    fn_name: str = getattr(fn, "__name__", None) or type(fn).__name__
    doc = docstring if docstring is not None else fn.__doc__
    parsed = _parse_docstring(doc)
    param_docs = {p.arg_name: p.description for p in parsed.params} if parsed else {}

    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    # (field name, parameter name, positional-only) in signature order.
    binding: list[tuple[str, str, bool]] = []
    pass_self = False
    for index, param in enumerate(_signature(fn, fn_name).parameters.values()):
        where = f"parameter {param.name!r} of {fn_name!r}"
        if index == 0 and param.name in ("self", "cls"):
            # An unbound method: the tool instance stands in for `self`, as in v1.
            pass_self = True
            continue
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            raise TypeError(f"Cannot make a tool from {fn_name!r}: *{param.name} is not allowed")
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            raise TypeError(f"Cannot make a tool from {fn_name!r}: **{param.name} is not allowed")
        if param.annotation is inspect.Parameter.empty:
            raise ValueError(f"Cannot make a tool from {fn_name!r}: {where} has no type annotation")
        if param.name.startswith("_"):
            raise ValueError(
                f"Cannot make a tool from {fn_name!r}: {where} starts with '_', which pydantic "
                "reserves for private attributes"
            )
        if param.name in _RESERVED_FIELDS:
            raise ValueError(
                f"Cannot make a tool from {fn_name!r}: {where} clashes with the tool's own "
                f"{param.name!r} field"
            )

        field_name = param.name
        alias: str | None = None
        if param.name.startswith("model_") or hasattr(base, param.name):
            # pydantic's protected namespace, or a BaseTool/BaseModel attribute such as `id`.
            field_name = f"aliased_{param.name}"
            alias = param.name
        description = param_docs.get(param.name) or None
        default: object = param.default
        if isinstance(default, FieldInfo):
            # `x: int = Field(...)`: keep the user's FieldInfo, add ours through the annotation.
            annotations[field_name] = Annotated[
                param.annotation, Field(description=description, alias=alias)
            ]
            namespace[field_name] = default
        else:
            annotations[field_name] = param.annotation
            namespace[field_name] = Field(
                default=PydanticUndefined if default is inspect.Parameter.empty else default,
                description=description,
                alias=alias,
            )
        binding.append((field_name, param.name, param.kind is inspect.Parameter.POSITIONAL_ONLY))

    def arguments(tool: BaseTool) -> tuple[list[Any], dict[str, Any]]:
        values = tool.__dict__
        args: list[Any] = [tool] if pass_self else []
        kwargs: dict[str, Any] = {}
        for field_name, param_name, positional in binding:
            if positional:
                args.append(values[field_name])
            else:
                kwargs[param_name] = values[field_name]
        return args, kwargs

    if inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(
        getattr(fn, "__call__", None)  # noqa: B004 - async callable objects
    ):

        async def acall(self: BaseTool) -> Any:
            args, kwargs = arguments(self)
            return await fn(*args, **kwargs)

        namespace["call"] = acall
    else:

        def call(self: BaseTool) -> Any:
            args, kwargs = arguments(self)
            return fn(*args, **kwargs)

        namespace["call"] = call

    namespace.update(
        __annotations__=annotations,
        __doc__=_description(doc, parsed),
        __module__=getattr(fn, "__module__", None) or __name__,
        __qualname__=fn_name,
    )
    if name:
        namespace["__custom_name__"] = name
    if examples := _examples(parsed):
        extra: JsonDict = {"examples": cast("list[JsonValue]", examples)}
        namespace["model_config"] = ConfigDict(json_schema_extra=extra)
    return cast("type[_ToolT]", make_model_class(fn_name, (base,), namespace))


def _is_from_call_args(field: FieldInfo) -> bool:
    # Matched by name: `FromCallArgs` is a marker class defined next to the call machinery.
    return any(type(meta).__name__ == "FromCallArgs" for meta in field.metadata)


def _no_call(self: BaseTool) -> Any:
    raise NotImplementedError(
        f"{type(self).__name__} was made from a model or type without a call() method"
    )


def convert_base_model_to_tool(model: type[BaseModel], base: type[_ToolT]) -> type[_ToolT]:
    """Re-create `model` as a subclass of both `base` and `model`.

    Fields marked `FromCallArgs` become optional and leave the schema: the call arguments fill
    them, not the model.
    """
    if issubclass(model, base):
        return model
    namespace: dict[str, Any] = {
        "__doc__": model.__doc__ or DEFAULT_TOOL_DOCSTRING,
        "__module__": model.__module__,
        "__qualname__": model.__qualname__,
    }
    annotations: dict[str, Any] = {}
    for field_name, field in model.model_fields.items():
        if _is_from_call_args(field):
            annotations[field_name] = SkipJsonSchema[Optional[field.annotation]]
            namespace[field_name] = None
    namespace["__annotations__"] = annotations

    from .tool import BaseTool

    if not issubclass(model, BaseTool):
        # BaseTool.call precedes model.call in the MRO; keep the model's own if it has one.
        model_call: object = getattr(model, "call", None)
        namespace["call"] = model_call if callable(model_call) else _no_call
    try:
        tool_type = make_model_class(model.__name__, (base, model), namespace)
    except TypeError:
        # No consistent MRO (e.g. `model` derives from another provider's tool): copy the fields.
        fields = {
            name: (field.annotation, field)
            for name, field in model.model_fields.items()
            if name not in _RESERVED_FIELDS
        }
        copied = {**namespace, "__annotations__": {n: a for n, (a, _) in fields.items()}}
        copied.update({n: f for n, (_, f) in fields.items()})
        copied["__annotations__"].update(annotations)
        copied.update({n: None for n in annotations})
        copied.setdefault("call", _no_call)
        tool_type = make_model_class(model.__name__, (base,), copied)
    return cast("type[_ToolT]", tool_type)


def base_type_name(base_type: object) -> str:
    """v1's name for a built-in type's wrapper: `Annotated[str, ...]` is named `str`."""
    if get_origin(base_type) is Annotated:
        base_type = get_args(base_type)[0]
    name: object = getattr(base_type, "__name__", None) or getattr(
        get_origin(base_type), "__name__", None
    )
    return name if isinstance(name, str) else "value"


def convert_base_type_to_tool(base_type: BaseType, base: type[_ToolT]) -> type[_ToolT]:
    """Wrap `base_type` in a `base` subclass with one required `value` field."""
    name = base_type_name(base_type)
    namespace: dict[str, Any] = {
        "__annotations__": {"value": base_type},
        "__doc__": DEFAULT_TOOL_DOCSTRING,
        "__module__": getattr(base_type, "__module__", None) or __name__,
        "__qualname__": name,
        "call": _no_call,
    }
    return cast("type[_ToolT]", make_model_class(name, (base,), namespace))


def unschematizable_field(model: type[BaseModel]) -> tuple[str, object] | None:
    """The first field of `model` (by its parameter name) whose type has no JSON schema."""
    config = ConfigDict(arbitrary_types_allowed=True)
    for field_name, field in model.model_fields.items():
        if field_name in _RESERVED_FIELDS or field.exclude:
            continue
        try:
            TypeAdapter(cast(Any, field.annotation), config=config).json_schema()
        except PydanticUserError:
            return field.alias or field_name, field.annotation
    return None
