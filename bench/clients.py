"""The clients under test, each reading every chunk's text the way a user would.

Every client kind builds its HTTP/SDK client once (not timed) and hands out a *runner* for a
given N: a zero-argument callable that performs one streamed request and returns a `Tally` of
what it read. `verify` then checks the tally against what the server sent (exactly N text chunks,
the expected total length, and K tool calls for the tool variants), so a client that skips work
cannot look fast.

Kinds:
- ``floor``: ``httpx`` + ``iter_lines`` + ``json.loads``, the least any Python client must do;
- ``sdk``: ``groq.Groq(...).chat.completions.create(stream=True)``, the SDK's default path;
- ``sdk_strict``: the same client built with ``_strict_response_validation=True``;
- ``mirascope``: this project's ``@groq_call(..., stream=True)``;
- ``*_tools``: the same with one tool (``GetWeather``) in the request; the server then sends a
  delta with two complete tool calls after the N text chunks.

Heavy imports (httpx, groq, mirascope) happen inside the constructors, so a worker only loads
what its client needs (this matters for the RSS figures). A mirascope kind whose package cannot
be imported raises `Unavailable`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bench import wire

#: Every client kind, in report order.
CLIENTS: tuple[str, ...] = (
    "floor",
    "sdk",
    "sdk_strict",
    "mirascope",
    "floor_tools",
    "sdk_tools",
    "mirascope_tools",
)
#: Kinds measured against ``sdk``/``floor`` (the others against ``sdk_tools``/``floor_tools``).
TEXT_CLIENTS: tuple[str, ...] = ("floor", "sdk", "sdk_strict", "mirascope")
TOOL_CLIENTS: tuple[str, ...] = ("floor_tools", "sdk_tools", "mirascope_tools")
#: Kinds that need the mirascope package.
MIRASCOPE_CLIENTS: tuple[str, ...] = ("mirascope", "mirascope_tools")

#: Connection pool for the concurrent async benchmark (the SDK's default is 100 connections).
ASYNC_MAX_CONNECTIONS = 216


class Unavailable(Exception):
    """The client's package cannot be imported (yet): reported, not a failure."""


class VerificationError(AssertionError):
    """A client did not read what the server sent."""


@dataclass
class Tally:
    """What one streamed request delivered to the client."""

    chunks: int = 0
    """Chunks with non-empty text content."""
    chars: int = 0
    """Total characters of that text."""
    tools: int = 0
    """Complete tool calls seen."""


SyncRunner = Callable[[], Tally]
AsyncRunner = Callable[[], Awaitable[Tally]]


def uses_tools(kind: str) -> bool:
    """Whether ``kind`` sends a tool in its request."""
    return kind.endswith("_tools")


def verify(kind: str, n: int, tally: Tally) -> None:
    """Fail loudly unless ``tally`` is exactly what the server sent for ``max_tokens=n``."""
    want = Tally(n, wire.expected_chars(n), wire.TOOL_CALLS_PER_STREAM if uses_tools(kind) else 0)
    if tally != want:
        raise VerificationError(f"{kind}: N={n}: expected {want}, got {tally}")


def _request_body(n: int, tools: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": wire.MODEL,
        "messages": [{"role": "user", "content": wire.PROMPT}],
        "max_tokens": n,
        "stream": True,
    }
    if tools:
        body["tools"] = wire.TOOLS
    return body


def _tally_dict(tally: Tally, obj: dict[str, Any]) -> None:
    choices = obj["choices"]
    if not choices:
        return
    delta = choices[0]["delta"]
    content = delta.get("content")
    if content:
        tally.chunks += 1
        tally.chars += len(content)
    tool_calls = delta.get("tool_calls")
    if tool_calls:
        tally.tools += len(tool_calls)


# --------------------------------------------------------------------------- sync clients


class _FloorSync:
    def __init__(self, base_url: str, tools: bool) -> None:
        import httpx

        self._tools = tools
        self._client = httpx.Client(
            base_url=base_url, headers={"authorization": f"Bearer {wire.API_KEY}"}, timeout=600
        )

    def runner(self, n: int) -> SyncRunner:
        client, body, loads = self._client, _request_body(n, self._tools), json.loads

        def run() -> Tally:
            tally = Tally()
            with client.stream("POST", wire.PATH, json=body) as response:
                response.raise_for_status()
                # Read to the end (no break on [DONE]) so the connection is kept alive.
                for line in response.iter_lines():
                    if line.startswith("data: ") and line != "data: [DONE]":
                        _tally_dict(tally, loads(line[6:]))
            return tally

        return run


class _SdkSync:
    def __init__(self, base_url: str, tools: bool, strict: bool) -> None:
        from groq import Groq

        self._tools = tools
        self._client = Groq(
            base_url=base_url, api_key=wire.API_KEY, _strict_response_validation=strict
        )

    def runner(self, n: int) -> SyncRunner:
        create = self._client.chat.completions.create
        extra: dict[str, Any] = {"tools": wire.TOOLS} if self._tools else {}
        messages: Any = [{"role": "user", "content": wire.PROMPT}]

        def run() -> Tally:
            tally = Tally()
            stream = create(model=wire.MODEL, messages=messages, max_tokens=n, stream=True, **extra)
            for chunk in stream:
                if not chunk.choices:
                    continue
                delta = chunk.choices[0].delta
                content = delta.content
                if content:
                    tally.chunks += 1
                    tally.chars += len(content)
                if delta.tool_calls:
                    tally.tools += len(delta.tool_calls)
            return tally

        return run


def _import_mirascope(tools: bool) -> tuple[Any, Any]:
    """``(groq_call, GetWeather or None)``, or `Unavailable` if the package isn't there yet."""
    try:
        from mirascope.core.groq import groq_call

        if not tools:
            return groq_call, None
        from mirascope.core import BaseTool
    except ImportError as exc:
        raise Unavailable(f"{type(exc).__name__}: {exc}") from exc

    class GetWeather(BaseTool):  # type: ignore[misc, valid-type]
        """Get the current weather in a city."""

        city: str

        def call(self) -> str:
            return f"Sunny in {self.city}"

    return groq_call, GetWeather


class _MirascopeSync:
    def __init__(self, base_url: str, tools: bool) -> None:
        self._groq_call, self._tool = _import_mirascope(tools)
        from groq import Groq

        self._client = Groq(base_url=base_url, api_key=wire.API_KEY)

    def runner(self, n: int) -> SyncRunner:
        extra: dict[str, Any] = {"tools": [self._tool]} if self._tool is not None else {}

        @self._groq_call(
            wire.MODEL, stream=True, client=self._client, call_params={"max_tokens": n}, **extra
        )
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        def run() -> Tally:
            tally = Tally()
            stream = recommend_book("fantasy")
            for chunk, tool in stream:
                content = chunk.content
                if content:
                    tally.chunks += 1
                    tally.chars += len(content)
                if tool is not None:
                    tally.tools += 1
            return tally

        return run


def make_sync(kind: str, base_url: str) -> Callable[[int], SyncRunner]:
    """Build the (untimed) client for ``kind`` and return its ``runner(n)`` factory."""
    tools = uses_tools(kind)
    base = kind.removesuffix("_tools")
    if base == "floor":
        return _FloorSync(base_url, tools).runner
    if base in ("sdk", "sdk_strict"):
        return _SdkSync(base_url, tools, strict=base == "sdk_strict").runner
    if base == "mirascope":
        return _MirascopeSync(base_url, tools).runner
    raise ValueError(f"unknown client {kind!r}")


# --------------------------------------------------------------------------- async clients


class _FloorAsync:
    def __init__(self, base_url: str, tools: bool) -> None:
        import httpx

        limits = httpx.Limits(
            max_connections=ASYNC_MAX_CONNECTIONS, max_keepalive_connections=ASYNC_MAX_CONNECTIONS
        )
        self._tools = tools
        self._client = httpx.AsyncClient(
            base_url=base_url,
            headers={"authorization": f"Bearer {wire.API_KEY}"},
            timeout=600,
            limits=limits,
        )

    def runner(self, n: int) -> AsyncRunner:
        client, body, loads = self._client, _request_body(n, self._tools), json.loads

        async def run() -> Tally:
            tally = Tally()
            async with client.stream("POST", wire.PATH, json=body) as response:
                response.raise_for_status()
                async for line in response.aiter_lines():
                    if line.startswith("data: ") and line != "data: [DONE]":
                        _tally_dict(tally, loads(line[6:]))
            return tally

        return run


def _async_groq(base_url: str, strict: bool = False) -> Any:
    import httpx
    from groq import AsyncGroq, DefaultAsyncHttpxClient

    limits = httpx.Limits(
        max_connections=ASYNC_MAX_CONNECTIONS, max_keepalive_connections=ASYNC_MAX_CONNECTIONS
    )
    return AsyncGroq(
        base_url=base_url,
        api_key=wire.API_KEY,
        http_client=DefaultAsyncHttpxClient(limits=limits),
        _strict_response_validation=strict,
    )


class _SdkAsync:
    def __init__(self, base_url: str, tools: bool, strict: bool) -> None:
        self._tools = tools
        self._client = _async_groq(base_url, strict)

    def runner(self, n: int) -> AsyncRunner:
        create = self._client.chat.completions.create
        extra: dict[str, Any] = {"tools": wire.TOOLS} if self._tools else {}
        messages: Any = [{"role": "user", "content": wire.PROMPT}]

        async def run() -> Tally:
            tally = Tally()
            stream = await create(
                model=wire.MODEL, messages=messages, max_tokens=n, stream=True, **extra
            )
            async for chunk in stream:
                if not chunk.choices:
                    continue
                delta = chunk.choices[0].delta
                content = delta.content
                if content:
                    tally.chunks += 1
                    tally.chars += len(content)
                if delta.tool_calls:
                    tally.tools += len(delta.tool_calls)
            return tally

        return run


class _MirascopeAsync:
    def __init__(self, base_url: str, tools: bool) -> None:
        self._groq_call, self._tool = _import_mirascope(tools)
        self._client = _async_groq(base_url)

    def runner(self, n: int) -> AsyncRunner:
        extra: dict[str, Any] = {"tools": [self._tool]} if self._tool is not None else {}

        @self._groq_call(
            wire.MODEL, stream=True, client=self._client, call_params={"max_tokens": n}, **extra
        )
        async def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        async def run() -> Tally:
            tally = Tally()
            stream = await recommend_book("fantasy")
            async for chunk, tool in stream:
                content = chunk.content
                if content:
                    tally.chunks += 1
                    tally.chars += len(content)
                if tool is not None:
                    tally.tools += 1
            return tally

        return run


def make_async(kind: str, base_url: str) -> Callable[[int], AsyncRunner]:
    """Like `make_sync`, for the asyncio clients (call inside the running event loop)."""
    tools = uses_tools(kind)
    base = kind.removesuffix("_tools")
    if base == "floor":
        return _FloorAsync(base_url, tools).runner
    if base in ("sdk", "sdk_strict"):
        return _SdkAsync(base_url, tools, strict=base == "sdk_strict").runner
    if base == "mirascope":
        return _MirascopeAsync(base_url, tools).runner
    raise ValueError(f"unknown client {kind!r}")
