"""One assistant turn, rendered either as SSE chunks (§4.4) or as a `chat.completion` (§4.3).

A `Turn` is mode-neutral: scenarios fill it in, and the same turn renders to a stream or to a
non-stream body, so both carry the same content, reasoning, tool calls and usage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, cast

from ._render import choice, split_text, sse_event

__all__ = ["ToolCall", "Turn"]

UsageMode = Literal["x_groq_only", "both", "include_usage_chunk", "none"]
ToolStyle = Literal["whole", "parallel_separate", "parallel_one_delta", "fragmented"]
ReasoningFormat = Literal["parsed", "raw", "hidden"]


@dataclass
class ToolCall:
    """One complete tool call of a turn."""

    id: str
    name: str
    arguments: str

    def whole(self, index: int) -> dict[str, object]:
        """The call as one complete delta entry (Groq's observed shape, §1.5)."""
        fn = {"name": self.name, "arguments": self.arguments}
        return {"id": self.id, "type": "function", "function": fn, "index": index}


@dataclass
class Turn:
    """Everything one response says, independent of streaming."""

    envelope: dict[str, object]
    request_id: str
    seed: int
    content: str | None = None
    reasoning: str | None = None
    reasoning_format: ReasoningFormat = "parsed"
    tool_calls: list[ToolCall] = field(default_factory=list[ToolCall])
    finish_reason: str | None = "stop"
    usage: dict[str, object] | None = None
    usage_mode: UsageMode = "both"
    chunk_size: int = 1
    chunk_chars: int | None = None
    chunks: int | None = None
    tool_style: ToolStyle = "whole"
    fragment_size: int = 8
    x_groq_error: str | None = None
    done: bool = True

    # -- streaming -------------------------------------------------------------------------------

    def _chunk(self, delta: dict[str, object], finish: str | None = None) -> dict[str, object]:
        return {**self.envelope, "choices": choice(delta, finish)}

    def _pieces(self, text: str) -> list[str]:
        return split_text(
            text, chunk_size=self.chunk_size, chunk_chars=self.chunk_chars, chunks=self.chunks
        )

    def _reasoning_deltas(self) -> list[dict[str, object]]:
        if not self.reasoning or self.reasoning_format == "hidden":
            return []
        if self.reasoning_format == "parsed":
            return [{"reasoning": p} for p in self._pieces(self.reasoning)]
        pieces = ["<think>", *self._pieces(self.reasoning), "</think>"]
        return [{"content": p} for p in pieces]

    def _tool_deltas(self) -> list[dict[str, object]]:
        calls = self.tool_calls
        if not calls:
            return []
        if self.tool_style == "parallel_one_delta":
            return [{"tool_calls": [c.whole(i) for i, c in enumerate(calls)]}]
        if self.tool_style != "fragmented":
            return [{"tool_calls": [c.whole(i)]} for i, c in enumerate(calls)]
        deltas: list[dict[str, object]] = []
        step = max(1, self.fragment_size)
        for i, c in enumerate(calls):
            head = {"name": c.name, "arguments": ""}
            deltas.append(
                {"tool_calls": [{"index": i, "id": c.id, "type": "function", "function": head}]}
            )
            for start in range(0, len(c.arguments), step):
                frag = {"arguments": c.arguments[start : start + step]}
                deltas.append({"tool_calls": [{"index": i, "function": frag}]})
        return deltas

    def stream_events(self) -> tuple[list[bytes], int]:
        """All SSE events, and the index of the finish chunk (faults cut before it)."""
        speaks = bool(self.content) or bool(self.reasoning) or not self.tool_calls
        role: dict[str, object] = {"role": "assistant", "content": "" if speaks else None}
        first = self._chunk(role)
        first["x_groq"] = {"id": self.request_id, "seed": self.seed}
        deltas = self._reasoning_deltas()
        deltas += [{"content": cast(object, p)} for p in self._pieces(self.content or "")]
        deltas += self._tool_deltas()
        events = [sse_event(first), *(sse_event(self._chunk(d)) for d in deltas)]
        finish_index = len(events)

        final = self._chunk({}, self.finish_reason)
        x_groq: dict[str, object] = {"id": self.request_id}
        usage = self.usage if self.usage_mode != "none" else None
        if usage is not None:
            x_groq["usage"] = usage
        if self.x_groq_error is not None:
            x_groq["error"] = self.x_groq_error
        final["x_groq"] = x_groq
        if usage is not None and self.usage_mode == "both":
            final["usage"] = usage
        events.append(sse_event(final))
        if usage is not None and self.usage_mode == "include_usage_chunk":
            trailer: dict[str, object] = {**self.envelope, "choices": [], "usage": usage}
            trailer["x_groq"] = {"id": self.request_id}
            events.append(sse_event(trailer))
        if self.done:
            events.append(b"data: [DONE]\n\n")
        return events, finish_index

    # -- non-streaming ---------------------------------------------------------------------------

    def completion(self, *, truncated: bool = False) -> dict[str, object]:
        """The `chat.completion` body; `truncated` drops the finish reason and usage."""
        content = self.content
        message: dict[str, object] = {"role": "assistant"}
        if self.reasoning and self.reasoning_format == "raw":
            content = f"<think>{self.reasoning}</think>{content or ''}"
        message["content"] = content if content or not self.tool_calls else None
        if self.reasoning and self.reasoning_format == "parsed":
            message["reasoning"] = self.reasoning
        if self.tool_calls:
            message["tool_calls"] = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": c.arguments},
                }
                for c in self.tool_calls
            ]
        x_groq: dict[str, object] = {"id": self.request_id, "seed": self.seed}
        if self.x_groq_error is not None:
            x_groq["error"] = self.x_groq_error
        usage = None if truncated or self.usage_mode == "none" else self.usage
        return {
            **self.envelope,
            "object": "chat.completion",
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": None if truncated else self.finish_reason,
                }
            ],
            "usage": usage,
            "usage_breakdown": None,
            "x_groq": x_groq,
            "service_tier": "on_demand",
        }


def aggregate_chunks(
    chunks: list[dict[str, object]], request_id: str | None = None
) -> dict[str, object]:
    """Fold literal stream chunks (choice 0 only) into one `chat.completion` (`stream: false`).

    Server-side tool fields fold as recorded non-stream compound bodies show them (pai-043/044/
    061): `message.executed_tools` holds one entry per `index` (the call, updated by its result),
    `message.annotations` every citation, `usage` the stream's (`x_groq.usage` included),
    `usage_breakdown` sits at the top level, and `x_groq` keeps only the request `id`.
    """
    content: list[str] = []
    reasoning: list[str] = []
    calls: dict[int, dict[str, str]] = {}
    executed: dict[int, dict[str, object]] = {}
    annotations: list[object] = []
    finish: object = None
    usage: object = None
    breakdown: object = None
    x_groq: dict[str, object] = {}
    for chunk in chunks:
        if chunk.get("usage") is not None:
            usage = chunk["usage"]
        extra = chunk.get("x_groq")
        if isinstance(extra, dict):
            extra = cast(dict[str, object], extra)
            if extra.get("usage") is not None:
                usage = extra["usage"]
            if extra.get("usage_breakdown") is not None:
                breakdown = extra["usage_breakdown"]
            x_groq.update({k: v for k, v in extra.items() if k not in ("usage", "usage_breakdown")})
        for ch in _as_list(chunk.get("choices")):
            if not isinstance(ch, dict) or ch.get("index", 0) != 0:
                continue
            if ch.get("finish_reason") is not None:
                finish = ch["finish_reason"]
            delta = ch.get("delta")
            if not isinstance(delta, dict):
                continue
            delta = cast(dict[str, object], delta)
            if isinstance(text := delta.get("content"), str):
                content.append(text)
            if isinstance(text := delta.get("reasoning"), str):
                reasoning.append(text)
            for tc in _as_list(delta.get("tool_calls")):
                if isinstance(tc, dict):
                    _fold_tool_call(calls, tc)
            for tool in _as_list(delta.get("executed_tools")):
                index = tool.get("index", 0)
                executed.setdefault(index if isinstance(index, int) else 0, {}).update(tool)
            annotations += _as_list(delta.get("annotations"))
    message: dict[str, object] = {"role": "assistant", "content": "".join(content) or None}
    if reasoning:
        message["reasoning"] = "".join(reasoning)
    if calls:
        message["tool_calls"] = [
            {
                "id": c["id"],
                "type": "function",
                "function": {"name": c["name"], "arguments": c["args"]},
            }
            for _, c in sorted(calls.items())
        ]
    if executed:
        message["executed_tools"] = [executed[i] for i in sorted(executed)]
    if annotations:
        message["annotations"] = annotations
    first = chunks[0] if chunks else {}
    body = {k: first[k] for k in ("id", "created", "model", "system_fingerprint") if k in first}
    if request_id is not None:
        x_groq.setdefault("id", request_id)
    body.update(object="chat.completion", usage=usage, x_groq=x_groq or None)
    if breakdown is not None:
        body["usage_breakdown"] = breakdown
    body["choices"] = [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}]
    return body


def _as_list(value: object) -> list[dict[str, object]]:
    return value if isinstance(value, list) else []  # pyright: ignore[reportUnknownVariableType]


def _fold_tool_call(calls: dict[int, dict[str, str]], tc: dict[str, object]) -> None:
    index = tc.get("index", 0)
    slot = calls.setdefault(
        index if isinstance(index, int) else 0, {"id": "", "name": "", "args": ""}
    )
    if isinstance(tc.get("id"), str):
        slot["id"] = str(tc["id"])
    fn = tc.get("function")
    if isinstance(fn, dict):
        name, args = fn.get("name"), fn.get("arguments")  # pyright: ignore[reportUnknownVariableType, reportUnknownMemberType]
        if isinstance(name, str):
            slot["name"] = name
        if isinstance(args, str):
            slot["args"] += args
