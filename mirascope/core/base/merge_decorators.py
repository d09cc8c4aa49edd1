"""`merge_decorators`: stack several decorators into one factory."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

_F = TypeVar("_F", bound=Callable[..., Any])


def merge_decorators(
    decorator: Callable[[Any], Any], *additional_decorators: Callable[[Any], Any]
) -> Callable[[], Callable[[_F], _F]]:
    """A zero-argument factory whose decorator applies `decorator` outermost, then the others.

    The stack is applied afresh on every use; names and docstrings are kept.

    Example:
        ```python
        from tenacity import retry, stop_after_attempt

        with_retries = merge_decorators(
            retry(stop=stop_after_attempt(3)), groq.call("openai/gpt-oss-20b")
        )

        @with_retries()
        def answer(q: str) -> str:
            return q
        ```
    """
    decorators = (decorator, *additional_decorators)

    def factory() -> Callable[[_F], _F]:
        def apply(fn: _F) -> _F:
            wrapped: Any = fn
            for each in reversed(decorators):
                wrapped = wraps(fn)(each(wrapped))
            return wrapped

        return apply

    return factory


__all__ = ["merge_decorators"]
