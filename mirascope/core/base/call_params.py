"""Call parameters shared by every provider: `BaseCallParams` and `CommonCallParams`."""

from __future__ import annotations

from typing_extensions import TypedDict


class BaseCallParams(TypedDict, total=False):
    """The base of every provider's call-parameter TypedDict (empty on purpose)."""


class CommonCallParams(TypedDict, total=False):
    """Provider-neutral parameters; each maps 1:1 to a Groq parameter.

    Example:
        ```python
        @groq.call("openai/gpt-oss-20b", call_params={"temperature": 0.2, "max_tokens": 256})
        def answer(q: str) -> str:
            return q
        ```
    """

    temperature: float | None
    max_tokens: int | None
    top_p: float | None
    frequency_penalty: float | None
    presence_penalty: float | None
    seed: int | None
    stop: str | list[str] | None


__all__ = ["BaseCallParams", "CommonCallParams"]
