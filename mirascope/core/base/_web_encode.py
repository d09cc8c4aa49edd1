"""Encode a stream for the browser: plain SSE events, or the Vercel AI SDK UI message stream.

Both encoders read `(chunk, tool)` pairs from a stream and yield bytes ready for an HTTP body.

Invariants:
- Whatever arrived is encoded before an error: an error ends the body with an `error` event
  (typed, with the partial state in `sse()`), then the terminal event; it is not re-raised.
- The stream is closed on every exit, including the consumer closing the generator (a client
  disconnect), so the provider connection is released at once.
- UI message stream parts follow the Vercel AI SDK's published chunk schema
  (`ai@6.0.41`, src/ui-message-stream/ui-message-chunks.ts; same part names as ai v5), with the
  response header `x-vercel-ai-ui-message-stream: v1` and a final `data: [DONE]`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from json.encoder import encode_basestring_ascii as _quote  # C-accelerated: one per delta
from typing import Any

UI_MESSAGE_STREAM_HEADERS = {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
    "x-vercel-ai-ui-message-stream": "v1",
}
"""Headers for a UI message stream response (the SDK checks `x-vercel-ai-ui-message-stream`)."""

SSE_HEADERS = {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    "x-accel-buffering": "no",
}
"""Headers for a plain SSE response."""

ToolOutput = Callable[[Any], Any]
"""Takes a complete tool and returns its output (for the `tool_result` event)."""


def _dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), default=str)


def _tool_info(tool: Any) -> tuple[str, str, str]:
    """`(id, name, arguments JSON)` of a tool yielded by a stream."""
    call: Any = getattr(tool, "tool_call", None)
    function: Any = getattr(call, "function", None)
    tool_type: Any = getattr(tool, "__class__")  # noqa: B009
    name = str(getattr(function, "name", None) or tool_type._name())
    arguments = getattr(function, "arguments", None)
    if not isinstance(arguments, str):
        arguments = _dumps(tool.args)
    return str(getattr(call, "id", "") or ""), name, arguments


def _args(tool: Any) -> dict[str, Any]:
    return tool.model_dump(mode="json", exclude={"tool_call", "delta"}, exclude_none=True)


def _usage(stream: Any) -> dict[str, Any]:
    return {
        "model": stream.model,
        "input_tokens": stream.input_tokens,
        "output_tokens": stream.output_tokens,
        "cached_tokens": stream.cached_tokens,
        "cost": stream.cost,
        "finish_reasons": stream.finish_reasons,
    }


def _error_info(exc: BaseException, stream: Any) -> dict[str, Any]:
    return {
        "type": type(exc).__name__,
        "kind": getattr(exc, "kind", None),
        "code": getattr(exc, "code", None),
        "message": str(exc),
        "partial": {
            "content": stream.content,
            "reasoning": getattr(stream, "reasoning", ""),
            "tool_calls": stream._tool_calls_received(),  # pyright: ignore[reportPrivateUsage]
        },
    }


class SSEEncoder:
    """Plain SSE: `event: <name>` + one JSON `data:` line per event; `done` ends the body.

    Events: `text`, `reasoning` (`{"delta"}`), `tool_call_delta` (`{"id","name","delta","args"}`,
    args parsed so far), `tool_call` (`{"id","name","args"}`), `tool_result`
    (`{"id","name","output"}`), `partial` (a structured partial object), `finish` (usage, cost,
    finish reasons), `error` (typed, with the partial state), `done`.
    """

    def start(self) -> bytes:
        return b""

    def pair(self, chunk: Any, tool: Any) -> bytes:
        reasoning = getattr(chunk, "reasoning", "")
        content = chunk.content
        if content and not reasoning and tool is None:  # the common case: one text delta
            return b'event: text\ndata: {"delta":' + _quote(content).encode() + b"}\n\n"
        out = b""
        if reasoning:
            out += b'event: reasoning\ndata: {"delta":' + _quote(reasoning).encode() + b"}\n\n"
        if content:
            out += b'event: text\ndata: {"delta":' + _quote(content).encode() + b"}\n\n"
        if tool is not None:
            out += self.tool(tool)
        return out

    def tool(self, tool: Any) -> bytes:
        call_id, name, _ = _tool_info(tool)
        delta = getattr(tool, "delta", None)
        if delta is not None:
            body = {"id": call_id, "name": name, "delta": delta, "args": _args(tool)}
            return b"event: tool_call_delta\ndata: " + _dumps(body).encode() + b"\n\n"
        body = {"id": call_id, "name": name, "args": _args(tool)}
        return b"event: tool_call\ndata: " + _dumps(body).encode() + b"\n\n"

    def tool_result(self, tool: Any, output: Any) -> bytes:
        call_id, name, _ = _tool_info(tool)
        body = {"id": call_id, "name": name, "output": output}
        return b"event: tool_result\ndata: " + _dumps(body).encode() + b"\n\n"

    def partial(self, obj: Any) -> bytes:
        data = obj.model_dump(mode="json") if hasattr(obj, "model_dump") else obj
        return b"event: partial\ndata: " + _dumps(data).encode() + b"\n\n"

    def finish(self, stream: Any) -> bytes:
        return b"event: finish\ndata: " + _dumps(_usage(stream)).encode() + b"\n\n"

    def error(self, exc: BaseException, stream: Any) -> bytes:
        return b"event: error\ndata: " + _dumps(_error_info(exc, stream)).encode() + b"\n\n"

    def end(self) -> bytes:
        return b"event: done\ndata: {}\n\n"


class UIMessageStreamEncoder:
    """The Vercel AI SDK UI message stream (v1): one JSON part per `data:` line, then `[DONE]`.

    Text and reasoning runs get `-start`/`-delta`/`-end` parts with ids `text-N`/`reasoning-N`;
    tools `tool-input-start`, `tool-input-delta` (partial tools), `tool-input-available`, and
    `tool-output-available` when an output is supplied; structured partials are `data-partial`
    parts with one id, so `useChat` replaces the part in place. Usage and cost travel as the
    `finish` part's `messageMetadata`.
    """

    def __init__(self) -> None:
        self._open: str | None = None  # the id of the open text/reasoning run
        self._kind = ""
        self._text_prefix = b""  # the open text run's delta part up to the delta: one concat each
        self._n = 0
        self._started_tools: set[str] = set()

    @staticmethod
    def _part(obj: dict[str, Any]) -> bytes:
        return b"data: " + _dumps(obj).encode() + b"\n\n"

    def _close_run(self) -> bytes:
        if self._open is None:
            return b""
        part = self._part({"type": f"{self._kind}-end", "id": self._open})
        self._open = None
        self._text_prefix = b""
        return part

    def _delta(self, kind: str, delta: str) -> bytes:
        out = b""
        if self._open is None or self._kind != kind:
            out += self._close_run()
            self._n += 1
            self._kind, self._open = kind, f"{kind}-{self._n}"
            out += self._part({"type": f"{kind}-start", "id": self._open})
        prefix = b'data: {"type":"%s-delta","id":"%s","delta":' % (
            kind.encode(),
            self._open.encode(),
        )
        self._text_prefix = prefix if kind == "text" else b""
        return out + prefix + _quote(delta).encode() + b"}\n\n"

    def start(self) -> bytes:
        return self._part({"type": "start"}) + self._part({"type": "start-step"})

    def pair(self, chunk: Any, tool: Any) -> bytes:
        reasoning = getattr(chunk, "reasoning", "")
        content = chunk.content
        if content and not reasoning and tool is None and self._text_prefix:
            # the common case: one more delta of the open text run
            return self._text_prefix + _quote(content).encode() + b"}\n\n"
        out = b""
        if reasoning:
            out += self._delta("reasoning", reasoning)
        if content:
            out += self._delta("text", content)
        if tool is not None:
            out += self.tool(tool)
        return out

    def tool(self, tool: Any) -> bytes:
        out = self._close_run()
        call_id, name, _ = _tool_info(tool)
        if call_id not in self._started_tools:
            self._started_tools.add(call_id)
            out += self._part({"type": "tool-input-start", "toolCallId": call_id, "toolName": name})
        delta = getattr(tool, "delta", None)
        if delta is not None:
            return out + self._part(
                {"type": "tool-input-delta", "toolCallId": call_id, "inputTextDelta": delta}
            )
        return out + self._part(
            {
                "type": "tool-input-available",
                "toolCallId": call_id,
                "toolName": name,
                "input": _args(tool),
            }
        )

    def tool_result(self, tool: Any, output: Any) -> bytes:
        call_id, _, _ = _tool_info(tool)
        return self._part(
            {"type": "tool-output-available", "toolCallId": call_id, "output": output}
        )

    def partial(self, obj: Any) -> bytes:
        data = obj.model_dump(mode="json") if hasattr(obj, "model_dump") else obj
        return self._part({"type": "data-partial", "id": "partial", "data": data})

    def finish(self, stream: Any) -> bytes:
        return (
            self._close_run()
            + self._part({"type": "finish-step"})
            + self._part({"type": "finish", "messageMetadata": _usage(stream)})
        )

    def error(self, exc: BaseException, stream: Any) -> bytes:
        info = _error_info(exc, stream)
        text = f"{info['type']}: {info['message']}"
        return self._close_run() + self._part({"type": "error", "errorText": text})

    def end(self) -> bytes:
        return b"data: [DONE]\n\n"


Encoder = SSEEncoder | UIMessageStreamEncoder


def _inner(stream: Any) -> Any:
    """The provider stream behind a structured stream (or the stream itself)."""
    return getattr(stream, "stream", None) if hasattr(stream, "response_model") else stream


def encode(stream: Any, encoder: Encoder, tool_output: ToolOutput | None = None) -> Iterator[bytes]:
    """Encode a sync stream (or structured stream); closes it on every exit.

    Example:
        ```python
        for data in encode(stream, UIMessageStreamEncoder()):
            wfile.write(data)
        ```
    """
    inner = _inner(stream)
    structured = inner is not stream
    try:
        if start := encoder.start():
            yield start
        try:
            if structured:
                for obj in stream:
                    yield encoder.partial(obj)
            else:
                for chunk, tool in stream:
                    data = encoder.pair(chunk, tool)
                    if tool_output is not None and tool is not None and tool.delta is None:
                        data += encoder.tool_result(tool, tool_output(tool))
                    if data:
                        yield data
        except Exception as exc:
            yield encoder.error(exc, inner)
        else:
            yield encoder.finish(inner)
        yield encoder.end()
    finally:
        stream.close()


async def aencode(
    stream: Any, encoder: Encoder, tool_output: ToolOutput | None = None
) -> AsyncIterator[bytes]:
    """The async twin of `encode`; `tool_output` may return an awaitable."""
    import inspect

    inner = _inner(stream)
    structured = inner is not stream
    try:
        if start := encoder.start():
            yield start
        try:
            if structured:
                async for obj in stream:
                    yield encoder.partial(obj)
            else:
                async for chunk, tool in stream:
                    data = encoder.pair(chunk, tool)
                    if tool_output is not None and tool is not None and tool.delta is None:
                        output = tool_output(tool)
                        if inspect.isawaitable(output):
                            output = await output
                        data += encoder.tool_result(tool, output)
                    if data:
                        yield data
        except Exception as exc:
            yield encoder.error(exc, inner)
        else:
            yield encoder.finish(inner)
        yield encoder.end()
    finally:
        import anyio

        with anyio.CancelScope(shield=True):  # a cancelled request still releases Groq at once
            await stream.aclose()


__all__ = [
    "SSE_HEADERS",
    "UI_MESSAGE_STREAM_HEADERS",
    "SSEEncoder",
    "UIMessageStreamEncoder",
    "aencode",
    "encode",
]
