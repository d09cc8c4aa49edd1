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
  delta with two complete tool calls after the N text chunks;
- ``*_toolheavy``: the same tool plus ``tool_choice="required"``; the server then sends N chunks
  that all carry tool-call data (two calls, arguments in ~6-character fragments), and the client
  reassembles them: per ``index``, fragments appended to a list, joined and ``json.loads``-ed at
  the end (floor, SDK), or mirascope's own assembler (``for chunk, tool in stream``). Each must
  end with exactly the two calls' expected arguments.
- ``*_reasoning``: ``reasoning_format="parsed"`` in the request; the server then sends the N
  words as ``delta.reasoning`` and the client counts those (``chunk.reasoning`` for mirascope).

Heavy imports (httpx, groq, mirascope) happen inside the constructors, so a worker only loads
what its client needs (this matters for the RSS figures). A mirascope kind whose package cannot
be imported raises `Unavailable`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
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
    "floor_toolheavy",
    "sdk_toolheavy",
    "mirascope_toolheavy",
    "floor_reasoning",
    "sdk_reasoning",
    "mirascope_reasoning",
)
#: Kinds measured against ``sdk``/``floor``; the tool kinds against ``sdk_tools``/``floor_tools``,
#: the tool-heavy kinds against ``sdk_toolheavy``/``floor_toolheavy``.
TEXT_CLIENTS: tuple[str, ...] = ("floor", "sdk", "sdk_strict", "mirascope")
TOOL_CLIENTS: tuple[str, ...] = ("floor_tools", "sdk_tools", "mirascope_tools")
TOOLHEAVY_CLIENTS: tuple[str, ...] = ("floor_toolheavy", "sdk_toolheavy", "mirascope_toolheavy")
REASONING_CLIENTS: tuple[str, ...] = ("floor_reasoning", "sdk_reasoning", "mirascope_reasoning")
#: Kinds that need the mirascope package.
MIRASCOPE_CLIENTS: tuple[str, ...] = (
    "mirascope",
    "mirascope_tools",
    "mirascope_toolheavy",
    "mirascope_reasoning",
)

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
    tool_args: list[dict[str, Any]] = field(default_factory=list[dict[str, Any]])
    """Tool-heavy kinds only: each call's parsed arguments, in ``index`` order."""


SyncRunner = Callable[[], Tally]
AsyncRunner = Callable[[], Awaitable[Tally]]


def split_kind(kind: str) -> tuple[str, str]:
    """``(base, variant)``: ``"sdk_toolheavy"`` → ``("sdk", "toolheavy")``."""
    for variant in ("tools", "toolheavy", "reasoning"):
        if kind.endswith("_" + variant):
            return kind.removesuffix("_" + variant), variant
    return kind, ""


def uses_tools(kind: str) -> bool:
    """Whether ``kind`` sends a tool in its request."""
    return split_kind(kind)[1] in ("tools", "toolheavy")


def is_toolheavy(kind: str) -> bool:
    """Whether ``kind`` asks for the tool-heavy stream (every chunk carries tool-call data)."""
    return split_kind(kind)[1] == "toolheavy"


def verify(kind: str, n: int, tally: Tally) -> None:
    """Fail loudly unless ``tally`` is exactly what the server sent for ``max_tokens=n``."""
    if is_toolheavy(kind):
        want = Tally(0, 0, wire.TOOL_CALLS_PER_STREAM, wire.toolheavy_arguments(n))
    else:
        tools = wire.TOOL_CALLS_PER_STREAM if uses_tools(kind) else 0
        want = Tally(n, wire.expected_chars(n), tools)
    if tally != want:
        shown = [{k: f"<{len(v)} chars>" for k, v in args.items()} for args in tally.tool_args]
        raise VerificationError(
            f"{kind}: N={n}: expected {want.chunks} text chunks, {want.chars} chars,"
            f" {want.tools} tools; got {tally.chunks}, {tally.chars}, {tally.tools}"
            + (f" (arguments {shown}, expected different ones)" if want.tool_args else "")
        )


def _variant_params(kind_variant: str) -> dict[str, Any]:
    """The request fields a variant adds: ``tools``, and ``tool_choice`` for tool-heavy."""
    if not kind_variant:
        return {}
    if kind_variant == "reasoning":
        return {"reasoning_format": wire.REASONING_FORMAT}
    params: dict[str, Any] = {"tools": wire.TOOLS}
    if kind_variant == "toolheavy":
        params["tool_choice"] = wire.TOOLHEAVY_TOOL_CHOICE
    return params


def _request_body(n: int, variant: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": wire.MODEL,
        "messages": [{"role": "user", "content": wire.PROMPT}],
        "max_tokens": n,
        "stream": True,
    }
    body.update(_variant_params(variant))
    return body


def _assembled(tally: Tally, parts: dict[int, list[str]]) -> Tally:
    """Finish a tool-heavy tally: join each index's fragments once and parse them."""
    tally.tools = len(parts)
    tally.tool_args = [json.loads("".join(parts[i])) for i in sorted(parts)]
    return tally


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


def _tally_dict_reasoning(tally: Tally, obj: dict[str, Any]) -> None:
    """Like `_tally_dict` for a reasoning stream: counts the ``reasoning`` deltas."""
    choices = obj["choices"]
    if not choices:
        return
    reasoning = choices[0]["delta"].get("reasoning")
    if reasoning:
        tally.chunks += 1
        tally.chars += len(reasoning)


def _tally_dict_heavy(tally: Tally, parts: dict[int, list[str]], obj: dict[str, Any]) -> None:
    """Like `_tally_dict`, collecting each tool call's argument fragments by ``index``."""
    choices = obj["choices"]
    if not choices:
        return
    delta = choices[0]["delta"]
    content = delta.get("content")
    if content:
        tally.chunks += 1
        tally.chars += len(content)
    for call in delta.get("tool_calls") or ():
        function = call.get("function")
        fragment = function.get("arguments") if function else None
        index = call["index"]
        fragments = parts.get(index)
        if fragments is None:
            fragments = parts[index] = []
        if fragment:
            fragments.append(fragment)


# --------------------------------------------------------------------------- sync clients


class _FloorSync:
    def __init__(self, base_url: str, variant: str) -> None:
        import httpx

        self._variant = variant
        self._client = httpx.Client(
            base_url=base_url, headers={"authorization": f"Bearer {wire.API_KEY}"}, timeout=600
        )

    def runner(self, n: int) -> SyncRunner:
        client, body, loads = self._client, _request_body(n, self._variant), json.loads
        tally_dict = _tally_dict_reasoning if self._variant == "reasoning" else _tally_dict

        def run() -> Tally:
            tally = Tally()
            with client.stream("POST", wire.PATH, json=body) as response:
                response.raise_for_status()
                # Read to the end (no break on [DONE]) so the connection is kept alive.
                for line in response.iter_lines():
                    if line.startswith("data: ") and line != "data: [DONE]":
                        tally_dict(tally, loads(line[6:]))
            return tally

        def run_heavy() -> Tally:
            tally, parts = Tally(), {}
            with client.stream("POST", wire.PATH, json=body) as response:
                response.raise_for_status()
                for line in response.iter_lines():
                    if line.startswith("data: ") and line != "data: [DONE]":
                        _tally_dict_heavy(tally, parts, loads(line[6:]))
            return _assembled(tally, parts)

        return run_heavy if self._variant == "toolheavy" else run


class _SdkSync:
    def __init__(self, base_url: str, variant: str, strict: bool) -> None:
        from groq import Groq

        self._variant = variant
        self._client = Groq(
            base_url=base_url, api_key=wire.API_KEY, _strict_response_validation=strict
        )

    def runner(self, n: int) -> SyncRunner:
        create = self._client.chat.completions.create
        extra = _variant_params(self._variant)
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

        def run_heavy() -> Tally:
            tally, parts = Tally(), {}
            stream = create(model=wire.MODEL, messages=messages, max_tokens=n, stream=True, **extra)
            for chunk in stream:
                if chunk.choices:
                    _sdk_delta_heavy(tally, parts, chunk.choices[0].delta)
            return _assembled(tally, parts)

        def run_reasoning() -> Tally:
            tally = Tally()
            stream = create(model=wire.MODEL, messages=messages, max_tokens=n, stream=True, **extra)
            for chunk in stream:
                if chunk.choices:
                    reasoning = getattr(chunk.choices[0].delta, "reasoning", None)
                    if reasoning:
                        tally.chunks += 1
                        tally.chars += len(reasoning)
            return tally

        if self._variant == "reasoning":
            return run_reasoning
        return run_heavy if self._variant == "toolheavy" else run


def _sdk_delta_heavy(tally: Tally, parts: dict[int, list[str]], delta: Any) -> None:
    """One SDK delta of a tool-heavy stream: text as usual, argument fragments by ``index``."""
    content = delta.content
    if content:
        tally.chunks += 1
        tally.chars += len(content)
    for call in delta.tool_calls or ():
        function = call.function
        fragment = function.arguments if function is not None else None
        fragments = parts.get(call.index)
        if fragments is None:
            fragments = parts[call.index] = []
        if fragment:
            fragments.append(fragment)


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


def _mirascope_params(n: int, variant: str) -> dict[str, Any]:
    """``call_params`` for the mirascope kinds (tool-heavy adds ``tool_choice``)."""
    params: dict[str, Any] = {"max_tokens": n}
    if variant == "toolheavy":
        params["tool_choice"] = wire.TOOLHEAVY_TOOL_CHOICE
    if variant == "reasoning":
        params["reasoning_format"] = wire.REASONING_FORMAT
    return params


def _done_heavy(tally: Tally, tools: list[Any]) -> Tally:
    """Finish a mirascope tool-heavy tally from the tools the stream yielded."""
    tally.tools = len(tools)
    tally.tool_args = [tool.args for tool in tools]
    return tally


class _MirascopeSync:
    def __init__(self, base_url: str, variant: str) -> None:
        self._variant = variant
        self._groq_call, self._tool = _import_mirascope(variant in ("tools", "toolheavy"))
        from groq import Groq

        self._client = Groq(base_url=base_url, api_key=wire.API_KEY)

    def runner(self, n: int) -> SyncRunner:
        extra: dict[str, Any] = {"tools": [self._tool]} if self._tool is not None else {}
        call = self._groq_call(
            wire.MODEL,
            stream=True,
            client=self._client,
            call_params=_mirascope_params(n, self._variant),
            **extra,
        )
        if self._variant == "toolheavy":

            @call
            def ask(q: str) -> str:
                return q

            def run_heavy() -> Tally:
                tally, tools = Tally(), []
                for chunk, tool in ask("x"):
                    content = chunk.content
                    if content:
                        tally.chunks += 1
                        tally.chars += len(content)
                    if tool is not None:
                        tools.append(tool)
                return _done_heavy(tally, tools)

            return run_heavy

        @call
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        if self._variant == "reasoning":

            def run_reasoning() -> Tally:
                tally = Tally()
                for chunk, _ in recommend_book("fantasy"):
                    reasoning = chunk.reasoning
                    if reasoning:
                        tally.chunks += 1
                        tally.chars += len(reasoning)
                return tally

            return run_reasoning

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
    base, variant = split_kind(kind)
    if base == "floor":
        return _FloorSync(base_url, variant).runner
    if base in ("sdk", "sdk_strict"):
        return _SdkSync(base_url, variant, strict=base == "sdk_strict").runner
    if base == "mirascope":
        return _MirascopeSync(base_url, variant).runner
    raise ValueError(f"unknown client {kind!r}")


# --------------------------------------------------------------------------- async clients


class _FloorAsync:
    def __init__(self, base_url: str, variant: str) -> None:
        import httpx

        limits = httpx.Limits(
            max_connections=ASYNC_MAX_CONNECTIONS, max_keepalive_connections=ASYNC_MAX_CONNECTIONS
        )
        self._variant = variant
        self._client = httpx.AsyncClient(
            base_url=base_url,
            headers={"authorization": f"Bearer {wire.API_KEY}"},
            timeout=600,
            limits=limits,
        )

    def runner(self, n: int) -> AsyncRunner:
        client, body, loads = self._client, _request_body(n, self._variant), json.loads
        tally_dict = _tally_dict_reasoning if self._variant == "reasoning" else _tally_dict

        async def run() -> Tally:
            tally = Tally()
            async with client.stream("POST", wire.PATH, json=body) as response:
                response.raise_for_status()
                async for line in response.aiter_lines():
                    if line.startswith("data: ") and line != "data: [DONE]":
                        tally_dict(tally, loads(line[6:]))
            return tally

        async def run_heavy() -> Tally:
            tally, parts = Tally(), {}
            async with client.stream("POST", wire.PATH, json=body) as response:
                response.raise_for_status()
                async for line in response.aiter_lines():
                    if line.startswith("data: ") and line != "data: [DONE]":
                        _tally_dict_heavy(tally, parts, loads(line[6:]))
            return _assembled(tally, parts)

        return run_heavy if self._variant == "toolheavy" else run


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
    def __init__(self, base_url: str, variant: str, strict: bool) -> None:
        self._variant = variant
        self._client = _async_groq(base_url, strict)

    def runner(self, n: int) -> AsyncRunner:
        create = self._client.chat.completions.create
        extra = _variant_params(self._variant)
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

        async def run_heavy() -> Tally:
            tally, parts = Tally(), {}
            stream = await create(
                model=wire.MODEL, messages=messages, max_tokens=n, stream=True, **extra
            )
            async for chunk in stream:
                if chunk.choices:
                    _sdk_delta_heavy(tally, parts, chunk.choices[0].delta)
            return _assembled(tally, parts)

        return run_heavy if self._variant == "toolheavy" else run


class _MirascopeAsync:
    def __init__(self, base_url: str, variant: str) -> None:
        self._variant = variant
        self._groq_call, self._tool = _import_mirascope(variant in ("tools", "toolheavy"))
        self._client = _async_groq(base_url)

    def runner(self, n: int) -> AsyncRunner:
        extra: dict[str, Any] = {"tools": [self._tool]} if self._tool is not None else {}
        call = self._groq_call(
            wire.MODEL,
            stream=True,
            client=self._client,
            call_params=_mirascope_params(n, self._variant),
            **extra,
        )
        if self._variant == "toolheavy":

            @call
            async def ask(q: str) -> str:
                return q

            async def run_heavy() -> Tally:
                tally, tools = Tally(), []
                async for chunk, tool in await ask("x"):
                    content = chunk.content
                    if content:
                        tally.chunks += 1
                        tally.chars += len(content)
                    if tool is not None:
                        tools.append(tool)
                return _done_heavy(tally, tools)

            return run_heavy

        @call
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
    base, variant = split_kind(kind)
    if base == "floor":
        return _FloorAsync(base_url, variant).runner
    if base in ("sdk", "sdk_strict"):
        return _SdkAsync(base_url, variant, strict=base == "sdk_strict").runner
    if base == "mirascope":
        return _MirascopeAsync(base_url, variant).runner
    raise ValueError(f"unknown client {kind!r}")
