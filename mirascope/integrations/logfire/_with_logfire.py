"""`with_logfire()`: v1's Logfire decorator, built on `middleware_factory`."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from .._middleware_factory import middleware_factory
from . import _utils as u

_P = ParamSpec("_P")
_R = TypeVar("_R")


def with_logfire() -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Trace a Mirascope call with Logfire: one span per call, with v1's attributes.

    A stream's span ends once the stream has ended (exhausted, `break`, error or close).

    Example:
        ```python
        import logfire

        from mirascope.core import groq
        from mirascope.integrations.logfire import with_logfire

        logfire.configure()


        @with_logfire()
        @groq.call("openai/gpt-oss-20b")
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"


        print(recommend_book("fantasy"))
        ```
    """
    return middleware_factory(
        custom_context_manager=u.custom_context_manager,
        handle_call_response=u.handle_call_response,
        handle_call_response_async=u.handle_call_response_async,
        handle_stream=u.handle_stream,
        handle_stream_async=u.handle_stream_async,
        handle_response_model=u.handle_response_model,
        handle_response_model_async=u.handle_response_model_async,
        handle_structured_stream=u.handle_structured_stream,
        handle_structured_stream_async=u.handle_structured_stream_async,
        handle_error=u.handle_error,
        handle_error_async=u.handle_error_async,
    )


__all__ = ["with_logfire"]
