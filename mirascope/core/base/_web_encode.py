"""Encode a stream for the browser: plain SSE events, or the Vercel AI SDK UI message stream.

Both encoders read `(chunk, tool)` pairs from a stream and yield bytes ready for an HTTP body.

Invariants:
- Whatever arrived is encoded before an error: an error ends the body with an `error` event
  (typed, with the partial state in `sse()`), then the terminal event; it is not re-raised.
- The stream is closed on every exit, including the consumer closing the generator (a client
  disconnect), so the provider connection is released at once.
- Tool loop (`next_turn`): each turn's stream is closed before the next turn is requested; the
  loop runs at most `max_turns` turns; one UI message holds them all, one step per turn (plain
  SSE: `step_start`/`step_finish` events), and the single final `finish` carries usage and cost
  summed over the turns.
- In a tool loop, every tool call of a turn is answered before the next turn: a tool's output,
  or, for a call whose arguments did not parse or validate (the stream's typed
  `invalid_tool_call` error) or of a tool the call lacks, a tool message with the error text;
  the latter is streamed as a tool error, not as the body's `error`. Outside a loop the
  invalid-tool-call error ends the body like any other.
- One loop body: `_Loop` decides what each event sends and what comes next; `encode` and
  `aencode` only iterate, run tools and close streams. A single stream's bytes do not depend on
  the loop (no step events in plain SSE).
- UI message stream parts follow the Vercel AI SDK's published chunk schema
  (`ai@6.0.41`, src/ui-message-stream/ui-message-chunks.ts; same part names as ai v5), with the
  response header `x-vercel-ai-ui-message-stream: v1` and a final `data: [DONE]`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from json.encoder import encode_basestring_ascii as _quote  # C-accelerated: one per delta
from types import SimpleNamespace
from typing import Any, NamedTuple, cast

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
    finish reasons), `error` (typed, with the partial state), `done`. In a tool loop also
    `step_start` (`{"turn"}`, from 1), `step_finish` (`{"turn"}` and that turn's usage, cost and
    finish reasons) and `tool_call_error` (`{"id","name","arguments","error"}`: a call answered
    with its error).
    """

    def start(self) -> bytes:
        return b""

    def step_start(self, turn: int, tool_loop: bool) -> bytes:
        if not tool_loop:  # one stream is one turn: its bytes stay as they were
            return b""
        return b'event: step_start\ndata: {"turn":%d}\n\n' % turn

    def step_finish(self, turn: int, stream: Any, tool_loop: bool) -> bytes:
        if not tool_loop:
            return b""
        body = {"turn": turn, **_usage([stream])}
        return b"event: step_finish\ndata: " + _dumps(body).encode() + b"\n\n"

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

    def tool_error(self, call_id: str, name: str, arguments: str, error: str) -> bytes:
        body = {"id": call_id, "name": name, "arguments": arguments, "error": error}
        return b"event: tool_call_error\ndata: " + _dumps(body).encode() + b"\n\n"

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

    def step_start(self, turn: int, tool_loop: bool) -> bytes:
        return self._part({"type": "start-step"})

    def step_finish(self, turn: int, stream: Any, tool_loop: bool) -> bytes:
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

    def tool_error(self, call_id: str, name: str, arguments: str, error: str) -> bytes:
        # As the SDK's own streamText sends a call it could not parse: `tool-input-error` (the raw
        # input), then `tool-output-error`; both in the ai@6.0.41 chunk schema.
        out = self._close_run()
        if call_id not in self._started_tools:
            self._started_tools.add(call_id)
            out += self._part({"type": "tool-input-start", "toolCallId": call_id, "toolName": name})
        out += self._part(
            {
                "type": "tool-input-error",
                "toolCallId": call_id,
                "toolName": name,
                "input": arguments,
                "errorText": error,
            }
        )
        return out + self._part(
            {"type": "tool-output-error", "toolCallId": call_id, "errorText": error}
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


class _Refusal(NamedTuple):
    """A tool call the loop answers with an error (the fields of an `InvalidToolCall`)."""

    id: str
    name: str
    arguments: str
    error: str


class _Refused:
    """Stands in for the tool a refused call could not build, so `tool_message_params` answers
    it like any other call (one builder of tool messages)."""

    __slots__ = ("_tool_name", "tool_call")

    def __init__(self, refusal: Any) -> None:
        self.tool_call = SimpleNamespace(id=refusal.id)
        self._tool_name: str = refusal.name

    def _name(self) -> str:
        return self._tool_name


def _retry_text(error: str) -> str:
    """The tool message answering a refused call: the error, and what the model should do."""
    return f"{error}\n\nFix the tool call and try again."


def _inner(stream: Any) -> Any:
    """The provider stream behind a structured stream (or the stream itself)."""
    return getattr(stream, "stream", None) if hasattr(stream, "response_model") else stream


def _call_tool(tool: Any) -> Any:
    """The default `tool_output` of a tool loop: run the tool."""
    return tool.call()


def _complete(tool: Any) -> bool:
    return tool is not None and getattr(tool, "delta", None) is None


def _tool_calls(stream: Any) -> list[dict[str, Any]]:
    """The assistant turn's tool calls, as `message_param` keeps them (bad ones included)."""
    param: Any = stream.message_param
    if not isinstance(param, dict):
        return []
    calls: list[dict[str, Any]] = cast("dict[str, Any]", param).get("tool_calls") or []
    return list(calls)


def _invalid_calls(exc: BaseException) -> list[Any] | None:
    """The refused calls of the stream's typed invalid-tool-call error, else None."""
    if getattr(exc, "kind", None) != "invalid_tool_call":
        return None
    return list(getattr(exc, "invalid_tool_calls", None) or []) or None


class _Loop:
    """The I/O-free core of `encode` and `aencode`: they iterate, call tools and close streams;
    this decides what each event sends and what happens next.

    Events: `begin()` (a turn starts), `output(tool, value)` (a tool ran), `failed(exc)` (the
    turn's stream, a tool or `next_turn` raised), `end_turn()` (the turn's stream is closed). Each
    returns the bytes to send. `done` is set once the body is complete (the terminal event sent);
    until then, after `end_turn()`, `added` holds the messages for `next_turn`.
    """

    def __init__(
        self,
        stream: Any,
        encoder: Encoder,
        tool_output: ToolOutput | None,
        next_turn: NextTurn | None,
        max_turns: int,
    ) -> None:
        self.current = stream
        self.inner: Any = None
        self.encoder = encoder
        self.looping = next_turn is not None
        self.tool_output = tool_output if tool_output or not self.looping else _call_tool
        self.max_turns = max_turns
        self.turns: list[Any] = []
        self.added: list[Any] = []
        self.outputs: list[tuple[Any, Any]] = []
        self.refused: list[Any] = []
        self.streaming = False
        self.done = False

    @property
    def structured(self) -> bool:
        return self.inner is not self.current

    def begin(self) -> bytes:
        self.inner = _inner(self.current)
        self.turns.append(self.inner)
        self.outputs, self.refused, self.streaming = [], [], True
        out = self.encoder.start() if len(self.turns) == 1 else b""
        return out + self.encoder.step_start(len(self.turns), self.looping)

    def output(self, tool: Any, value: Any) -> bytes:
        self.outputs.append((tool, value))
        return self.encoder.tool_result(tool, value)

    def failed(self, exc: BaseException) -> bytes:
        calls = _invalid_calls(exc) if self.looping and self.streaming else None
        if calls is not None:  # answered with its error; the loop goes on
            return self._refuse(calls)
        self.done = True
        return self.encoder.error(exc, self.inner) + self.encoder.end()

    def _refuse(self, calls: list[Any]) -> bytes:
        self.refused += calls
        return b"".join(self.encoder.tool_error(c.id, c.name, c.arguments, c.error) for c in calls)

    def _unknown(self) -> list[_Refusal]:
        """The turn's calls nothing answered: calls of a tool the call does not have."""
        answered = {t.tool_call.id for t, _ in self.outputs} | {c.id for c in self.refused}
        names = ", ".join(t._name() for t in self.inner.tool_types or ()) or "none"
        unknown: list[_Refusal] = []
        for call in _tool_calls(self.inner):
            if call.get("id") not in answered:
                name = call["function"]["name"]
                error = f"Unknown tool {name!r}; the tools are: {names}."
                unknown.append(_Refusal(call["id"], name, call["function"]["arguments"], error))
        return unknown

    def _history(self) -> list[Any]:
        """The assistant turn and its answers, in call order, as the provider accepts them."""
        answers = [*self.outputs, *((_Refused(c), _retry_text(c.error)) for c in self.refused)]
        order = {call.get("id"): i for i, call in enumerate(_tool_calls(self.inner))}
        answers.sort(key=lambda pair: order.get(pair[0].tool_call.id, len(order)))
        return [self.inner.message_param, *self.inner.tool_message_params(answers)]

    def end_turn(self) -> bytes:
        """The turn's stream ended and is closed: the body ends, or `added` is the next turn's."""
        self.streaming = False
        out = self._refuse(self._unknown()) if self.looping else b""
        out += self.encoder.step_finish(len(self.turns), self.inner, self.looping)
        answered = self.outputs or self.refused
        if not self.looping or not answered or len(self.turns) >= self.max_turns:
            self.done = True
            return out + self.encoder.finish(self.turns) + self.encoder.end()
        self.added += self._history()
        return out


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
    turn, until a turn calls no tool or `max_turns` turns ran. A call with invalid arguments or
    of an unknown tool is answered with its error (the model sees it) and streamed as a tool
    error. One UI message holds every turn (one step each); the final `finish` carries the usage
    and cost summed over the turns.

    Example:
        ```python
        for data in encode(stream, UIMessageStreamEncoder()):
            wfile.write(data)
        ```
    """
    loop = _Loop(stream, encoder, tool_output, next_turn, max_turns)
    run = loop.tool_output
    try:
        while not loop.done:
            if data := loop.begin():
                yield data
            current = loop.current
            try:
                if loop.structured:
                    for obj in current:
                        yield encoder.partial(obj)
                else:
                    for chunk, tool in current:
                        data = encoder.pair(chunk, tool)
                        if run is not None and _complete(tool):
                            data += loop.output(tool, run(tool))
                        if data:
                            yield data
            except Exception as exc:
                yield loop.failed(exc)
            finally:
                current.close()  # release this turn's connection before the next turn starts
            if not loop.done and (data := loop.end_turn()):
                yield data
            if not loop.done and next_turn is not None:
                try:
                    loop.current = next_turn(list(loop.added))
                except Exception as exc:
                    yield loop.failed(exc)
    finally:
        loop.current.close()


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

    loop = _Loop(stream, encoder, tool_output, next_turn, max_turns)
    run = loop.tool_output
    try:
        while not loop.done:
            if data := loop.begin():
                yield data
            current = loop.current
            try:
                if loop.structured:
                    async for obj in current:
                        yield encoder.partial(obj)
                else:
                    async for chunk, tool in current:
                        data = encoder.pair(chunk, tool)
                        if run is not None and _complete(tool):
                            output = run(tool)
                            if inspect.isawaitable(output):
                                output = await output
                            data += loop.output(tool, output)
                        if data:
                            yield data
            except Exception as exc:
                yield loop.failed(exc)
            finally:
                with anyio.CancelScope(shield=True):
                    await current.aclose()
            if not loop.done and (data := loop.end_turn()):
                yield data
            if not loop.done and next_turn is not None:
                try:
                    following = next_turn(list(loop.added))
                    loop.current = await following if inspect.isawaitable(following) else following
                except Exception as exc:
                    yield loop.failed(exc)
    finally:
        with anyio.CancelScope(shield=True):  # a cancelled request still releases Groq at once
            await loop.current.aclose()


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
