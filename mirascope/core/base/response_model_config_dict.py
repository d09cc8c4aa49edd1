"""`ResponseModelConfigDict`: pydantic's `ConfigDict` plus `strict`."""

from __future__ import annotations

from pydantic import ConfigDict


class ResponseModelConfigDict(ConfigDict, total=False):
    """Configuration of a response model (`strict` only warns on Groq, as in v1).

    Example:
        ```python
        class Book(BaseModel):
            model_config = ResponseModelConfigDict(strict=True)
            title: str
        ```
    """

    strict: bool


__all__ = ["ResponseModelConfigDict"]
