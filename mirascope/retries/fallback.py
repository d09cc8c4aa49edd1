"""`fallback`: retry an `llm.call` function with other models when it raises.

Invariants: each fallback runs inside `llm.context(...)` with its provider, model, call params
and client; the first success is returned (with `_caught`, the errors so far, attached when the
result allows it); when every attempt fails, `FallbackError` lists every caught error. An
exception not in an attempt's `catch` propagates at once, as in v1.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable
from typing import Any

from typing_extensions import NotRequired, Required, TypedDict

from ..core.base.types import Provider


class Fallback(TypedDict):
    """One fallback attempt: the errors it catches and the overrides it runs with."""

    catch: Required[type[Exception] | tuple[type[Exception], ...]]
    provider: Required[Provider]
    model: Required[str]
    call_params: NotRequired[Any]
    client: NotRequired[Any]


class FallbackError(Exception):
    """Raised when the call and every fallback failed; the message lists the errors."""


FallbackDecorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _attach(result: Any, caught: list[Exception]) -> Any:
    with contextlib.suppress(AttributeError, TypeError, ValueError):  # e.g. a str
        result._caught = caught
    return result


def fallback(
    catch: type[Exception] | tuple[type[Exception], ...], fallbacks: list[Fallback]
) -> FallbackDecorator:
    """Retries an `llm.call` function with each fallback in turn while it raises `catch`.

    Example:
        ```python
        from groq import RateLimitError
        from mirascope import llm
        from mirascope.retries.fallback import fallback

        @fallback(RateLimitError, [
            {"catch": RateLimitError, "provider": "groq", "model": "llama-3.1-8b-instant"},
        ])
        @llm.call(provider="groq", model="openai/gpt-oss-120b")
        def answer(q: str) -> str:
            return q
        ```
    """
    from .. import llm

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        original = getattr(fn, "_original_fn", fn)
        if inspect.iscoroutinefunction(original):

            async def inner_async(*args: Any, **kwargs: Any) -> Any:
                caught: list[Exception] = []
                try:
                    return await fn(*args, **kwargs)
                except catch as e:
                    caught.append(e)
                for backup in fallbacks:
                    try:
                        with llm.context(
                            provider=backup["provider"],
                            model=backup["model"],
                            call_params=backup.get("call_params"),
                            client=backup.get("client"),
                        ):
                            return _attach(await fn(*args, **kwargs), caught)
                    except backup["catch"] as e:
                        caught.append(e)
                raise FallbackError(f"All fallbacks failed:\n{caught}")

            return inner_async

        def inner(*args: Any, **kwargs: Any) -> Any:
            caught: list[Exception] = []
            try:
                return fn(*args, **kwargs)
            except catch as e:
                caught.append(e)
            for backup in fallbacks:
                try:
                    with llm.context(
                        provider=backup["provider"],
                        model=backup["model"],
                        call_params=backup.get("call_params"),
                        client=backup.get("client"),
                    ):
                        return _attach(fn(*args, **kwargs), caught)
                except backup["catch"] as e:
                    caught.append(e)
            raise FallbackError(f"All fallbacks failed:\n{caught}")

        return inner

    return decorator


__all__ = ["Fallback", "FallbackDecorator", "FallbackError", "fallback"]
