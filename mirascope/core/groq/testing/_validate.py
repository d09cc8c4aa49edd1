"""Request validation, in the order of GROQ_WIRE.md §4.2 (rows 4-12; rows 1-3 live in the server).

Each check raises `Rejection` with the status and the `{"error": {...}}` body to send. Messages
marked [ASSUMED] in the spec are free text here; tests should assert on `code`/`param`, not wording.
"""

from __future__ import annotations

import json
from typing import cast

from ._catalog import ModelInfo
from ._render import error_body

__all__ = ["Rejection", "check_chat", "parse_json_body"]

_ROLES = frozenset({"system", "user", "assistant", "tool", "developer", "function"})
_BAD = "invalid_request_error"
_BUILTIN_TOOLS = frozenset({"browser_search", "code_interpreter"})
_COMPOUND = ("groq/compound", "compound-beta")


class Rejection(Exception):
    """A request the emulator refuses, with the HTTP status and JSON body to send."""

    def __init__(self, status: int, body: dict[str, object]) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


def _bad(message: str, *, param: str | None = None, code: str | None = None) -> Rejection:
    return Rejection(400, error_body(400, message=message, type=_BAD, param=param, code=code))


def parse_json_body(raw: bytes) -> dict[str, object]:
    """Row 4: the body must be a JSON object."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise _bad("Failed to parse request body: invalid JSON") from None
    if not isinstance(body, dict):
        raise _bad("Failed to parse request body: expected a JSON object")
    return cast(dict[str, object], body)


def _check_shape(body: dict[str, object]) -> str:
    """Row 5: `model` and `messages` present, typed, non-empty, with valid roles."""
    model = body.get("model")
    if "model" not in body:
        raise _bad("'model' : property 'model' is missing", param="model")
    if not isinstance(model, str) or not model:
        raise _bad("'model' : value must be a non-empty string", param="model")
    messages = body.get("messages")
    if "messages" not in body:
        raise _bad("'messages' : property 'messages' is missing", param="messages")
    if not isinstance(messages, list) or not messages:
        raise _bad("'messages' : value must be a non-empty array", param="messages")
    for i, message in enumerate(cast(list[object], messages)):
        role = cast(dict[str, object], message).get("role") if isinstance(message, dict) else None
        if role not in _ROLES:
            raise _bad(
                f"'messages.{i}' : discriminator property 'role' has invalid value {role!r}",
                param=f"messages.{i}.role",
            )
    return model


def _check_params(body: dict[str, object], info: ModelInfo | None) -> None:
    """Row 8: simple parameter ranges and combinations."""
    n = body.get("n")
    if n is not None and n != 1:
        raise _bad("'n' : number must be at most 1", param="n")
    stop = body.get("stop")
    if isinstance(stop, list) and len(cast(list[object], stop)) > 4:
        raise _bad("'stop' : array must contain at most 4 items", param="stop")
    tools = body.get("tools")
    if isinstance(tools, list) and len(cast(list[object], tools)) > 128:
        raise _bad("'tools' : array must contain at most 128 items", param="tools")
    temperature = body.get("temperature")
    if isinstance(temperature, (int, float)) and not 0 <= temperature <= 2:
        raise _bad("'temperature' : number must be between 0 and 2", param="temperature")
    effort = body.get("reasoning_effort")
    efforts = info.reasoning_efforts if info is not None else None
    if effort is not None and efforts is not None and effort not in efforts:
        raise _bad(
            f"`reasoning_effort` {effort!r} is not supported with this model. "
            f"Supported values: {', '.join(efforts)}",
            param="reasoning_effort",
        )
    fmt = body.get("reasoning_format")
    if fmt is not None and body.get("include_reasoning") is not None:
        raise _bad(
            "reasoning_format and include_reasoning cannot be used together",
            param="reasoning_format",
        )
    if fmt == "raw" and (tools or _json_mode(body)):
        raise _bad(
            "reasoning_format 'raw' is not supported with JSON mode or tool calling",
            param="reasoning_format",
        )
    limit = info.max_completion_tokens if info is not None else None
    for key in ("max_completion_tokens", "max_tokens"):
        value = body.get(key)
        if limit is not None and isinstance(value, int) and value > limit:
            raise _bad(
                f"'{key}' : must be less than or equal to {limit}, the maximum value for "
                f"{key} is less than the context_window for this model",
                param=key,
            )


def _json_mode(body: dict[str, object]) -> str | None:
    fmt = body.get("response_format")
    kind = cast(dict[str, object], fmt).get("type") if isinstance(fmt, dict) else None
    return kind if kind in ("json_object", "json_schema") else None


def _check_json_and_tools(body: dict[str, object], info: ModelInfo | None) -> None:
    """Rows 9-10: JSON mode with tools; json_schema with stream; json_schema/strict support."""
    mode = _json_mode(body)
    if mode and body.get("tools"):
        raise _bad(
            "json mode cannot be combined with tool/function calling", param="response_format"
        )
    if mode == "json_schema" and body.get("stream") is True:
        # [DOC structured-outputs]: "Streaming and tool use are not currently supported with
        # Structured Outputs" (GROQ_2026.md §1.5, §6 item 4); the wording here is [ASSUMED].
        raise _bad(
            "response_format json_schema is not supported with streaming: Streaming and tool "
            "use are not currently supported with Structured Outputs",
            param="response_format",
        )
    if mode != "json_schema" or info is None:
        return
    spec = cast(dict[str, object], body["response_format"]).get("json_schema")
    strict = isinstance(spec, dict) and cast(dict[str, object], spec).get("strict") is True
    if not info.json_schema or (strict and not info.strict_json_schema):
        raise _bad(
            "This model does not support response format json_schema", param="response_format"
        )
    if strict and (where := _strict_violation(cast(dict[str, object], spec)["schema"], "")):
        # Groq's structured-outputs page: strict needs every field `required` and objects with
        # `additionalProperties: false`; message shaped like the recorded "invalid schema for
        # response format: ..." (GROQ_WIRE.md §1.6), its wording [ASSUMED].
        raise _bad(
            f"invalid schema for response format: response_format/json_schema{where}: strict "
            "mode requires all properties to be required and additionalProperties: false",
            param="response_format",
        )


def _strict_violation(schema: object, path: str) -> str | None:
    """The path of the first object strict mode cannot take, else None."""
    if isinstance(schema, list):
        for i, item in enumerate(cast(list[object], schema)):
            if (found := _strict_violation(item, f"{path}/{i}")) is not None:
                return found
        return None
    if not isinstance(schema, dict):
        return None
    node = cast(dict[str, object], schema)
    props = node.get("properties")
    if isinstance(props, dict):
        required = node.get("required")
        names = set(cast(list[str], required)) if isinstance(required, list) else set[str]()
        if node.get("additionalProperties") is not False or names != set(
            cast(dict[str, object], props)
        ):
            return path or "/"
    for key, value in node.items():
        if (found := _strict_violation(value, f"{path}/{key}")) is not None:
            return found
    return None


def _check_server_tools(body: dict[str, object], model: str) -> None:
    """What Groq refuses about tools (GROQ_2026.md §1.0/§1.1): any `tools` on a compound system
    ("Local & Remote Tool Use Support? No"), built-in tools on a model other than gpt-oss.

    Groq publishes no error body for these; status, `type` and `param` follow row 8 of
    GROQ_WIRE.md §4.2 (a parameter Groq refuses); the wording is [ASSUMED].
    """
    tools = body.get("tools")
    if not isinstance(tools, list) or not tools:
        return
    if model.startswith(_COMPOUND):
        raise _bad(f"'tools' : tool use is not supported with model `{model}`", param="tools")
    kinds = [cast(dict[str, object], t).get("type") for t in cast(list[object], tools)
             if isinstance(t, dict)]  # fmt: skip
    builtins = sorted({str(k) for k in kinds if k in _BUILTIN_TOOLS})
    if builtins and not model.startswith("openai/gpt-oss-"):
        raise _bad(
            f"'tools' : {', '.join(builtins)} is not supported with model `{model}`",
            param="tools",
        )


def _check_tool_schemas(body: dict[str, object]) -> None:
    """Row 11: each tool is a function with a name and an object schema."""
    tools = body.get("tools")
    if not isinstance(tools, list):
        return
    for i, tool in enumerate(cast(list[object], tools)):
        kind = cast(dict[str, object], tool).get("type") if isinstance(tool, dict) else None
        if kind in _BUILTIN_TOOLS:
            continue  # gpt-oss server-side tools carry no function (GROQ_2026.md §1.0)
        fn = cast(dict[str, object], tool).get("function") if isinstance(tool, dict) else None
        name = cast(dict[str, object], fn).get("name") if isinstance(fn, dict) else None
        if not isinstance(name, str) or not name:
            raise _bad(f"'tools.{i}.function.name' : property is missing", param=f"tools.{i}")
        params = cast(dict[str, object], fn).get("parameters")
        where = f"tool {name}, tools[{i}].function.parameters"
        if params is None:
            continue
        if not isinstance(params, dict):
            raise _bad(f"invalid JSON schema for {where}: schema must be an object", param=where)
        schema = cast(dict[str, object], params)
        if "required" in schema and "properties" not in schema:
            raise _bad(
                f"invalid JSON schema for {where}: 'required' present but 'properties' is missing",
                param=where,
            )


def check_chat(
    body: dict[str, object],
    models: dict[str, ModelInfo],
    decommissioned: set[str],
    prompt_tokens: int,
) -> str:
    """Rows 5-12 for a chat-completions body; returns the model id when the request is valid."""
    model = _check_shape(body)
    if model not in models:
        raise Rejection(
            404,
            error_body(
                404,
                message=f"The model `{model}` does not exist or you do not have access to it.",
                code="model_not_found",
            ),
        )
    if model in decommissioned:
        raise _bad(
            f"The model `{model}` has been decommissioned and is no longer supported. Please "
            "refer to https://console.groq.com/docs/deprecations for a recommendation on which "
            "model to use instead.",
            code="model_decommissioned",
        )
    info = models[model]
    _check_params(body, info)
    _check_json_and_tools(body, info)
    _check_server_tools(body, model)
    _check_tool_schemas(body)
    if info.context_window is not None and prompt_tokens > info.context_window:
        raise _bad(
            f"Please reduce the length of the messages or completion. The prompt has "
            f"{prompt_tokens} tokens; this model's context window is {info.context_window}.",
            code="context_length_exceeded",
            param="messages",
        )
    return model
