"""The source of a `GroqStream`: request → SSE chunks → `(chunk, tool)` pairs.

The request is sent at the first `next()` (lazy, as in v1), through the SDK's
`with_raw_response.create(..., stream=True)`: the SDK still handles auth, retries and status
errors before the first byte, and hands back the open `httpx.Response`, which `_sse` decodes.
The response is closed in `finally`, so every way out of the generator releases the connection.

Invariants (API.md §4):
- Every chunk is yielded once. When one chunk completes several tools, the first tool is paired
  with that chunk and each further one with an empty chunk (same id and model, empty delta, no
  usage, no finish reason), so concatenated `chunk.content` equals `stream.content`.
- Tools come out in `index` order, each once; unknown tool names yield no tool and warn, but the
  raw call stays in the assembler (and so in `message_param`).
"""

from __future__ import annotations

import warnings
from collections.abc import AsyncGenerator, Generator, Sequence
from typing import Any

from groq import AsyncGroq, Groq
from groq.types.chat import ChatCompletionChunk, ChatCompletionMessageToolCall

from ._sse import aiter_chunks, iter_chunks
from ._tool_calls import PendingCall, ToolCallAssembler
from .call_response_chunk import GroqCallResponseChunk, first_choice
from .tool import GroqTool

Pair = tuple[GroqCallResponseChunk, GroqTool | None]


class ToolResolver:
    """Feeds tool-call deltas to the assembler and turns released calls into tool objects.

    With `partial_tools`, every delta that adds argument text first yields a partial tool (all
    fields optional, parsed from the arguments so far, `delta` = that fragment); the complete
    tool follows as usual, with `delta` None.
    """

    __slots__ = ("assembler", "by_name", "partial_tools")

    def __init__(
        self, tool_types: Sequence[type[GroqTool]] | None, *, partial_tools: bool = False
    ) -> None:
        self.assembler = ToolCallAssembler()
        self.by_name = {t._name(): t for t in tool_types or ()}
        self.partial_tools = partial_tools

    def tools_of(self, chunk: ChatCompletionChunk) -> list[GroqTool]:
        """The tools this chunk yields (a finish reason releases every open call)."""
        choice = first_choice(chunk)
        if choice is None:
            return []
        tools: list[GroqTool] = []
        deltas = choice.delta.tool_calls
        if deltas:
            if self.partial_tools:
                for delta in deltas:  # one at a time, so each partial sees its own fragment
                    released = self.assembler.feed([delta])
                    if delta.function is not None and delta.function.arguments:
                        tools += self._partial(delta.index, delta.function.arguments, released)
                    tools += self._build(released)
            else:
                tools += self._build(self.assembler.feed(deltas))
        if choice.finish_reason:
            tools += self._build(self.assembler.flush())
        return tools

    def _partial(
        self, index: int, fragment: str, just_released: list[PendingCall]
    ) -> list[GroqTool]:
        call = self.assembler.get(index)
        tool_type = self.by_name.get(call.name) if call is not None else None
        if call is None or tool_type is None or (call.released and call not in just_released):
            return []
        tool_call = ChatCompletionMessageToolCall.model_validate(call.as_param())
        try:
            tool = tool_type.from_tool_call(tool_call, allow_partial=True)
        except ValueError:  # includes ValidationError: e.g. a Literal cut mid-word
            return []
        tool.delta = fragment
        return [tool]

    def flush(self) -> list[GroqTool]:
        """End of stream: the tools still open."""
        return self._build(self.assembler.flush())

    def _build(self, calls: list[PendingCall]) -> list[GroqTool]:
        tools: list[GroqTool] = []
        for call in calls:
            tool_type = self.by_name.get(call.name)
            if tool_type is None:
                warnings.warn(
                    f"The model called tool {call.name!r}, which is not among this call's tools "
                    f"({', '.join(self.by_name) or 'none'}); no tool object is yielded for it, "
                    "but the call is kept in message_param['tool_calls'].",
                    UserWarning,
                    stacklevel=2,
                )
                continue
            tool_call = ChatCompletionMessageToolCall.model_validate(call.as_param())
            tools.append(tool_type.from_tool_call(tool_call))
        return tools


def _empty_chunk(like: ChatCompletionChunk) -> GroqCallResponseChunk:
    chunk = ChatCompletionChunk.model_validate(
        {
            "id": like.id,
            "object": "chat.completion.chunk",
            "created": like.created,
            "model": like.model,
            "choices": [{"index": 0, "delta": {}, "finish_reason": None}],
        }
    )
    return GroqCallResponseChunk(chunk=chunk)


def _pairs(chunk: GroqCallResponseChunk, tools: list[GroqTool]) -> Generator[Pair, None, None]:
    yield chunk, tools[0]
    for tool in tools[1:]:
        yield _empty_chunk(chunk.chunk), tool


def stream_request(client: object, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The `create()` kwargs of a stream; asks for a usage chunk if the client wants one.

    Groq reports stream usage unasked; OpenAI-style servers (llama.cpp, the local backend) only
    with `stream_options.include_usage`. Clients opt in with a truthy `request_stream_usage`
    attribute, so nothing changes for requests to Groq.
    """
    if not getattr(client, "request_stream_usage", False):
        return kwargs
    extra_body = dict(kwargs.get("extra_body") or {})
    extra_body.setdefault("stream_options", {"include_usage": True})
    return {**kwargs, "extra_body": extra_body}


def iter_pairs(
    client: Groq, kwargs: dict[str, Any], resolver: ToolResolver
) -> Generator[Pair, None, None]:
    """Send the request at the first `next()`, then yield `(chunk, tool)` pairs."""
    request = stream_request(client, kwargs)
    raw = client.chat.completions.with_raw_response.create(**request, stream=True)
    response = raw.http_response
    try:
        last: ChatCompletionChunk | None = None
        for sdk_chunk in iter_chunks(response):
            last = sdk_chunk
            chunk = GroqCallResponseChunk(chunk=sdk_chunk)
            tools = resolver.tools_of(sdk_chunk)
            if tools:
                yield from _pairs(chunk, tools)
            else:
                yield chunk, None
        if last is not None and (tools := resolver.flush()):
            for tool in tools:
                yield _empty_chunk(last), tool
    finally:
        response.close()


async def aiter_pairs(
    client: AsyncGroq, kwargs: dict[str, Any], resolver: ToolResolver
) -> AsyncGenerator[Pair, None]:
    """The async twin of `iter_pairs`."""
    request = stream_request(client, kwargs)
    raw = await client.chat.completions.with_raw_response.create(**request, stream=True)
    response = raw.http_response
    try:
        last: ChatCompletionChunk | None = None
        async for sdk_chunk in aiter_chunks(response):
            last = sdk_chunk
            chunk = GroqCallResponseChunk(chunk=sdk_chunk)
            tools = resolver.tools_of(sdk_chunk)
            if tools:
                for pair in _pairs(chunk, tools):
                    yield pair
            else:
                yield chunk, None
        if last is not None and (tools := resolver.flush()):
            for tool in tools:
                yield _empty_chunk(last), tool
    finally:
        await response.aclose()
