"""`llm.override`: an `llm.call` function with some of its arguments replaced.

Invariant: the override is an `llm.context` entered around each call, so it composes with
an enclosing `llm.context` exactly as v1's does.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import wraps
from typing import Any

from ._context import make_context


def override(
    provider_agnostic_call: Callable[..., Any],
    *,
    provider: str | None = None,
    model: str | None = None,
    call_params: Any = None,
    client: Any = None,
    stream: Any = None,
    tools: list[Any] | None = None,
    response_model: Any = None,
    output_parser: Callable[..., Any] | None = None,
    json_mode: bool | None = None,
) -> Callable[..., Any]:
    """`provider_agnostic_call` with the given arguments overridden.

    Example:
        ```python
        fast = llm.override(recommend_book, provider="groq", model="openai/gpt-oss-20b")
        print(fast("fantasy").content)
        ```
    """
    if (provider and not model) or (model and not provider):
        raise ValueError("Provider and model must both be overridden if either is overridden.")
    overrides: dict[str, Any] = {
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
    fn = provider_agnostic_call
    original = getattr(fn, "_original_fn", fn)
    if inspect.iscoroutinefunction(original):

        @wraps(fn)
        async def inner_async(*args: Any, **kwargs: Any) -> Any:
            with make_context(**overrides):
                return await fn(*args, **kwargs)

        return inner_async

    @wraps(fn)
    def inner(*args: Any, **kwargs: Any) -> Any:
        with make_context(**overrides):
            return fn(*args, **kwargs)

    return inner
