"""`llm.CallResponseChunk`: a provider-agnostic view of one streamed chunk.

Invariant: `finish_reasons`, `usage` and `cost_metadata` are the provider chunk's common
(provider-neutral) values; every other attribute is read from the provider chunk.
"""

from __future__ import annotations

from typing import Any

from ..core.base.call_response_chunk import BaseCallResponseChunk
from ..core.base.types import CostMetadata, Usage


class CallResponseChunk:
    """One chunk of an `llm.Stream`.

    Example:
        ```python
        for chunk, _ in stream:  # an llm.Stream
            print(chunk.content, end="", flush=True)
        ```
    """

    __slots__ = ("_response",)

    def __init__(self, response: BaseCallResponseChunk[Any, Any]) -> None:
        self._response = response

    def __getattr__(self, name: str) -> Any:
        return getattr(self._response, name)

    @property
    def content(self) -> str:
        """The text of this chunk."""
        return self._response.content

    @property
    def finish_reasons(self) -> list[Any] | None:
        """The provider-neutral finish reasons (`None` until the last chunk)."""
        return self._response.common_finish_reasons

    @property
    def usage(self) -> Usage | None:
        """The provider-neutral usage, on the chunk that carries it."""
        return self._response.common_usage

    @property
    def cost_metadata(self) -> CostMetadata:
        """The data `calculate_cost` needs for this chunk."""
        return self._response.cost_metadata

    def __str__(self) -> str:
        return str(self._response)
