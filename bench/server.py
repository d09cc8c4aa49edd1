"""A Groq-shaped SSE server for benchmarks: stdlib only, cheap to serve, bounded lifetime.

Serves ``POST /openai/v1/chat/completions`` on 127.0.0.1 with hand-written HTTP/1.1 keep-alive.
Every distinct response (keyed by stream/N/tools/usage options/tool-heavy) is rendered to bytes
once, cached, and written with a single ``transport.write()``, so the server costs little next to
the clients being measured and gets out of their way on a 2-core machine.

Stream shape (PERFORMANCE.md §2, GROQ_WIRE.md §1.4): N = ``max_tokens`` (default 20)
``chat.completion.chunk`` events, one word each, the first with ``role`` and ``x_groq: {id}``;
with ``tools`` in the request one delta carrying K = 2 complete tool calls follows; then an
empty-delta finish chunk (``stop`` or ``tool_calls``) with ``x_groq.usage`` and top-level
``usage``; with ``stream_options.include_usage`` a trailing ``choices: []`` usage chunk; then
``data: [DONE]``. Framing is ``Transfer-Encoding: chunked``, one HTTP chunk per SSE event.
``stream: false`` returns one ``chat.completion``.

Tool-heavy variant: with ``tools`` AND ``tool_choice == "required"`` in a streamed request, every
one of the N chunks carries tool-call data instead (`render_toolheavy_stream`): K = 2 calls one
after the other, OpenAI's fragmented style, arguments cut into ~6-character pieces
(`wire.toolheavy_fragments`), then the ``tool_calls`` finish chunk and ``[DONE]``.

Run: ``python bench/server.py --max-lifetime 600``; it prints ``PORT <n>`` on its first stdout
line, and exits by itself after the maximum lifetime or when its stdin reaches EOF.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import threading
from typing import Any, cast

if __package__ in (None, ""):
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))

from bench import wire

_CHAT_ID = "chatcmpl-7eb08824-fb8d-47af-a1f0-3aa786f2d1f3"
_REQ_ID = "req_01kh52ndshfr2azv0xe6tnv4fx"
_CREATED = 1770770839
_FINGERPRINT = "fp_f8b414701e"
_PROMPT_TOKENS = 13
_MAX_N = 1_000_000

_JSON_HEADERS = "content-type: application/json\r\n"
_SSE_HEADERS = (
    "content-type: text/event-stream\r\n"
    "transfer-encoding: chunked\r\n"
    "cache-control: no-cache\r\n"
    f"x-request-id: {_REQ_ID}\r\n"
    "x-groq-region: bench\r\n"
)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"))


def _usage(completion_tokens: int) -> dict[str, Any]:
    # Key order as Groq sends it (GROQ_WIRE.md §1.4).
    return {
        "queue_time": 0.041905864,
        "prompt_tokens": _PROMPT_TOKENS,
        "prompt_time": 0.003940145,
        "completion_tokens": completion_tokens,
        "completion_time": 0.012,
        "total_tokens": _PROMPT_TOKENS + completion_tokens,
        "total_time": 0.015940145,
    }


def _envelope(model: str) -> dict[str, Any]:
    return {
        "id": _CHAT_ID,
        "object": "chat.completion.chunk",
        "created": _CREATED,
        "model": model,
        "system_fingerprint": _FINGERPRINT,
    }


def _tool_calls(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """K complete calls, cycling over the requested tools, string arguments ``"value{i}"``."""
    calls: list[dict[str, Any]] = []
    for i in range(wire.TOOL_CALLS_PER_STREAM):
        function = tools[i % len(tools)].get("function", {})
        props = function.get("parameters", {}).get("properties", {})
        args = {name: f"value{i}" for name in props}
        calls.append(
            {
                "id": f"tk85n1k4{i}",
                "type": "function",
                "function": {"name": function.get("name", "tool"), "arguments": _dumps(args)},
                "index": i,
            }
        )
    return calls


def _event(payload: str) -> bytes:
    """One SSE event as one HTTP/1.1 chunk."""
    data = f"data: {payload}\n\n".encode()
    return b"%x\r\n%s\r\n" % (len(data), data)


def _finish(env: dict[str, Any], n: int, reason: str, include_usage: bool) -> list[bytes]:
    """The finish chunk (with usage), the optional usage trailer, ``[DONE]`` and the last chunk."""
    usage = _usage(n)
    final: dict[str, Any] = {
        **env,
        "choices": [{"index": 0, "delta": {}, "logprobs": None, "finish_reason": reason}],
        "x_groq": {"id": _REQ_ID, "usage": usage},
    }
    parts: list[bytes] = []
    if include_usage:
        parts.append(_event(_dumps(final)))
        trailer: dict[str, Any] = {**env, "choices": [], "usage": usage, "x_groq": {"id": _REQ_ID}}
        parts.append(_event(_dumps(trailer)))
    else:
        final["usage"] = usage
        parts.append(_event(_dumps(final)))
    parts.append(_event("[DONE]"))
    parts.append(b"0\r\n\r\n")
    return parts


def render_stream(
    n: int,
    model: str,
    tools: list[dict[str, Any]] | None,
    include_usage: bool,
    reasoning: bool = False,
) -> bytes:
    """The full HTTP response (headers and chunked SSE body) for one streamed completion.

    With `reasoning`, each of the N deltas carries its word as `reasoning`, not `content`.
    """
    env = _envelope(model)
    parts: list[bytes] = []
    field = "reasoning" if reasoning else "content"
    for i in range(n):
        text = wire.word(i)
        delta = {"role": "assistant", field: text} if i == 0 else {field: text}
        chunk = {
            **env,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": None}],
        }
        if i == 0:
            chunk["x_groq"] = {"id": _REQ_ID}
        parts.append(_event(_dumps(chunk)))
    if tools:
        delta = {"tool_calls": _tool_calls(tools)}
        if n == 0:
            delta = {"role": "assistant", "content": None, **delta}
        chunk = {
            **env,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": None}],
        }
        parts.append(_event(_dumps(chunk)))
    parts += _finish(env, n, "tool_calls" if tools else "stop", include_usage)
    head = f"HTTP/1.1 200 OK\r\n{_SSE_HEADERS}\r\n".encode()
    return head + b"".join(parts)


def render_toolheavy_stream(
    n: int, model: str, tools: list[dict[str, Any]], include_usage: bool
) -> bytes:
    """A streamed completion whose N chunks all carry tool-call data (fragmented arguments).

    Call i's first delta is ``{index, id, type, function: {name, arguments: ""}}`` (the first
    chunk also has ``role`` and ``content: null``, and ``x_groq: {id}``); every following delta
    of that call is ``{index, function: {arguments: <fragment>}}``.
    """
    env = _envelope(model)
    parts: list[bytes] = []
    for i, fragments in enumerate(wire.toolheavy_fragments(n)):
        function = tools[i % len(tools)].get("function", {})
        header = {
            "index": i,
            "id": f"tk85n1k4{i}",
            "type": "function",
            "function": {"name": function.get("name", "tool"), "arguments": ""},
        }
        deltas: list[dict[str, Any]] = [{"tool_calls": [header]}]
        deltas += [
            {"tool_calls": [{"index": i, "function": {"arguments": fragment}}]}
            for fragment in fragments
        ]
        if i == 0:
            deltas[0] = {"role": "assistant", "content": None, **deltas[0]}
        for j, delta in enumerate(deltas):
            chunk: dict[str, Any] = {
                **env,
                "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": None}],
            }
            if i == 0 and j == 0:
                chunk["x_groq"] = {"id": _REQ_ID}
            parts.append(_event(_dumps(chunk)))
    parts += _finish(env, n, "tool_calls", include_usage)
    head = f"HTTP/1.1 200 OK\r\n{_SSE_HEADERS}\r\n".encode()
    return head + b"".join(parts)


def render_completion(n: int, model: str, tools: list[dict[str, Any]] | None) -> bytes:
    """The full HTTP response for ``stream: false``: one ``chat.completion``."""
    message: dict[str, Any] = {"role": "assistant", "content": "".join(map(wire.word, range(n)))}
    if tools:
        message["tool_calls"] = [
            {k: v for k, v in call.items() if k != "index"} for call in _tool_calls(tools)
        ]
    body = _dumps(
        {
            "id": _CHAT_ID,
            "object": "chat.completion",
            "created": _CREATED,
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": "tool_calls" if tools else "stop",
                }
            ],
            "usage": _usage(n),
            "system_fingerprint": _FINGERPRINT,
            "x_groq": {"id": _REQ_ID},
        }
    ).encode()
    head = f"HTTP/1.1 200 OK\r\n{_JSON_HEADERS}content-length: {len(body)}\r\n\r\n"
    return head.encode() + body


def _error(status: int, reason: str, message: str) -> bytes:
    body = _dumps({"error": {"message": message, "type": "invalid_request_error"}}).encode()
    head = f"HTTP/1.1 {status} {reason}\r\n{_JSON_HEADERS}content-length: {len(body)}\r\n\r\n"
    return head.encode() + body


class ResponseCache:
    """Pre-rendered responses, one per distinct request shape."""

    def __init__(self) -> None:
        self._cache: dict[str, bytes] = {}

    def get(self, request: dict[str, Any]) -> bytes:
        n = request.get("max_tokens", request.get("max_completion_tokens"))
        n = 20 if n is None else n
        if not isinstance(n, int) or not 0 <= n <= _MAX_N:
            return _error(400, "Bad Request", f"max_tokens must be an int in [0, {_MAX_N}]")
        model = str(request.get("model", wire.MODEL))
        tools = request.get("tools") or None
        stream = bool(request.get("stream", False))
        options: dict[str, Any] = request.get("stream_options") or {}
        include_usage = bool(options.get("include_usage"))
        heavy = bool(tools) and stream and request.get("tool_choice") == wire.TOOLHEAVY_TOOL_CHOICE
        if heavy and n < wire.TOOLHEAVY_MIN_N:
            return _error(400, "Bad Request", f"tool-heavy streams need max_tokens >= 4, got {n}")
        reasoning = stream and request.get("reasoning_format") == wire.REASONING_FORMAT
        key = _dumps([n, model, tools, stream, include_usage, heavy, reasoning])
        cached = self._cache.get(key)
        if cached is None:
            if heavy:
                assert tools is not None
                cached = render_toolheavy_stream(n, model, tools, include_usage)
            elif stream:
                cached = render_stream(n, model, tools, include_usage, reasoning)
            else:
                cached = render_completion(n, model, tools)
            self._cache[key] = cached
        return cached


class _Http(asyncio.Protocol):
    """Minimal HTTP/1.1 keep-alive: Content-Length request bodies, whole cached responses."""

    def __init__(self, cache: ResponseCache) -> None:
        self._cache = cache
        self._buf = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buf += data
        while self._transport is not None:
            end = self._buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self._buf[:end].decode("latin-1").split("\r\n")
            headers: dict[str, str] = {}
            for line in head[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            if len(self._buf) < end + 4 + length:
                return
            body = self._buf[end + 4 : end + 4 + length]
            self._buf = self._buf[end + 4 + length :]
            self._transport.write(self._respond(head[0], body))
            if headers.get("connection", "").lower() == "close":
                self._transport.close()
                self._transport = None

    def _respond(self, request_line: str, body: bytes) -> bytes:
        method, _, rest = request_line.partition(" ")
        path = rest.partition(" ")[0].partition("?")[0]
        if path != wire.PATH:
            return _error(404, "Not Found", f"unknown path {path}")
        if method != "POST":
            return _error(405, "Method Not Allowed", "use POST")
        try:
            request: Any = json.loads(body)
        except ValueError:
            return _error(400, "Bad Request", "body is not JSON")
        if not isinstance(request, dict):
            return _error(400, "Bad Request", "body is not a JSON object")
        return self._cache.get(cast("dict[str, Any]", request))

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None


async def serve(max_lifetime: float, port: int = 0) -> None:
    """Serve on 127.0.0.1 until ``max_lifetime`` seconds pass or stdin reaches EOF."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    cache = ResponseCache()
    server = await loop.create_server(lambda: _Http(cache), "127.0.0.1", port, backlog=512)
    sock_port = server.sockets[0].getsockname()[1]
    print(f"PORT {sock_port}", flush=True)

    def stop() -> None:
        if not done.done():
            done.set_result(None)

    def watch_stdin() -> None:
        # The parent holds our stdin open; EOF means it went away, so stop too.
        try:
            while os.read(0, 4096):
                pass
        finally:
            loop.call_soon_threadsafe(stop)

    if not sys.stdin.isatty():
        threading.Thread(target=watch_stdin, daemon=True).start()
    loop.call_later(max_lifetime, stop)
    async with server:
        await done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--max-lifetime", type=float, default=600.0, help="seconds (max 3600)")
    parser.add_argument("--port", type=int, default=0, help="0 picks an ephemeral port")
    args = parser.parse_args()
    asyncio.run(serve(min(args.max_lifetime, 3600.0), args.port))


if __name__ == "__main__":
    main()
