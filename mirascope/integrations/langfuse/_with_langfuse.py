"""`with_langfuse()`: v1's Langfuse decorator, built on `middleware_factory`."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from .._middleware_factory import middleware_factory
from . import _utils as u

_observe: Any = importlib.import_module("langfuse.decorators").observe

_P = ParamSpec("_P")
_R = TypeVar("_R")


def custom_decorator(fn: Callable[..., Any]) -> Callable[[Callable[..., Any]], Any]:
    """A langfuse `generation` observation named after `fn` (v1: inputs/outputs not captured)."""
    return _observe(
        name=getattr(fn, "__name__", "call"),
        as_type="generation",
        capture_input=False,
        capture_output=False,
    )


def with_langfuse() -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Trace a Mirascope call with Langfuse: one generation per call, with v1's fields.

    As in v1, the observation wraps the call and, for a stream, its iteration.

    Example:
        ```python
        from mirascope.core import groq
        from mirascope.integrations.langfuse import with_langfuse


        @with_langfuse()
        @groq.call("openai/gpt-oss-20b")
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"


        print(recommend_book("fantasy"))
        ```
    """
    return middleware_factory(
        custom_decorator=custom_decorator,
        handle_call_response=u.handle_call_response,
        handle_call_response_async=u.handle_call_response_async,
        handle_stream=u.handle_stream,
        handle_stream_async=u.handle_stream_async,
        handle_response_model=u.handle_response_model,
        handle_response_model_async=u.handle_response_model_async,
        handle_structured_stream=u.handle_structured_stream,
        handle_structured_stream_async=u.handle_structured_stream_async,
    )


__all__ = ["with_langfuse"]
