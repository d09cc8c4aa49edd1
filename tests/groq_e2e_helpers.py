"""Shared helpers for the end-to-end tests (real `groq` SDK clients against the shipped emulator).

Imported by tests/conftest.py and the e2e and reliability test modules.

Every stream/call test takes the `flavor` fixture, parametrised `sync` / `async`. A `Flavor`
builds prompt functions of its kind (`def` or `async def`), creates clients of its kind (and closes
them at teardown, inside the test's event loop), invokes calls and drains streams, so a test body
is written once and runs both ways.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from typing import Any

import groq as groq_sdk

from mirascope.core import BaseTool
from mirascope.core import groq as mgroq
from mirascope.core.groq.testing import GroqEmulator

MODEL = "openai/gpt-oss-20b"
TOOL_MODEL = "openai/gpt-oss-120b"
JSON_OBJECT_MODEL = "qwen/qwen3.6-27b"  # live, and response_model uses json_object on it

# Transcript A's usage `U` (GROQ_WIRE.md §4.4) for the knobs prompt_tokens=45, completion_tokens=3.
PROMPT_TOKENS = 45
COMPLETION_TOKENS = 3
MODEL_COST = 45 * 0.075e-6 + 3 * 0.30e-6  # GROQ_2026 prices of openai/gpt-oss-20b (MODEL)

Pair = tuple[Any, Any]


class GetWeather(BaseTool):
    """Get the current weather in a city."""

    city: str

    def call(self) -> str:
        return f"It is sunny in {self.city}."


def flavored(body: Callable[..., Any], *, is_async: bool) -> Callable[..., Any]:
    """`body` itself (sync), or an `async def` twin with the same name and signature."""
    if not is_async:
        return body

    async def twin(*args: Any, **kwargs: Any) -> Any:
        return body(*args, **kwargs)

    twin.__name__ = body.__name__
    twin.__qualname__ = body.__qualname__
    twin.__doc__ = body.__doc__
    twin.__signature__ = inspect.signature(body)  # type: ignore[attr-defined]
    return twin


class Flavor:
    """One way of running a call: `sync` (def + groq.Groq) or `async` (async def + AsyncGroq)."""

    def __init__(self, emu: GroqEmulator, is_async: bool) -> None:
        self.emu = emu
        self.is_async = is_async
        self._clients: list[Any] = []
        self._default: Any = None

    def __repr__(self) -> str:
        return "async" if self.is_async else "sync"

    # -- clients ----------------------------------------------------------------------------

    def client(self, emu: GroqEmulator | None = None, **kwargs: Any) -> Any:
        """A new client of this flavor for `emu` (default: the test's emulator); closed later."""
        emu = emu or self.emu
        client = emu.async_client(**kwargs) if self.is_async else emu.client(**kwargs)
        self._clients.append(client)
        return client

    def other_client(self, emu: GroqEmulator | None = None) -> Any:
        """A client of the *opposite* flavor (for the mismatch test); closed later."""
        emu = emu or self.emu
        client = emu.client() if self.is_async else emu.async_client()
        self._clients.append(client)
        return client

    @property
    def default_client(self) -> Any:
        if self._default is None:
            self._default = self.client()
        return self._default

    async def aclose(self) -> None:
        for client in self._clients:
            if isinstance(client, groq_sdk.AsyncGroq):
                await client.close()
            else:
                client.close()
        self._clients.clear()

    # -- calls ------------------------------------------------------------------------------

    def fn(self, body: Callable[..., Any]) -> Callable[..., Any]:
        """`body` as a prompt function of this flavor."""
        return flavored(body, is_async=self.is_async)

    def call(
        self, body: Callable[..., Any], model: str = MODEL, *, client: Any = "default", **kw: Any
    ) -> Callable[..., Any]:
        """`@groq.call(model, client=..., **kw)` over `body` made into this flavor."""
        if isinstance(client, str):
            client = self.default_client
        return mgroq.call(model, client=client, **kw)(self.fn(body))

    async def invoke(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        result = fn(*args, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result

    async def drain(self, stream: Any) -> list[Pair]:
        """Iterate a stream to the end with the right kind of loop."""
        if self.is_async:
            return [pair async for pair in stream]
        return list(stream)

    async def stream(self, body: Callable[..., Any], *args: Any, **kw: Any) -> tuple[Any, list]:
        """Make a streaming call of `body(*args)` and drain it; returns `(stream, pairs)`."""
        kw.setdefault("stream", True)
        fn = self.call(body, **kw)
        stream = await self.invoke(fn, *args)
        return stream, await self.drain(stream)

    async def first_pair(self, stream: Any) -> tuple[Any, Pair]:
        """Start iterating; return `(iterator, first pair)` without finishing the loop."""
        if self.is_async:
            it = stream.__aiter__()
            return it, await it.__anext__()
        it = iter(stream)
        return it, next(it)

    async def close_stream(self, stream: Any) -> None:
        if self.is_async:
            await stream.aclose()
        else:
            stream.close()

    async def wait_for(self, predicate: Callable[[], object], timeout: float = 3.0) -> bool:
        """Poll `predicate` while letting the event loop run (async generators close lazily)."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() >= deadline:
                return bool(predicate())
            await asyncio.sleep(0.005)
        return True


def user(text: str) -> Callable[..., Any]:
    """A zero-argument shorthand prompt returning `text`."""

    def prompt() -> str:
        return text

    return prompt


def ask(question: str) -> str:
    return question


def chunk_dict(
    delta: dict[str, Any] | None = None, finish: str | None = None, **extra: Any
) -> dict:
    """A literal choice-0 chunk for `enqueue_chunks` (the emulator fills in the envelope)."""
    return {
        "choices": [{"index": 0, "delta": delta or {}, "logprobs": None, "finish_reason": finish}],
        **extra,
    }


def usage_u(prompt: int = PROMPT_TOKENS, completion: int = COMPLETION_TOKENS) -> dict[str, Any]:
    return {
        "queue_time": 0.041905864,
        "prompt_tokens": prompt,
        "prompt_time": 0.003940145,
        "completion_tokens": completion,
        "completion_time": 0.012,
        "total_tokens": prompt + completion,
        "total_time": 0.015940145,
    }


def tool_call_dict(call_id: str, name: str, arguments: str) -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}
