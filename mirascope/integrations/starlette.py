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


def _body(
    stream: Any,
    encoder: web.Encoder,
    tool_output: web.ToolOutput | None,
    next_turn: web.NextTurn | None,
    max_turns: int,
) -> Any:
    is_async = hasattr(web._inner(stream).stream, "__aiter__")  # pyright: ignore[reportPrivateUsage]
    run = web.aencode if is_async else web.encode
    return run(stream, encoder, tool_output, next_turn=next_turn, max_turns=max_turns)


def ui_message_stream_response(
    stream: Any,
    tool_output: web.ToolOutput | None = None,
    *,
    next_turn: web.NextTurn | None = None,
    max_turns: int = web.DEFAULT_MAX_TURNS,
) -> StreamingResponse:
    """A `StreamingResponse` of the Vercel AI SDK UI message stream, for `useChat`.

    `tool_output(tool)` supplies each complete tool's output (`tool-output-available`). With
    `next_turn(added_messages)`, the response is a tool loop: each turn's tools run (default
    `tool.call()`), their outputs stream, then the next turn, until a turn calls no tool or
    `max_turns` turns ran.

    Example:
        ```python
        @app.post("/api/chat")
        async def chat(body: dict):
            history = [{"role": "user", "content": body["prompt"]}]
            return ui_message_stream_response(
                await answer(history), next_turn=lambda added: answer([*history, *added])
            )
        ```
    """
    encoder = web.UIMessageStreamEncoder()
    body = _body(stream, encoder, tool_output, next_turn, max_turns)
    return _response(body, web.UI_MESSAGE_STREAM_HEADERS)


def sse_response(
    stream: Any,
    tool_output: web.ToolOutput | None = None,
    *,
    next_turn: web.NextTurn | None = None,
    max_turns: int = web.DEFAULT_MAX_TURNS,
) -> StreamingResponse:
    """A `StreamingResponse` of plain SSE events, for `EventSource`; tool loop as above.

    Example:
        ```python
        @app.get("/api/chat")
        async def chat(prompt: str):
            return sse_response(await answer(prompt))
        ```
    """
    body = _body(stream, web.SSEEncoder(), tool_output, next_turn, max_turns)
    return _response(body, web.SSE_HEADERS)


__all__ = ["sse_response", "ui_message_stream_response"]
