"""Tenacity helpers: `collect_errors` feeds a failed attempt's error to the next attempt.

Importing this module imports tenacity (the `tenacity` extra); `mirascope.retries` does not.
"""

from __future__ import annotations

from collections.abc import Callable

from tenacity import RetryCallState

__all__ = ["collect_errors"]


def collect_errors(*args: type[Exception]) -> Callable[[RetryCallState], None]:
    """An `after=` hook that appends a failed attempt's exception to the `errors` keyword.

    Exceptions match with `isinstance`, so subclasses are collected too (v1 matched exact types
    only, B20). The next attempt receives every collected error so far, oldest first, and can
    put them in its prompt (error reinsertion).

    Example:
        ```python
        from pydantic import ValidationError
        from tenacity import retry, stop_after_attempt

        from mirascope.core import groq, prompt_template
        from mirascope.retries.tenacity import collect_errors

        @retry(stop=stop_after_attempt(3), after=collect_errors(ValidationError))
        @groq.call("openai/gpt-oss-20b", response_model=Book)
        @prompt_template("{previous_errors}Extract the book from: {text}")
        def extract_book(
            text: str, *, errors: list[ValidationError] | None = None
        ) -> groq.GroqDynamicConfig:
            previous = f"Fix these errors: {errors}\\n" if errors else ""
            return {"computed_fields": {"previous_errors": previous}}
        ```
    """

    def inner(retry_state: RetryCallState) -> None:
        outcome = retry_state.outcome
        exception = outcome.exception() if outcome is not None and outcome.failed else None
        if isinstance(exception, args):
            errors: list[BaseException] = list(retry_state.kwargs.get("errors") or [])
            retry_state.kwargs["errors"] = [*errors, exception]

    return inner
