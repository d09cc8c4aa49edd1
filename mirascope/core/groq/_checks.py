"""Decoration-time checks of `groq_call`'s arguments: misuse fails before any request.

Invariants: every check runs when the decorator is applied (or, for the dynamic client, when the
call is set up), never after a request was sent; each error is a `TypeError` that names the
argument and what was expected. Values that are valid pass unchanged.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, cast

from groq import AsyncGroq, Groq


def is_stream(stream: object) -> bool:
    """Whether a `stream=` argument asks for a stream; anything but a bool or dict raises.

    `stream={}` is a stream with default options. Truthy strings and numbers are refused, so
    `stream="false"` cannot silently start a stream.

    Example:
        ```python
        is_stream({})  # True
        ```
    """
    if isinstance(stream, bool):
        return stream
    if not isinstance(stream, dict):
        raise TypeError(
            f"stream must be True, False or a StreamConfig dict such as "
            f"{{'chunk_timeout': 10}}, not {stream!r}"
        )
    partial: object = cast("dict[str, object]", stream).get("partial_tools", False)
    if not isinstance(partial, bool):
        raise TypeError(f"stream option 'partial_tools' must be a bool, not {partial!r}")
    return True


def check_client(client: object, *, is_async: bool, name: str) -> None:
    """Refuse a `client=` that is not a `groq.Groq` / `groq.AsyncGroq` instance of the right kind.

    Example:
        ```python
        check_client(groq.Groq(), is_async=False, name="answer")
        ```
    """
    if client is None:
        return
    if not isinstance(client, (Groq, AsyncGroq)):
        hint = ""
        if isinstance(client, type) and issubclass(client, (Groq, AsyncGroq)):
            hint = f"; you passed the class itself, call it: {client.__name__}()"
        raise TypeError(
            f"{name}: client= must be a groq.Groq or groq.AsyncGroq instance, not {client!r}{hint}"
        )
    if is_async and isinstance(client, Groq):
        raise TypeError(
            f"{name} is an async function but was given a sync groq.Groq client; "
            "pass groq.AsyncGroq(...) instead."
        )
    if not is_async and isinstance(client, AsyncGroq):
        raise TypeError(
            f"{name} is a sync function but was given a groq.AsyncGroq client; "
            "pass groq.Groq(...) instead, or make the function `async def`."
        )


def check_tools(tools: Sequence[object] | None) -> None:
    """Refuse tools that could never run: a `BaseTool` subclass whose `call()` is abstract.

    (Plain pydantic models stay allowed, as in v1: their `call()` raises when used.)

    Example:
        ```python
        check_tools([GetWeather, get_time])
        ```
    """
    if not tools:
        return
    from ..base.tool import BaseTool  # on first use: a plain call has no tools
    from .builtin_tools import BuiltinTool

    for tool in tools:
        if isinstance(tool, BuiltinTool):  # Groq runs it server-side (issue 10)
            continue
        if not isinstance(tool, type):
            if not callable(tool):
                raise TypeError(
                    f"Cannot use {tool!r} as a tool: pass a BaseTool subclass or a function"
                )
            continue
        if issubclass(tool, BaseTool) and "call" in getattr(tool, "__abstractmethods__", ()):
            raise TypeError(
                f"Tool class {tool.__name__!r} has no call() method: define "
                f"`def call(self) -> ...` on it (it runs when the model calls the tool)"
            )


def qualname(fn: Callable[..., Any]) -> str:
    """A function's name for error messages."""
    return getattr(inspect.unwrap(fn), "__qualname__", None) or repr(fn)


__all__ = ["check_client", "check_tools", "is_stream", "qualname"]
