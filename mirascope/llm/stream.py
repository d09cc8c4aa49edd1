"""`llm.Stream`: a provider-agnostic view of a provider's stream.

Invariant: iterating yields exactly what the provider stream yields, in the same order, as
`(llm.CallResponseChunk, llm.Tool | None)`; the wrapped stream does all the work (usage, cost,
closing), so every other attribute is read from it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from types import TracebackType
from typing import Any

from ..core.base.stream import BaseStream
from .call_response import CallResponse
from .call_response_chunk import CallResponseChunk
from .tool import Tool, unwrap_tool


class Stream:
    """The stream of an `llm.call(..., stream=True)`.

    Example:
        ```python
        stream = recommend_book("fantasy")  # an llm.call with stream=True
        for chunk, tool in stream:
            print(chunk.content, end="", flush=True)
        print(stream.cost, stream.construct_call_response().usage)
        ```
    """

    _llm_wraps = "_stream"
    """Where the provider object is (read by `integrations.provider_result`)."""

    def __init__(
        self, stream: BaseStream[Any, Any, Any, Any, Any, Any, Any, Any, Any, Any, Any]
    ) -> None:
        self._stream = stream

    def __getattr__(self, name: str) -> Any:
        if name == "_stream":
            raise AttributeError(name)
        return getattr(self._stream, name)

    def __iter__(self) -> Iterator[tuple[CallResponseChunk, Tool | None]]:
        for chunk, tool in self._stream:
            yield CallResponseChunk(chunk), Tool(tool) if tool is not None else None

    async def __aiter__(self) -> AsyncIterator[tuple[CallResponseChunk, Tool | None]]:
        async for chunk, tool in self._stream:
            yield CallResponseChunk(chunk), Tool(tool) if tool is not None else None

    @property
    def content(self) -> str:
        """The text received so far."""
        return self._stream.content

    @property
    def cost(self) -> float | None:
        """The cost in USD of what was received, once usage is known."""
        return self._stream.cost

    def construct_call_response(self) -> CallResponse:
        """The `llm.CallResponse` of what was received."""
        return CallResponse(self._stream.construct_call_response())

    def tool_message_params(self, tools_and_outputs: Sequence[tuple[Any, Any]]) -> list[Any]:
        """The provider's tool messages for `(tool, output)` pairs (`llm.Tool` or provider tool)."""
        pairs = [(unwrap_tool(tool), output) for tool, output in tools_and_outputs]
        return self._stream.tool_message_params(pairs)  # type: ignore[attr-defined]

    def close(self) -> None:
        """Closes the underlying HTTP response."""
        self._stream.close()

    async def aclose(self) -> None:
        """Closes the underlying HTTP response (async)."""
        await self._stream.aclose()

    def __enter__(self) -> Stream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Stream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
