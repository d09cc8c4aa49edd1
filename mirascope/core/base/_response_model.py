"""Provider-neutral handling of `response_model`: wrapping, call-argument fields, validation.

A response model is a pydantic model or a built-in type (`list[str]`, `int`, `Literal`, `Enum`,
`Annotated[...]`). Built-in types travel wrapped in a model with one `value` field and are
unwrapped on return, as in v1. The JSON the LLM produced is always validated against that
wrapper, so every failure is a `pydantic.ValidationError` (malformed JSON included, as
`json_invalid`).

Invariants:
- `FromCallArgs` fields never reach the schema; their values come from the call's arguments.
- JSON-mode text is cut to its first `{` through its last `}` before parsing.
"""

from __future__ import annotations

import threading
from typing import Any

import jiter
from pydantic import BaseModel, create_model

from ._tool_convert import base_type_name

__all__ = [
    "fields_from_call_args",
    "from_call_args_names",
    "is_base_type",
    "json_object_text",
    "validate_output",
    "wrapper_model",
]

_wrappers: dict[Any, type[BaseModel]] = {}
_lock = threading.Lock()


def is_base_type(response_model: object) -> bool:
    """Whether `response_model` is a built-in type (wrapped in `value`), not a pydantic model."""
    return not (isinstance(response_model, type) and issubclass(response_model, BaseModel))


def wrapper_model(response_model: Any) -> type[BaseModel]:
    """The model the JSON is validated against: the model itself, or a `value` wrapper."""
    if not is_base_type(response_model):
        return response_model
    with _lock:
        wrapper = _wrappers.get(response_model)
        if wrapper is None:
            # Named after the type, so errors read "validation error for str" as in v1.
            wrapper = create_model(base_type_name(response_model), value=(response_model, ...))
            _wrappers[response_model] = wrapper
        return wrapper


def from_call_args_names(response_model: Any) -> list[str]:
    """The fields of `response_model` marked `FromCallArgs` (top level only)."""
    if is_base_type(response_model):
        return []
    model: type[BaseModel] = response_model
    return [
        name
        for name, field in model.model_fields.items()
        if any(type(meta).__name__ == "FromCallArgs" for meta in field.metadata)
    ]


def fields_from_call_args(response_model: Any, fn_args: dict[str, Any]) -> dict[str, Any]:
    """The values of the `FromCallArgs` fields, taken from the same-named call arguments.

    Raises:
        ValueError: A `FromCallArgs` field has no call argument of the same name.
    """
    fields: dict[str, Any] = {}
    for name in from_call_args_names(response_model):
        if name not in fn_args:
            raise ValueError(
                f"The response model field {name!r} is marked FromCallArgs, but the call has "
                f"no argument named {name!r} (arguments: {', '.join(fn_args) or 'none'})."
            )
        fields[name] = fn_args[name]
    return fields


def json_object_text(text: str) -> str:
    """`text` from its first `{` to its last `}` (what surrounds a JSON-mode object is dropped)."""
    start = text.find("{")
    end = text.rfind("}")
    return text[start : end + 1] if start != -1 and end > start else text


def validate_output(response_model: Any, text: str, fields: dict[str, Any]) -> Any:
    """Parse `text` (a JSON object) and validate it as `response_model`.

    Raises:
        pydantic.ValidationError: The text is not a JSON object (`json_invalid`) or does not
            match the model.
    """
    wrapper = wrapper_model(response_model)
    try:
        data: object = jiter.from_json(text.encode(), cache_mode="keys")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        # Let pydantic report the malformed JSON, so callers catch one error type.
        wrapper.model_validate_json(text)
        data = {}  # unreachable unless the text validates as JSON after all
    validated = wrapper.model_validate({**data, **fields})
    return getattr(validated, "value") if wrapper is not response_model else validated  # noqa: B009
