"""Encode a stream for the browser: plain SSE events, or the Vercel AI SDK UI message stream.

Both encoders read `(chunk, tool)` pairs from a stream and yield bytes ready for an HTTP body.

Invariants:
- Whatever arrived is encoded before an error: an error ends the body with an `error` event
  (typed, with the partial state in `sse()`), then the terminal event; it is not re-raised.
- The stream is closed on every exit, including the consumer closing the generator (a client
  disconnect), so the provider connection is released at once.
- Tool loop (`next_turn`): each turn's stream is closed before the next turn is requested; the
  loop runs at most `max_turns` turns; one UI message holds them all, one step per turn, and the
  single final `finish` carries usage and cost summed over the turns.
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


def _total(values: list[Any]) -> Any:
    """The sum, or None when any turn did not report the value (a partial sum would mislead)."""
    return None if any(v is None for v in values) else sum(values)


def _usage(turns: list[Any]) -> dict[str, Any]:
    """Usage and cost summed over the turns; model and finish reasons of the last turn."""
    last = turns[-1]
    return {
        "model": last.model,
        "input_tokens": _total([t.input_tokens for t in turns]),
        "output_tokens": _total([t.output_tokens for t in turns]),
        "cached_tokens": _total([t.cached_tokens for t in turns]),
        "cost": _total([t.cost for t in turns]),
        "finish_reasons": last.finish_reasons,
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

    def step_start(self) -> bytes:
        return b""

    def step_finish(self) -> bytes:
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

    def finish(self, turns: list[Any]) -> bytes:
        return b"event: finish\ndata: " + _dumps(_usage(turns)).encode() + b"\n\n"

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
        return self._part({"type": "start"})

    def step_start(self) -> bytes:
        return self._part({"type": "start-step"})

    def step_finish(self) -> bytes:
        return self._close_run() + self._part({"type": "finish-step"})

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

    def finish(self, turns: list[Any]) -> bytes:
        return self._part({"type": "finish", "messageMetadata": _usage(turns)})

    def error(self, exc: BaseException, stream: Any) -> bytes:
        info = _error_info(exc, stream)
        text = f"{info['type']}: {info['message']}"
        return self._close_run() + self._part({"type": "error", "errorText": text})

    def end(self) -> bytes:
        return b"data: [DONE]\n\n"


Encoder = SSEEncoder | UIMessageStreamEncoder

NextTurn = Callable[[list[Any]], Any]
"""Takes the messages the tool loop added (assistant turns and tool results, in order) and
returns the next turn's stream (or, async, an awaitable of it)."""

DEFAULT_MAX_TURNS = 8
"""Turns a tool loop runs at most; the last one's tools are run and streamed, then it finishes."""


def _inner(stream: Any) -> Any:
    """The provider stream behind a structured stream (or the stream itself)."""
    return getattr(stream, "stream", None) if hasattr(stream, "response_model") else stream


def _call_tool(tool: Any) -> Any:
    """The default `tool_output` of a tool loop: run the tool."""
    return tool.call()


def _complete(tool: Any) -> bool:
    return tool is not None and getattr(tool, "delta", None) is None


def _history(stream: Any, outputs: list[tuple[Any, Any]]) -> list[Any]:
    """The assistant turn and its tool results, as the provider accepts them back."""
    return [stream.message_param, *stream.tool_message_params(outputs)]


def encode(
    stream: Any,
    encoder: Encoder,
    tool_output: ToolOutput | None = None,
    *,
    next_turn: NextTurn | None = None,
    max_turns: int = DEFAULT_MAX_TURNS,
) -> Iterator[bytes]:
    """Encode a sync stream (or structured stream); closes every stream on every exit.

    With `next_turn`, this is a tool loop: the tools of each turn run (`tool_output`, default
    `tool.call()`), their outputs are streamed, and `next_turn(added_messages)` streams the next
    turn, until a turn calls no tool or `max_turns` turns ran. One UI message holds every turn
    (one step each); the final `finish` carries the usage and cost summed over the turns.

    Example:
        ```python
        for data in encode(stream, UIMessageStreamEncoder()):
            wfile.write(data)
        ```
    """
    if next_turn is not None and tool_output is None:
        tool_output = _call_tool
    current = stream
    turns: list[Any] = []
    added: list[Any] = []
    try:
        if start := encoder.start():
            yield start
        while True:
            inner = _inner(current)
            turns.append(inner)
            outputs: list[tuple[Any, Any]] = []
            if step := encoder.step_start():
                yield step
            try:
                if inner is not current:
                    for obj in current:
                        yield encoder.partial(obj)
                else:
                    for chunk, tool in current:
                        data = encoder.pair(chunk, tool)
                        if tool_output is not None and _complete(tool):
                            output = tool_output(tool)
                            outputs.append((tool, output))
                            data += encoder.tool_result(tool, output)
                        if data:
                            yield data
            except Exception as exc:
                yield encoder.error(exc, inner)
                break
            finally:
                current.close()  # release this turn's connection before the next turn starts
            if step := encoder.step_finish():
                yield step
            if next_turn is None or not outputs or len(turns) >= max_turns:
                yield encoder.finish(turns)
                break
            added += _history(inner, outputs)
            try:
                current = next_turn(list(added))
            except Exception as exc:
                yield encoder.error(exc, inner)
                break
        yield encoder.end()
    finally:
        current.close()


async def aencode(
    stream: Any,
    encoder: Encoder,
    tool_output: ToolOutput | None = None,
    *,
    next_turn: NextTurn | None = None,
    max_turns: int = DEFAULT_MAX_TURNS,
) -> AsyncIterator[bytes]:
    """The async twin of `encode`; `tool_output` and `next_turn` may return awaitables.

    Example:
        ```python
        body = aencode(stream, SSEEncoder(), next_turn=lambda added: chat([*history, *added]))
        ```
    """
    import inspect

    import anyio

    if next_turn is not None and tool_output is None:
        tool_output = _call_tool
    current = stream
    turns: list[Any] = []
    added: list[Any] = []
    try:
        if start := encoder.start():
            yield start
        while True:
            inner = _inner(current)
            turns.append(inner)
            outputs: list[tuple[Any, Any]] = []
            if step := encoder.step_start():
                yield step
            try:
                if inner is not current:
                    async for obj in current:
                        yield encoder.partial(obj)
                else:
                    async for chunk, tool in current:
                        data = encoder.pair(chunk, tool)
                        if tool_output is not None and _complete(tool):
                            output = tool_output(tool)
                            if inspect.isawaitable(output):
                                output = await output
                            outputs.append((tool, output))
                            data += encoder.tool_result(tool, output)
                        if data:
                            yield data
            except Exception as exc:
                yield encoder.error(exc, inner)
                break
            finally:
                with anyio.CancelScope(shield=True):
                    await current.aclose()
            if step := encoder.step_finish():
                yield step
            if next_turn is None or not outputs or len(turns) >= max_turns:
                yield encoder.finish(turns)
                break
            added += _history(inner, outputs)
            try:
                following = next_turn(list(added))
                current = await following if inspect.isawaitable(following) else following
            except Exception as exc:
                yield encoder.error(exc, inner)
                break
        yield encoder.end()
    finally:
        with anyio.CancelScope(shield=True):  # a cancelled request still releases Groq at once
            await current.aclose()


__all__ = [
    "DEFAULT_MAX_TURNS",
    "SSE_HEADERS",
    "UI_MESSAGE_STREAM_HEADERS",
    "NextTurn",
    "SSEEncoder",
    "UIMessageStreamEncoder",
    "aencode",
    "encode",
]
