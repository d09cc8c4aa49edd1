"""Scenarios: how a checked `ScriptEntry` plus the request becomes bytes to send.

`plan()` returns a `StreamReply` (chunked SSE, possibly with a fault) or a `BodyReply` (one JSON
body), following GROQ_WIRE.md §4.3 and §4.4. Content scenarios go through a mode-neutral `Turn`, so
streamed and non-streamed answers always agree.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from typing import Any, cast

from . import _canned
from ._compound import builtin_chunks, citation_chunks, compound_chunks
from ._render import (
    chat_completion_id,
    count_tokens,
    dumps,
    error_body,
    fingerprint,
    sse_event,
    tool_call_id,
    usage_dict,
)
from ._script import ScriptEntry
from ._turn import ReasoningFormat, ToolCall, ToolStyle, Turn, UsageMode, aggregate_chunks

__all__ = ["BodyReply", "RequestContext", "StreamReply", "plan"]

_FAULT_PRESETS = {"drop": "drop", "eof_no_done": "eof_no_done", "stall": "stall"}

_ERROR_MESSAGES = {
    "tool_use_failed": "Failed to call a function. Please adjust your prompt. "
    "See 'failed_generation' for more details.",
    "json_validate_failed": "Failed to generate JSON. Please adjust your prompt. "
    "See 'failed_generation' for more details.",
}


@dataclass
class RequestContext:
    """The parts of a chat-completions request that scenarios read."""

    body: dict[str, object]
    model: str
    stream: bool
    request_id: str
    prompt_tokens: int


@dataclass
class StreamReply:
    """A 200 `text/event-stream` answer: events, plus where and how to cut it."""

    scenario: str
    events: list[bytes]
    delay: float = 0.0
    fault: str | None = None
    fault_at: int = 0
    stall_seconds: float = 30.0
    terminate: bool = True
    status: int = 200
    content_type: str = "text/event-stream"
    headers: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    tokens: int = 0


@dataclass
class BodyReply:
    """A complete JSON (or raw) answer with a `content-length`."""

    scenario: str
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list[tuple[str, str]])
    wait: float = 0.0
    truncate: bool = False
    tokens: int = 0


Reply = StreamReply | BodyReply


def _str(p: dict[str, object], key: str, default: str) -> str:
    value = p.get(key, default)
    return value if isinstance(value, str) else json.dumps(value)


def _int(p: dict[str, object], key: str, default: int) -> int:
    value = p.get(key, default)
    return int(value) if isinstance(value, (int, float, str)) else default


def _float(p: dict[str, object], key: str, default: float) -> float:
    value = p.get(key, default)
    return float(value) if isinstance(value, (int, float, str)) else default


def _opt_int(p: dict[str, object], key: str) -> int | None:
    return _int(p, key, 0) if p.get(key) is not None else None


def _headers(p: dict[str, object]) -> list[tuple[str, str]]:
    raw: object = p.get("headers") or {}
    return [(str(k).lower(), str(v)) for k, v in cast(dict[object, object], raw).items()]


def _envelope(ctx: RequestContext, p: dict[str, object]) -> dict[str, object]:
    return {
        "id": _str(p, "completion_id", "") or chat_completion_id(),
        "object": "chat.completion.chunk",
        "created": _int(p, "created", int(time.time())),
        "model": _str(p, "model", ctx.model),
        "system_fingerprint": _str(p, "system_fingerprint", "") or fingerprint(),
    }


def _turn(ctx: RequestContext, p: dict[str, object]) -> Turn:
    return Turn(
        envelope=_envelope(ctx, p),
        request_id=_str(p, "request_id", ctx.request_id),
        seed=_int(p, "seed", secrets.randbelow(2**31)),
        finish_reason=cast(str | None, p.get("finish_reason", "stop")),
        usage_mode=cast(UsageMode, p.get("usage_mode", "both")),
        chunk_size=_int(p, "chunk_size", 1),
        chunk_chars=_opt_int(p, "chunk_chars"),
        chunks=_opt_int(p, "chunks"),
        x_groq_error=cast(str | None, p.get("x_groq_error")),
        done=bool(p.get("done", True)),
    )


def _max_tokens(ctx: RequestContext) -> int | None:
    value = ctx.body.get("max_completion_tokens", ctx.body.get("max_tokens"))
    return value if isinstance(value, int) and value > 0 else None


def _text_of(ctx: RequestContext, p: dict[str, object], key: str = "text") -> str:
    if key in p:
        return _str(p, key, "")
    if p.get("chunks") is not None and p.get("chunks") != 0:
        words = ("lorem", "ipsum", "dolor", "sit", "amet")
        return " ".join(words[i % 5] for i in range(_int(p, "chunks", 1)))
    return _canned.canned_text(ctx.body)


def _calls(ctx: RequestContext, p: dict[str, object]) -> list[ToolCall]:
    raw: object = p.get("calls")
    if raw is None:
        tool = _canned.chosen_tool(ctx.body)
        raw = [_canned.tool_arguments(tool) if tool else ("get_weather", '{"city":"Paris"}')]
    calls: list[ToolCall] = []
    for item in cast(list[object], raw):
        if isinstance(item, dict):
            d = cast(dict[str, object], item)
            args = d.get("arguments", "{}")
            args_text = args if isinstance(args, str) else json.dumps(args)
            calls.append(
                ToolCall(_str(d, "id", "") or tool_call_id(), _str(d, "name", ""), args_text)
            )
        else:
            name, args = cast(tuple[object, object], tuple(cast(list[object], item)))
            args_text = args if isinstance(args, str) else json.dumps(args)
            calls.append(ToolCall(tool_call_id(), str(name), args_text))
    return calls


def _default_kind(ctx: RequestContext) -> str:
    body = ctx.body
    tools = body.get("tools")
    choice = body.get("tool_choice")
    wants_call = _canned.last_role(body) != "tool" or choice == "required"
    if isinstance(tools, list) and tools and choice != "none" and wants_call:
        return "tool_calls"
    fmt = body.get("response_format")
    if isinstance(fmt, dict) and cast(dict[str, object], fmt).get("type") in (
        "json_object",
        "json_schema",
    ):
        return "json"
    return "text"


def _json_text(ctx: RequestContext, p: dict[str, object]) -> str:
    if "obj" in p:
        return json.dumps(p["obj"], ensure_ascii=False)
    if "text" in p:
        return _str(p, "text", "")
    fmt = cast(dict[str, object], ctx.body.get("response_format") or {})
    spec = fmt.get("json_schema")
    if isinstance(spec, dict):
        sample = _canned.sample_from_schema(cast(dict[str, object], spec).get("schema"))
        return json.dumps(sample, ensure_ascii=False)
    return json.dumps({"title": "Dune", "author": "Frank Herbert"})


def _fill_turn(kind: str, ctx: RequestContext, p: dict[str, object]) -> Turn:
    turn = _turn(ctx, p)
    if kind == "tool_calls":
        turn.tool_calls = _calls(ctx, p)
        turn.tool_style = cast(ToolStyle, p.get("style", "whole"))
        turn.fragment_size = _int(p, "fragment_size", _int(p, "chunk_chars", 8))
        turn.content = cast(str | None, p.get("content"))
        turn.reasoning = cast(str | None, p.get("reasoning"))
        turn.finish_reason = cast(str | None, p.get("finish_reason", "tool_calls"))
    elif kind == "reasoning":
        turn.reasoning = _str(p, "reasoning", "Okay, let me think about this step by step.")
        turn.content = _text_of(ctx, p)
    elif kind == "json":
        turn.content = _json_text(ctx, p)
    else:
        turn.content = _text_of(ctx, p)
        limit = _max_tokens(ctx)
        if limit is not None and "finish_reason" not in p and count_tokens(turn.content) > limit:
            turn.content = "".join(turn._pieces(turn.content)[:limit])
            turn.finish_reason = "length"
    if kind in ("reasoning", "tool_calls"):
        fmt = p.get("reasoning_format", ctx.body.get("reasoning_format", "parsed"))
        if ctx.body.get("include_reasoning") is False:
            fmt = "hidden"
        turn.reasoning_format = cast(ReasoningFormat, fmt)
    if kind == "x_groq_error":
        turn.x_groq_error = _str(p, "error", "stream interrupted by upstream timeout")
    reasoning_tokens = count_tokens(turn.reasoning) if turn.reasoning else None
    completion = (
        count_tokens(turn.content or "")
        + (reasoning_tokens or 0)
        + sum(count_tokens(c.name + c.arguments) for c in turn.tool_calls)
    )
    turn.usage = usage_dict(
        _int(p, "prompt_tokens", ctx.prompt_tokens),
        _int(p, "completion_tokens", completion),
        reasoning_tokens=_opt_int(p, "reasoning_tokens") or reasoning_tokens,
        cached_tokens=_opt_int(p, "cached_tokens"),
    )
    return turn


def _stream(
    name: str, events: list[bytes], limit: int, ctx: RequestContext, p: dict[str, object]
) -> StreamReply:
    fault = cast(str | None, p.get("fault", _FAULT_PRESETS.get(name)))
    after = _int(p, "after", 2)
    return StreamReply(
        scenario=name,
        events=events,
        delay=_float(p, "delay", 0.0),
        fault=fault,
        fault_at=min(1 + max(0, after), limit),
        stall_seconds=_float(p, "stall_seconds", 30.0),
        headers=_headers(p),
        tokens=ctx.prompt_tokens,
    )


def _tier(completion: object, ctx: RequestContext) -> object:
    """Echo `service_tier` on a non-stream completion, as Groq does (`on_demand` by default)."""
    if not isinstance(completion, dict):
        return completion
    body = cast(dict[str, object], completion)
    tier = ctx.body.get("service_tier")
    body["service_tier"] = tier if tier in ("on_demand", "flex", "performance") else "on_demand"
    return body


def _json_reply(
    name: str, status: int, obj: object, p: dict[str, object], **kw: object
) -> BodyReply:
    reply = BodyReply(name, status, dumps(obj), headers=_headers(p))
    for key, value in kw.items():
        setattr(reply, key, value)
    return reply


def _turn_reply(name: str, ctx: RequestContext, p: dict[str, object]) -> Reply:
    kind = _default_kind(ctx) if name == "default" else name
    turn = _fill_turn(kind if kind in ("tool_calls", "reasoning", "json") else name, ctx, p)
    fault = p.get("fault", _FAULT_PRESETS.get(name))
    if ctx.stream:
        events, finish_index = turn.stream_events()
        limit = finish_index if fault == "eof_no_done" else len(events)
        return _stream(name, events, limit, ctx, p)
    if fault == "stall":
        return _json_reply(
            name, 200, _tier(turn.completion(), ctx), p, wait=_float(p, "stall_seconds", 30.0)
        )
    truncated = fault == "eof_no_done"
    completion = _tier(turn.completion(truncated=truncated), ctx)
    return _json_reply(name, 200, completion, p, truncate=fault == "drop")


def _error_event_reply(ctx: RequestContext, p: dict[str, object]) -> Reply:
    code = _str(p, "code", "tool_use_failed")
    err: dict[str, object] = {
        "message": _str(p, "message", _ERROR_MESSAGES.get(code, "An error occurred.")),
        "type": _str(p, "type", "invalid_request_error"),
        "code": code,
    }
    default_gen = '<function=get_weather{"city": "Paris"}</function>'
    if code == "json_validate_failed":
        default_gen = '{"title": "Dune", "author": '
    err["failed_generation"] = _str(p, "failed_generation", default_gen)
    if not ctx.stream:
        return _json_reply("error_event", 400, {"error": err}, p)
    err["status_code"] = _int(p, "status_code", 400)
    events: list[bytes] = []
    if not p.get("first", False):
        turn = _turn(ctx, p)
        turn.content = cast(str | None, p.get("text"))
        turn.done = False
        events, finish_index = turn.stream_events()
        events = events[:finish_index]
    events.append(sse_event({"error": err}))
    if p.get("done", False):
        events.append(b"data: [DONE]\n\n")
    return _stream("error_event", events, len(events), ctx, p)


def _http_error_reply(ctx: RequestContext, p: dict[str, object]) -> Reply:
    status = _int(p, "status", 500)
    body = p.get("body")
    if body is None:

        def opt(key: str) -> str | None:
            return _str(p, key, "") if p.get(key) is not None else None

        body = error_body(
            status,
            message=opt("message"),
            type=opt("type"),
            code=opt("code"),
            param=opt("param"),
            failed_generation=opt("failed_generation"),
            model=_str(p, "model", ctx.model),
        )
    raw = (
        body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else dumps(body)
    )
    headers = _headers(p)
    retry_after = p.get("retry_after", "auto")
    if retry_after == "auto":
        retry_after = "0.1" if status == 429 else None
    if isinstance(retry_after, datetime):
        retry_after = format_datetime(retry_after, usegmt=True)
    if retry_after is not None:
        headers.append(("retry-after", str(retry_after)))
    if p.get("retry_after_ms") is not None:
        headers.append(("retry-after-ms", str(p["retry_after_ms"])))
    if p.get("should_retry") is not None:
        headers.append(("x-should-retry", "true" if p["should_retry"] else "false"))
    return BodyReply("http_error", status, raw, headers=headers, tokens=ctx.prompt_tokens)


def _chunks_reply(ctx: RequestContext, p: dict[str, object]) -> Reply:
    env = _envelope(ctx, p)
    chunks = [
        {**{k: v for k, v in env.items() if k not in c}, **c}
        for c in cast(list[dict[str, object]], p.get("chunks") or [])
    ]
    if not ctx.stream:
        return _json_reply("chunks", 200, _tier(aggregate_chunks(chunks, ctx.request_id), ctx), p)
    events = [sse_event(c) for c in chunks]
    if p.get("done", True):
        events.append(b"data: [DONE]\n\n")
    return _stream("chunks", events, len(events), ctx, p)


def _raw_reply(ctx: RequestContext, p: dict[str, object]) -> Reply:
    data: object = p.get("data") or []
    items = [data] if isinstance(data, (bytes, str)) else cast(list[object], data)
    events = [i if isinstance(i, bytes) else str(i).encode() for i in items]
    status = _int(p, "status", 200)
    content_type = _str(p, "content_type", "text/event-stream")
    if not ctx.stream:
        return BodyReply("raw", status, b"".join(events), content_type, _headers(p))
    return StreamReply(
        "raw", events, delay=_float(p, "delay", 0.0), terminate=bool(p.get("terminate", True)),
        fault=None if p.get("terminate", True) else "drop", fault_at=len(events), status=status,
        content_type=content_type, headers=_headers(p), tokens=ctx.prompt_tokens,
    )  # fmt: skip


def _server_tools_reply(name: str, ctx: RequestContext, p: dict[str, object]) -> Reply:
    keys = {"query", "answer", "output", "chunk_chars", "kind", "document_id"}
    knobs: dict[str, Any] = {k: v for k, v in p.items() if k in keys}
    build = {"compound": compound_chunks, "builtin_tools": builtin_chunks}.get(name)
    chunks = (build or citation_chunks)(**knobs)
    return _chunks_reply(ctx, {**{k: v for k, v in p.items() if k not in keys}, "chunks": chunks})


def plan(entry: ScriptEntry, ctx: RequestContext) -> Reply:
    """Decide the bytes for one request.

    Example:
        ```python
        reply = plan(ScriptEntry.make("text", {"text": "Hi"}), ctx)
        ```
    """
    p = entry.params
    if entry.scenario == "error_event":
        return _error_event_reply(ctx, p)
    if entry.scenario == "http_error":
        return _http_error_reply(ctx, p)
    if entry.scenario == "chunks":
        return _chunks_reply(ctx, p)
    if entry.scenario == "raw":
        return _raw_reply(ctx, p)
    if entry.scenario in ("compound", "builtin_tools", "citations"):
        return _server_tools_reply(entry.scenario, ctx, p)
    return _turn_reply(entry.scenario, ctx, p)
