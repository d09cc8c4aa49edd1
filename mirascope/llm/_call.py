"""`llm.call`: a provider-agnostic decorator, built on `mirascope.core.groq.groq_call`.

Invariants: the call path is `groq_call`'s (this module only chooses its arguments and wraps
what it returns); the active `llm.context` is read each time the decorated function is called;
a provider other than "groq" raises `ValueError` when the call is made, before any request.
Responses become `llm.CallResponse`, streams `llm.Stream`; anything else (a response model, a
structured stream, a parsed output) is returned as `groq_call` returns it, as in v1.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from ..core.base.call_response import BaseCallResponse
from ..core.base.stream import BaseStream
from ._context import apply_context, get_current_context
from .call_response import CallResponse
from .stream import Stream

INSTALLED_PROVIDER = "groq"


def _provider_call(provider: str) -> Callable[..., Any]:
    # v1 raises `ValueError("Unsupported provider: ...")`; the rest names what is installed.
    if provider != INSTALLED_PROVIDER:
        raise ValueError(
            f"Unsupported provider: {provider!r}. This is mirascope-groq: the only provider "
            f'installed is "{INSTALLED_PROVIDER}" (use provider="{INSTALLED_PROVIDER}").'
        )
    from ..core.groq import groq_call

    return groq_call


def wrap_result(result: Any) -> Any:
    """A provider response as `llm.CallResponse`, a provider stream as `llm.Stream`."""
    if isinstance(result, BaseCallResponse):
        return CallResponse(result)  # pyright: ignore[reportUnknownArgumentType]
    if isinstance(result, BaseStream):
        return Stream(result)  # pyright: ignore[reportUnknownArgumentType]
    return result


def _decorate(fn: Callable[..., Any], call_args: Mapping[str, Any]) -> Callable[..., Any]:
    args = apply_context(call_args, get_current_context())
    provider_call = _provider_call(args.pop("provider"))
    return provider_call(**args)(fn)


def call(
    provider: str,
    model: str,
    *,
    stream: Any = False,
    tools: list[Any] | None = None,
    response_model: Any = None,
    output_parser: Callable[..., Any] | None = None,
    json_mode: bool = False,
    client: Any = None,
    call_params: Any = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Turns a prompt function into a call to `provider`'s `model` (here: `provider="groq"`).

    Example:
        ```python
        from mirascope import llm

        @llm.call(provider="groq", model="openai/gpt-oss-20b", stream=True)
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        for chunk, _ in recommend_book("fantasy"):
            print(chunk.content, end="", flush=True)
        ```
    """
    call_args: dict[str, Any] = {
        "provider": provider,
        "model": model,
        "stream": stream,
        "tools": tools,
        "response_model": response_model,
        "output_parser": output_parser,
        "json_mode": json_mode,
        "client": client,
        "call_params": call_params,
    }

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(fn):

            @wraps(fn)
            def inner_async(*args: Any, **kwargs: Any) -> Any:
                decorated = _decorate(fn, call_args)  # context read at call time

                async def run() -> Any:
                    return wrap_result(await decorated(*args, **kwargs))

                return run()

            inner_async._original_call_args = call_args  # pyright: ignore[reportAttributeAccessIssue]
            inner_async._original_fn = fn  # pyright: ignore[reportAttributeAccessIssue]
            return inner_async

        @wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            return wrap_result(_decorate(fn, call_args)(*args, **kwargs))

        inner._original_call_args = call_args  # pyright: ignore[reportAttributeAccessIssue]
        inner._original_fn = fn  # pyright: ignore[reportAttributeAccessIssue]
        return inner

    return decorator
