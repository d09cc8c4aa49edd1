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
    """Also yield partial tools while their arguments stream in (`tool.delta` = new text)."""
    first_chunk_timeout: float
    """Seconds to wait for the first chunk before closing the stream with a timeout error."""
    chunk_timeout: float
    """Seconds allowed between two chunks before closing the stream with a timeout error."""
    max_retries_before_first_chunk: int
    """Re-send the request this many times if the stream fails before anything was yielded."""


__all__ = ["StreamConfig"]
