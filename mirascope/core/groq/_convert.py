"""Conversion between provider-neutral messages and Groq chat-completion message dicts.

- `convert_message_params`: `BaseMessageParam`s to the dicts sent to Groq. Groq takes text and
  images only, so any other part raises `ValueError` before a request is made. Native Groq dicts
  pass through as the same objects.
- `to_base_message_params`: Groq dicts (or the SDK's pydantic messages) back to `BaseMessageParam`s,
  the view behind the `common_*` properties.
- `count_images`: the number of `image_url` parts in converted messages (cost metadata).

Invariants: every tool call is a plain dict in the SDK's `ChatCompletionMessageToolCallParam`
shape; assistant messages built here have exactly `role`, `content` (a str) and, when there are
tool calls, `tool_calls`, and no key is ever `None`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from typing import Any, cast

from groq.types.chat import ChatCompletionMessageParam

from mirascope.core.base.message_param import (
    BaseMessageParam,
    ContentPart,
    ImagePart,
    ImageURLPart,
    TextPart,
    ToolCallPart,
    ToolResultPart,
)

_GROQ_IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
"""The image media types Groq accepts."""

_TEXT_JOIN = "\n"
"""Joins text parts where Groq gets one string (system and assistant messages)."""


def _unsupported(part: ContentPart, role: str) -> ValueError:
    return ValueError(
        f"Groq supports text and images only: a {part.type!r} part ({type(part).__name__}) "
        f"cannot be sent in a {role!r} message"
    )


def _image_dict(part: ImagePart | ImageURLPart) -> dict[str, Any]:
    if isinstance(part, ImageURLPart):
        # v1 drops `detail` for URL images; keep that so requests stay identical.
        return {"type": "image_url", "image_url": {"url": part.url}}
    if part.media_type not in _GROQ_IMAGE_TYPES:
        raise ValueError(
            f"unsupported image media type {part.media_type!r}: Groq accepts JPEG, PNG, GIF "
            "and WebP images"
        )
    data = base64.b64encode(part.image).decode("ascii")
    url = f"data:{part.media_type};base64,{data}"
    return {"type": "image_url", "image_url": {"url": url, "detail": part.detail or "auto"}}


def _tool_call_dict(part: ToolCallPart) -> dict[str, Any]:
    if not part.id:
        raise ValueError(f"ToolCallPart {part.name!r} has no id; Groq needs one per tool call")
    arguments = json.dumps(part.args or {})
    return {
        "id": part.id,
        "type": "function",
        "function": {"name": part.name, "arguments": arguments},
    }


def _tool_message(part: ToolResultPart) -> dict[str, Any]:
    if not part.id:
        raise ValueError(
            f"ToolResultPart {part.name!r} has no id; Groq needs the id of the tool call it answers"
        )
    message: dict[str, Any] = {"role": "tool", "content": part.content, "tool_call_id": part.id}
    if part.name:
        message["name"] = part.name  # v1 sends it; the SDK type lacks it but Groq accepts it
    return message


def _convert_parts(role: str, parts: Sequence[ContentPart]) -> list[dict[str, Any]]:
    """One message with parts becomes `[tool results..., the message]`, or for an assistant with
    tool calls `[the message]`. Tool results go first: Groq needs them right after the assistant
    message that made the calls, before any new user text."""
    texts: list[str] = []
    content: list[dict[str, Any]] = []
    tool_calls: list[dict[str, Any]] = []
    tool_results: list[dict[str, Any]] = []
    for part in parts:
        if isinstance(part, TextPart):
            texts.append(part.text)
            content.append({"type": "text", "text": part.text})
        elif isinstance(part, (ImagePart, ImageURLPart)):
            if role in ("system", "assistant"):
                raise _unsupported(part, role)  # Groq takes images in user messages only
            content.append(_image_dict(part))
        elif isinstance(part, ToolCallPart):
            if role != "assistant":
                raise ValueError(
                    f"a ToolCallPart can only be sent in an assistant message, not {role!r}"
                )
            tool_calls.append(_tool_call_dict(part))
        elif isinstance(part, ToolResultPart):
            tool_results.append(_tool_message(part))
        else:
            raise _unsupported(part, role)

    own: list[dict[str, Any]] = []
    if tool_calls:
        own = [{"role": role, "content": _TEXT_JOIN.join(texts), "tool_calls": tool_calls}]
    elif role in ("system", "assistant"):
        own = [{"role": role, "content": _TEXT_JOIN.join(texts)}] if texts else []
    elif content:
        own = [{"role": role, "content": content}]
    return [*tool_results, *own]


def convert_message_params(
    messages: Sequence[BaseMessageParam | Mapping[str, Any]],
) -> list[ChatCompletionMessageParam]:
    """Convert messages to the dicts Groq's chat completions take.

    Text stays a string; user parts become `text` / `image_url` dicts (images as base64 data URLs
    with `detail` defaulting to `"auto"`); tool calls become an assistant message with
    `tool_calls`; tool results become `tool` messages. System and assistant text parts are joined
    into one string.

    Raises:
        ValueError: for audio, document and cache-control parts, images other than
            jpeg/png/gif/webp, images outside user messages, and tool parts without an id.

    Example:
        ```python
        convert_message_params([BaseMessageParam(role="user", content="Hi")])
        # [{"role": "user", "content": "Hi"}]
        ```
    """
    converted: list[dict[str, Any]] = []
    for message in messages:
        if not isinstance(message, BaseMessageParam):
            converted.append(cast("dict[str, Any]", message))  # native: passed through untouched
        elif isinstance(message.content, str):
            converted.append({"role": message.role, "content": message.content})
        else:
            converted.extend(_convert_parts(message.role, message.content))
    return cast("list[ChatCompletionMessageParam]", converted)


def _get(obj: object, key: str) -> Any:
    """Read a key from a dict or an attribute from an SDK model, None when absent."""
    if isinstance(obj, Mapping):
        return cast("Mapping[str, Any]", obj).get(key)
    return getattr(obj, key, None)


def _image_part_from_url(url: str, detail: str | None) -> ImagePart | ImageURLPart:
    header, sep, payload = url.partition(",")
    if url.startswith("data:") and sep and header.endswith(";base64"):
        try:
            image = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            return ImageURLPart(type="image_url", url=url, detail=detail)
        media_type = header.removeprefix("data:").removesuffix(";base64")
        return ImagePart(type="image", media_type=media_type, image=image, detail=detail)
    return ImageURLPart(type="image_url", url=url, detail=detail)


def _content_parts(content: Sequence[object]) -> list[ContentPart]:
    parts: list[ContentPart] = []
    for item in content:
        kind = _get(item, "type")
        if kind == "text":
            parts.append(TextPart(type="text", text=str(_get(item, "text") or "")))
        elif kind == "image_url":
            image_url = _get(item, "image_url")
            parts.append(
                _image_part_from_url(str(_get(image_url, "url")), _get(image_url, "detail"))
            )
        else:
            raise ValueError(f"unsupported Groq content part type {kind!r}")
    return parts


def _text_of(content: object) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    items = cast("Sequence[object]", content)
    return _TEXT_JOIN.join(str(_get(item, "text") or "") for item in items)


def _tool_call_part(tool_call: object) -> ToolCallPart:
    function = _get(tool_call, "function")
    name = str(_get(function, "name") or "")
    arguments = _get(function, "arguments")
    if isinstance(arguments, Mapping):
        args: Any = dict(cast("Mapping[str, Any]", arguments))
    elif not arguments:
        args = {}
    else:
        try:
            args = json.loads(str(arguments))
        except json.JSONDecodeError as exc:
            raise ValueError(f"tool call {name!r} has arguments that are not JSON: {exc}") from exc
    if not isinstance(args, dict):
        raise ValueError(f"tool call {name!r} has arguments that are not a JSON object")
    return ToolCallPart(
        type="tool_call", name=name, args=cast("dict[str, Any]", args), id=_get(tool_call, "id")
    )


def to_base_message_params(messages: Sequence[object]) -> list[BaseMessageParam]:
    """Convert Groq message dicts (or SDK message models) to provider-neutral messages.

    Text stays a string, `image_url` parts become `ImageURLPart`s (`ImagePart`s for base64 data
    URLs), assistant tool calls become `ToolCallPart`s with parsed arguments, and `tool` messages
    become a `ToolResultPart`.

    Raises:
        ValueError: for content parts other than text and images, or tool arguments that are not
            a JSON object.

    Example:
        ```python
        to_base_message_params([{"role": "tool", "content": "22°C", "tool_call_id": "c1",
                                 "name": "get_weather"}])
        # [BaseMessageParam(role="tool", content=[ToolResultPart(name="get_weather",
        #                                                        content="22°C", id="c1")])]
        ```
    """
    result: list[BaseMessageParam] = []
    for message in messages:
        if isinstance(message, BaseMessageParam):
            result.append(message)
            continue
        role = str(_get(message, "role"))
        content = _get(message, "content")
        if role == "tool":
            part = ToolResultPart(
                type="tool_result",
                name=str(_get(message, "name") or ""),
                content=_text_of(content),
                id=_get(message, "tool_call_id"),
            )
            result.append(BaseMessageParam(role="tool", content=[part]))
            continue
        tool_calls = cast("Sequence[object]", _get(message, "tool_calls") or [])
        if not tool_calls:
            if content is None or isinstance(content, str):
                result.append(BaseMessageParam(role=role, content=content or ""))
            else:
                parts = _content_parts(cast("Sequence[object]", content))
                result.append(BaseMessageParam(role=role, content=parts))
            continue
        text = _text_of(content)
        call_parts: list[ContentPart] = [TextPart(type="text", text=text)] if text else []
        call_parts.extend(_tool_call_part(tool_call) for tool_call in tool_calls)
        result.append(BaseMessageParam(role=role, content=call_parts))
    return result


def count_images(messages: Sequence[object]) -> int:
    """The number of `image_url` parts in converted Groq messages (for cost metadata).

    Example:
        ```python
        count_images([{"role": "user", "content": [
            {"type": "text", "text": "What is this?"},
            {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
        ]}])  # 1
        ```
    """
    count = 0
    for message in messages:
        content = _get(message, "content")
        if content is None or isinstance(content, str):
            continue
        count += sum(
            1 for item in cast("Sequence[object]", content) if _get(item, "type") == "image_url"
        )
    return count


__all__ = ["convert_message_params", "count_images", "to_base_message_params"]
