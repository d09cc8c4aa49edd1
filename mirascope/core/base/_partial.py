"""`partial(model)`: a copy of a pydantic model that accepts incomplete data.

Streams show structured outputs and tool arguments while they arrive, parsed from partial JSON
(jiter's `trailing-strings` mode). That data misses fields, ends lists early and cuts strings, so
the partial model makes every field optional with default `None`, recursively through nested
models and containers.

Invariants:
- The partial class subclasses the original when pydantic allows it, so `isinstance`, methods and
  validators carry over; otherwise it copies the fields onto `BaseModel`.
- Field metadata that partial data cannot satisfy (constraints, discriminators, `Annotated`
  validators) is dropped; names, aliases, descriptions and examples are kept.
- Fixed-length tuples become variable-length tuples of their item types (a partial array is
  shorter).
- One partial class per model (cached), and recursive models work.
"""

from __future__ import annotations

import threading
import types
from typing import (
    Annotated,
    Any,
    ForwardRef,
    Literal,
    Optional,
    TypeGuard,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
)

from pydantic import BaseModel, Field, PydanticUserError
from pydantic.fields import FieldInfo

from ._tool_convert import make_model_class

__all__ = ["partial"]

_ModelT = TypeVar("_ModelT", bound=BaseModel)

# Typed as Any: these are subscripted with types computed at runtime.
_Union: Any = Union
_Tuple: Any = tuple

_cache: dict[type[BaseModel], type[BaseModel]] = {}
_lock = threading.RLock()


def _partial_field(field: FieldInfo) -> FieldInfo:
    # Built in one step (see B13): pydantic >= 2.12 ignores FieldInfo mutation.
    return cast(
        "FieldInfo",
        Field(
            default=None,
            alias=field.alias,
            validation_alias=field.validation_alias,
            serialization_alias=field.serialization_alias,
            title=field.title,
            description=field.description,
            examples=field.examples,
            json_schema_extra=field.json_schema_extra,
            exclude=field.exclude,
        ),
    )


def _is_model(annotation: object) -> TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


class _Builder:
    """Builds the partial classes for one `partial()` call, including recursive references."""

    def __init__(self) -> None:
        self.pending: dict[type[BaseModel], str] = {}
        self.built: dict[str, type[BaseModel]] = {}

    def model(self, model: type[BaseModel]) -> Any:
        cached = _cache.get(model)
        if cached is not None:
            return cached
        if model in self.pending:
            # A model that refers to itself (or a cycle): point at the class being built.
            return ForwardRef(self.pending[model])
        ref_name = f"_MirascopePartial{len(self.pending)}_{model.__name__}"
        self.pending[model] = ref_name
        if not model.__pydantic_complete__:
            model.model_rebuild(raise_errors=False)
        annotations: dict[str, Any] = {}
        fields: dict[str, FieldInfo] = {}
        for name, field in model.model_fields.items():
            annotations[name] = Optional[self.annotation(field.annotation)]
            fields[name] = _partial_field(field)
        namespace: dict[str, Any] = {
            "__annotations__": annotations,
            **fields,
            "__module__": model.__module__,
            "__qualname__": f"Partial{model.__qualname__}",
            "__doc__": model.__doc__,
        }
        name = f"Partial{model.__name__}"
        try:
            partial_model: type[BaseModel] = make_model_class(name, (model,), namespace)
        except (TypeError, PydanticUserError):
            # Not subclassable as such (e.g. a generic or custom metaclass quirk): copy fields.
            copied = {**namespace, "model_config": model.model_config.copy()}
            partial_model = make_model_class(name, (BaseModel,), copied)
        self.built[ref_name] = partial_model
        _cache[model] = partial_model
        return partial_model

    def annotation(self, annotation: Any) -> Any:
        if _is_model(annotation):
            return self.model(annotation)
        origin = get_origin(annotation)
        args = get_args(annotation)
        if origin is None or not args or origin is Literal:
            return annotation
        if origin is Annotated:
            return self.annotation(args[0])
        result: Any
        if origin is Union or origin is types.UnionType:
            result = _Union[tuple(self.annotation(arg) for arg in args)]
        elif origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                result = _Tuple[self.annotation(args[0]), ...]
            elif args == ((),):
                result = annotation
            else:
                item = _Union[tuple(self.annotation(arg) for arg in args)]
                result = _Tuple[item, ...]
        else:
            try:
                result = origin[tuple(self.annotation(arg) for arg in args)]
            except TypeError:
                # An origin that cannot be re-subscripted: validate as declared.
                result = annotation
        return result

    def finish(self) -> None:
        # Resolve forward references left by recursive models now that every class exists.
        for partial_model in self.built.values():
            if not partial_model.__pydantic_complete__:
                partial_model.model_rebuild(_types_namespace=dict(self.built))


def partial(model: type[_ModelT]) -> type[_ModelT]:
    """Return the partial version of `model`: every field optional, defaulting to `None`.

    The result is cached per model, is a subclass of `model` where possible, and validates data
    parsed from any prefix of a valid JSON document.

    Example:
        ```python
        import jiter

        class Book(BaseModel):
            title: str
            author: str

        data = jiter.from_json(b'{"title": "The Na', partial_mode="trailing-strings")
        partial(Book).model_validate(data)  # PartialBook(title='The Na', author=None)
        ```
    """
    with _lock:
        cached = _cache.get(model)
        if cached is not None:
            return cast("type[_ModelT]", cached)
        builder = _Builder()
        try:
            result = builder.model(model)
            builder.finish()
        except BaseException:
            # Never leave a half-built class in the cache.
            for original in builder.pending:
                _cache.pop(original, None)
            raise
        return cast("type[_ModelT]", result)
