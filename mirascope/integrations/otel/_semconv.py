"""Span and metric attributes for a Groq call, after the OpenTelemetry GenAI semantic conventions.

Follows semantic-conventions v1.41.0 (docs/gen-ai/gen-ai-spans.md and gen-ai-metrics.md, status
Development): `gen_ai.provider.name` (not the older `gen_ai.system`), `gen_ai.usage.input_tokens`
/ `output_tokens`, `gen_ai.usage.cache_read.input_tokens`, `gen_ai.response.time_to_first_chunk`
and the opt-in `gen_ai.input.messages` / `gen_ai.output.messages` JSON.

Invariants: pure functions of a response or an ended stream; an attribute whose value is unknown
is left out rather than set to a placeholder (v1's names, `v1_attributes`, keep v1's placeholders).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, cast

SEMCONV_VERSION = "1.41.0"
PROVIDER = "groq"
OPERATION = "chat"

# Groq call param -> semconv request attribute.
_REQUEST_PARAMS = {
    "max_tokens": "gen_ai.request.max_tokens",
    "max_completion_tokens": "gen_ai.request.max_tokens",
    "temperature": "gen_ai.request.temperature",
    "top_p": "gen_ai.request.top_p",
    "frequency_penalty": "gen_ai.request.frequency_penalty",
    "presence_penalty": "gen_ai.request.presence_penalty",
    "seed": "gen_ai.request.seed",
    "n": "gen_ai.request.choice.count",
}


def base_attributes(model: str) -> dict[str, Any]:
    """The attributes known before the request is sent."""
    return {
        "gen_ai.operation.name": OPERATION,
        "gen_ai.provider.name": PROVIDER,
        "gen_ai.request.model": model,
    }


def request_attributes(call_params: object) -> dict[str, Any]:
    """`gen_ai.request.*` from the call params that were set."""
    attrs: dict[str, Any] = {}
    if not isinstance(call_params, Mapping):
        return attrs
    params: Mapping[str, Any] = call_params  # pyright: ignore[reportUnknownVariableType]
    for key, name in _REQUEST_PARAMS.items():
        value = params.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            attrs[name] = value
    stop = params.get("stop")
    if isinstance(stop, str):
        attrs["gen_ai.request.stop_sequences"] = [stop]
    elif isinstance(stop, list) and all(isinstance(s, str) for s in stop):  # pyright: ignore[reportUnknownVariableType]
        attrs["gen_ai.request.stop_sequences"] = list(stop)  # pyright: ignore[reportUnknownArgumentType]
    return attrs


def response_attributes(result: Any) -> dict[str, Any]:
    """`gen_ai.response.*` and `gen_ai.usage.*` of a `GroqCallResponse` or an ended `GroqStream`."""
    attrs: dict[str, Any] = {}
    model = getattr(result, "model", None)  # the served model (a stream reads it from chunks)
    if model:
        attrs["gen_ai.response.model"] = model
    if result.id:
        attrs["gen_ai.response.id"] = result.id
    if result.finish_reasons:
        attrs["gen_ai.response.finish_reasons"] = [str(r) for r in result.finish_reasons]
    for name, value in (
        ("gen_ai.usage.input_tokens", result.input_tokens),
        ("gen_ai.usage.output_tokens", result.output_tokens),
        # Groq reports cached tokens with the usage; without usage, 0 would be a guess.
        (
            "gen_ai.usage.cache_read.input_tokens",
            result.cached_tokens if result.input_tokens is not None else None,
        ),
    ):
        if value is not None:
            attrs[name] = int(value)
    return attrs


def content_attributes(result: Any) -> dict[str, Any]:
    """The opt-in message content: `gen_ai.input.messages` and `gen_ai.output.messages`."""
    inputs = [_semconv_message(m) for m in cast("list[Any]", result.messages or [])]
    parts: list[dict[str, Any]] = []
    if result.content:
        parts.append({"type": "text", "content": result.content})
    message_param: Any = cast(Any, getattr(result, "message_param", None) or {})
    for call in cast("list[Any]", message_param.get("tool_calls") or []):
        function: Any = cast(Any, call.get("function") or {})
        parts.append(
            {
                "type": "tool_call",
                "id": call.get("id"),
                "name": function.get("name"),
                "arguments": function.get("arguments"),
            }
        )
    output: dict[str, Any] = {"role": "assistant", "parts": parts}
    if result.finish_reasons:
        output["finish_reason"] = str(result.finish_reasons[0])
    return {
        "gen_ai.input.messages": json.dumps(inputs, default=str),
        "gen_ai.output.messages": json.dumps([output], default=str),
    }


def _semconv_message(message: Any) -> dict[str, Any]:
    if not isinstance(message, Mapping):
        return {"role": "user", "parts": [{"type": "text", "content": str(message)}]}
    msg: Mapping[str, Any] = message  # pyright: ignore[reportUnknownVariableType]
    content = msg.get("content")
    parts: list[dict[str, Any]] = []
    if isinstance(content, str):
        parts.append({"type": "text", "content": content})
    elif isinstance(content, list):
        for part in content:  # pyright: ignore[reportUnknownVariableType]
            if isinstance(part, Mapping) and part.get("type") == "text":  # pyright: ignore[reportUnknownMemberType]
                parts.append({"type": "text", "content": part.get("text")})  # pyright: ignore[reportUnknownMemberType]
            else:
                parts.append({"type": "other"})
    out: dict[str, Any] = {"role": msg.get("role", "user"), "parts": parts}
    if msg.get("role") == "tool":
        out["parts"] = [
            {"type": "tool_call_response", "id": msg.get("tool_call_id"), "response": content}
        ]
    return out


def v1_attributes(result: Any) -> dict[str, Any]:
    """The attribute names and placeholders Mirascope v1's otel integration used."""
    params: Any = cast(Any, result.call_params if isinstance(result.call_params, Mapping) else {})
    return {
        "gen_ai.system": result.prompt_template or "",
        "gen_ai.request.model": result.call_kwargs.get("model", "") or result.model,
        "gen_ai.request.max_tokens": params.get("max_tokens", 0) or 0,
        "gen_ai.request.temperature": params.get("temperature", 0) or 0,
        "gen_ai.request.top_p": params.get("top_p", 0) or 0,
        "gen_ai.response.model": result.model or "",
        "gen_ai.response.id": result.id or "",
        "gen_ai.response.finish_reasons": [
            str(r) for r in cast("list[Any]", result.finish_reasons or [])
        ]
        or "",
        "gen_ai.usage.completion_tokens": result.output_tokens or 0,
        "gen_ai.usage.prompt_tokens": result.input_tokens or 0,
    }


__all__ = [
    "OPERATION",
    "PROVIDER",
    "SEMCONV_VERSION",
    "base_attributes",
    "content_attributes",
    "request_attributes",
    "response_attributes",
    "v1_attributes",
]
