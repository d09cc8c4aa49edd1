"""`StreamConfig`: options for `stream=`."""

from __future__ import annotations

from typing_extensions import TypedDict


class StreamConfig(TypedDict, total=False):
    """Stream options, passed as `stream={...}` instead of `stream=True`.

    Example:
        ```python
        @groq.call("openai/gpt-oss-120b", tools=[GetWeather], stream={"partial_tools": True})
        def ask(q: str) -> str:
            return q
        ```
    """

    partial_tools: bool


__all__ = ["StreamConfig"]
