"""Starlette/FastAPI responses for streams: `ui_message_stream_response` and `sse_response`.

Needs the `web` extra (`starlette`); importing `mirascope.core.groq` never imports this module.

Invariants:
- Headers: `content-type: text/event-stream`, `cache-control: no-cache`,
  `x-accel-buffering: no` (and `x-vercel-ai-ui-message-stream: v1` for the UI stream).
- When the client disconnects, Starlette cancels the body; the encoder's `finally` closes the
  Groq stream (shielded from the cancellation), so the Groq connection is released at once. A
  sync stream is iterated in a worker thread and closed there too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
from starlette.responses import StreamingResponse

from mirascope.core.base import _web_encode as web


async def _iterate_sync(body: Iterator[bytes]) -> AsyncIterator[bytes]:
    done = b""  # the encoders never yield an empty part, so b"" marks the end
    try:
        while True:
            item: bytes = await anyio.to_thread.run_sync(next, body, done)
            if item is done:
                return
            yield item
    finally:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(getattr(body, "close"))  # noqa: B009


def _response(body: Any, headers: dict[str, str]) -> StreamingResponse:
    if not hasattr(body, "__aiter__"):
        body = _iterate_sync(body)
    return StreamingResponse(body, headers=headers, media_type="text/event-stream")


def ui_message_stream_response(stream: Any, tool_output: Any = None) -> StreamingResponse:
    """A `StreamingResponse` of the Vercel AI SDK UI message stream, for `useChat`.

    Example:
        ```python
        @app.post("/api/chat")
        async def chat(body: dict):
            return ui_message_stream_response(await answer(body["prompt"]))
        ```
    """
    if hasattr(stream, "response_model"):
        return _response(stream.ui_message_stream(), web.UI_MESSAGE_STREAM_HEADERS)
    return _response(stream.ui_message_stream(tool_output), web.UI_MESSAGE_STREAM_HEADERS)


def sse_response(stream: Any, tool_output: Any = None) -> StreamingResponse:
    """A `StreamingResponse` of plain SSE events, for `EventSource`.

    Example:
        ```python
        @app.get("/api/chat")
        async def chat(prompt: str):
            return sse_response(await answer(prompt))
        ```
    """
    if hasattr(stream, "response_model"):
        return _response(stream.sse(), web.SSE_HEADERS)
    return _response(stream.sse(tool_output), web.SSE_HEADERS)


__all__ = ["sse_response", "ui_message_stream_response"]
