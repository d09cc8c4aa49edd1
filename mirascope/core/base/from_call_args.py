"""`FromCallArgs`: mark a response-model field to be filled from the call's arguments."""

from __future__ import annotations


class FromCallArgs:
    """Marker for `Annotated[...]`: the field is dropped from the schema and taken from the call.

    Example:
        ```python
        class Summary(BaseModel):
            text: Annotated[str, FromCallArgs()]
            summary: str
        ```
    """


__all__ = ["FromCallArgs"]
