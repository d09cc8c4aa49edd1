"""`FromCallArgs`: mark a response-model field to be filled from the call's arguments."""

from __future__ import annotations

from pydantic.fields import FieldInfo


class FromCallArgs:
    """Marker for `Annotated[...]`: the field is dropped from the schema and taken from the call.

    Example:
        ```python
        class Summary(BaseModel):
            text: Annotated[str, FromCallArgs()]
            summary: str
        ```
    """


def is_from_call_args(field: FieldInfo) -> bool:
    """Whether a pydantic field is annotated `FromCallArgs()` (v1's helper)."""
    return any(isinstance(m, FromCallArgs) for m in field.metadata)


__all__ = ["FromCallArgs", "is_from_call_args"]
