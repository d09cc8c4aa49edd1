"""The fast chunk decoder: an open Groq SSE response → SDK `ChatCompletionChunk` objects.

The groq SDK spends about three quarters of its per-chunk time building each chunk with its
pure-Python `construct()`. Here the raw body of the SDK's own HTTP response is split into SSE
events and each event is validated once by pydantic-core (`model_validate_json`), which builds the
very same `ChatCompletionChunk` type. The SDK still does everything before the first byte: auth,
`base_url`, retries and status errors.

Invariants:
- Events are yielded in order, exactly once; `data: [DONE]` ends the stream.
- An event whose JSON has a truthy top-level `"error"` raises a `GroqStreamError` (a
  `groq.APIError`, as the SDK raises) with the SDK's message and `body` = the inner error object.
- An event that is not JSON, or not a chunk at all, raises `GroqStreamError(kind="malformed")`.
- A chunk that does not match the installed SDK's types (an unknown `finish_reason`, an old SDK
  whose `x_groq` is required) falls back to the SDK's lenient `construct()`, so nothing the SDK
  would accept is rejected here.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any, cast

import httpx
from groq.types.chat import ChatCompletionChunk
from pydantic import ValidationError

from .errors import GroqStreamError

_validate_json = ChatCompletionChunk.model_validate_json
_STREAM_ERROR = "An error occurred during streaming"


class SSEDecoder:
    """Splits a byte stream into SSE `data` payloads. No I/O: `decode()` per read, then `flush()`.

    Only what Groq sends matters here (data-only events); `event:` names are kept so an
    `event: error` can be reported, comments and other fields are ignored.
    """

    __slots__ = ("_buffer",)

    def __init__(self) -> None:
        self._buffer = b""

    def decode(self, data: bytes) -> list[tuple[bytes, bytes | None]]:
        """Feed one network read; return the `(data, event_name)` of every event it completed."""
        buffer = self._buffer + data if self._buffer else data
        if b"\r" in buffer:
            # CRLF and CR framing are legal SSE; keep a trailing CR until we know what follows.
            tail = b"\r" if buffer.endswith(b"\r") else b""
            buffer = buffer[: len(buffer) - len(tail)].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            buffer += tail
        blocks = buffer.split(b"\n\n")
        self._buffer = blocks.pop()
        return [event for block in blocks if (event := _parse_block(block)) is not None]

    def flush(self) -> list[tuple[bytes, bytes | None]]:
        """End of body: the last event, if the server did not terminate it with a blank line."""
        block, self._buffer = self._buffer.replace(b"\r", b"\n").strip(b"\n"), b""
        event = _parse_block(block) if block else None
        return [event] if event is not None else []


def _parse_block(block: bytes) -> tuple[bytes, bytes | None] | None:
    if block.startswith(b"data: ") and b"\n" not in block:
        return block[6:], None  # the common case: one data line
    data: list[bytes] = []
    event: bytes | None = None
    for line in block.split(b"\n"):
        if line.startswith(b"data:"):
            value = line[5:]
            data.append(value[1:] if value.startswith(b" ") else value)
        elif line.startswith(b"event:"):
            event = line[6:].strip()
    return (b"\n".join(data), event) if data else None


def _stream_error(payload: bytes, response: httpx.Response) -> GroqStreamError | None:
    """The SDK's in-stream error check, run only when the payload can contain an error key."""
    try:
        obj = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    error: Any = cast("dict[str, Any]", obj).get("error")
    if not error:
        return None
    message: Any = cast("dict[str, Any]", error).get("message") if isinstance(error, dict) else None
    if not message or not isinstance(message, str):
        message = _STREAM_ERROR
    return GroqStreamError(
        message, kind="error_event", request=response.request, body=cast(object, error)
    )


def _malformed(payload: bytes, response: httpx.Response) -> GroqStreamError:
    excerpt = payload[:200].decode("utf-8", "replace")
    return GroqStreamError(
        f"Groq sent a stream event that is not a chat completion chunk: {excerpt!r}",
        kind="malformed",
        request=response.request,
    )


def _looks_like_chunk(obj: object) -> bool:
    """The shape the rest of the pipeline relies on; the lenient path only forgives the rest."""
    if not isinstance(obj, dict):
        return False
    choices: object = cast("dict[str, Any]", obj).get("choices")
    if not isinstance(choices, list):
        return False
    for choice in cast("list[object]", choices):
        if not isinstance(choice, dict):
            return False
        if not isinstance(cast("dict[str, Any]", choice).get("delta"), dict):
            return False
    return True


def parse_chunk(payload: bytes, response: httpx.Response) -> ChatCompletionChunk:
    """One SSE data payload → a `ChatCompletionChunk`.

    Raises `GroqStreamError` for an in-stream error event (`kind="error_event"`) and for a
    payload that is not a JSON object (`kind="malformed"`).
    """
    if b'"error"' in payload and (error := _stream_error(payload, response)) is not None:
        raise error
    try:
        return _validate_json(payload)
    except ValidationError as invalid:
        try:
            obj = json.loads(payload)
        except ValueError:
            raise _malformed(payload, response) from invalid
        if not _looks_like_chunk(obj):
            raise _malformed(payload, response) from invalid
        return ChatCompletionChunk.construct(**cast("dict[str, Any]", obj))  # SDK's lenient path


def iter_chunks(response: httpx.Response) -> Iterator[ChatCompletionChunk]:
    """Yield the chunks of an open streaming response, then drain it to EOF.

    Draining after `[DONE]` lets httpx return the connection to the pool, as the SDK does. The
    caller owns closing the response (on every exit path).
    """
    decoder = SSEDecoder()
    reads = response.iter_bytes()
    for data in reads:
        for payload, event in decoder.decode(data):
            if payload.startswith(b"[DONE]"):
                # Drain so the connection can be reused; a failure now loses nothing.
                with contextlib.suppress(httpx.HTTPError, httpx.StreamError):
                    for _ in reads:
                        pass
                return
            if event is None or event == b"error":
                yield parse_chunk(payload, response)
    for payload, event in decoder.flush():
        if not payload.startswith(b"[DONE]") and (event is None or event == b"error"):
            yield parse_chunk(payload, response)


async def aiter_chunks(response: httpx.Response) -> AsyncIterator[ChatCompletionChunk]:
    """The async twin of `iter_chunks`."""
    decoder = SSEDecoder()
    reads = response.aiter_bytes()
    async for data in reads:
        for payload, event in decoder.decode(data):
            if payload.startswith(b"[DONE]"):
                with contextlib.suppress(httpx.HTTPError, httpx.StreamError):
                    async for _ in reads:
                        pass
                return
            if event is None or event == b"error":
                yield parse_chunk(payload, response)
    for payload, event in decoder.flush():
        if not payload.startswith(b"[DONE]") and (event is None or event == b"error"):
            yield parse_chunk(payload, response)
