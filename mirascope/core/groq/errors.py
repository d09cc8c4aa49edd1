"""Errors of a Groq stream that fail after it started.

Failures before the first byte keep the groq SDK's own types (`RateLimitError`,
`AuthenticationError`, `APIStatusError`, …, after the SDK's own retries). Failures after it are
translated in one place (`_stream_source`) into these, so `except groq.APIError` still catches
everything, and each error says what happened and carries what was received:

    groq.APIError
    └── GroqStreamError               kind: error_event | incomplete | malformed
        └── GroqStreamConnectionError kind: dropped; also a groq.APIConnectionError
            └── GroqStreamTimeoutError kind: timeout; also a groq.APITimeoutError

`__cause__` is the underlying httpx, JSON or validation error where there is one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import httpx
from groq import APIConnectionError, APIError, APIStatusError, APITimeoutError

if TYPE_CHECKING:
    from .call_response import GroqCallResponse
    from .stream import GroqStream

StreamErrorKind: TypeAlias = Literal["error_event", "dropped", "incomplete", "timeout", "malformed"]
"""What went wrong after the stream started."""


class GroqStreamError(APIError):
    """A Groq stream failed after it started; what was received is kept.

    Example:
        ```python
        from mirascope.core.groq.errors import GroqStreamError

        stream = recommend_book("fantasy")
        try:
            for chunk, _ in stream:
                print(chunk.content, end="")
        except GroqStreamError as e:
            print(e.kind, e.code)           # e.g. "error_event", "tool_use_failed"
            print(stream.content)           # the text that arrived before the failure
            partial = e.partial             # a GroqCallResponse, finish_reasons == []
        ```
    """

    kind: StreamErrorKind
    """What went wrong."""
    code: str | None
    """Groq's error code for an in-stream error event (`tool_use_failed`, …)."""
    failed_generation: str | None
    """The generation Groq could not parse or validate, when it says so."""
    stream: GroqStream | None
    """The stream that failed (set once the error has passed through it)."""

    def __init__(
        self,
        message: str,
        *,
        kind: StreamErrorKind,
        request: httpx.Request,
        body: object | None = None,
    ) -> None:
        APIError.__init__(self, message, request, body=body)
        self.kind = kind
        inner: dict[str, Any] = body if isinstance(body, dict) else {}  # pyright: ignore[reportUnknownVariableType]
        code, failed = inner.get("code"), inner.get("failed_generation")
        self.code = code if isinstance(code, str) else None
        self.failed_generation = failed if isinstance(failed, str) else None
        self.stream = None

    @property
    def partial(self) -> GroqCallResponse | None:
        """What the stream received, as a `GroqCallResponse` marked incomplete."""
        stream = self.stream
        if stream is None or stream.end_state in ("not_started", "running"):
            return None
        return stream.construct_call_response()

    def __reduce__(self) -> Any:
        # Keep the error picklable (the stream is not): rebuild from message and fields.
        return (_rebuild, (type(self), self.message, self.kind, self.request, self.body))


class GroqStreamConnectionError(GroqStreamError, APIConnectionError):
    """The connection dropped mid-stream (`kind == "dropped"`); `__cause__` is the httpx error."""

    def __init__(
        self,
        message: str = "The connection to Groq dropped mid-stream.",
        *,
        kind: StreamErrorKind = "dropped",
        request: httpx.Request,
        body: object | None = None,
    ) -> None:
        GroqStreamError.__init__(self, message, kind=kind, request=request, body=body)


class GroqStreamTimeoutError(GroqStreamConnectionError, APITimeoutError):
    """No chunk arrived in time (`kind == "timeout"`); the connection was closed."""

    def __init__(
        self,
        message: str = "The Groq stream stalled.",
        *,
        kind: StreamErrorKind = "timeout",
        request: httpx.Request,
        body: object | None = None,
    ) -> None:
        GroqStreamError.__init__(self, message, kind=kind, request=request, body=body)


def _rebuild(
    cls: type[GroqStreamError],
    message: str,
    kind: StreamErrorKind,
    request: httpx.Request,
    body: object | None,
) -> GroqStreamError:
    return cls(message, kind=kind, request=request, body=body)


class GroqCapacityExceededError(APIStatusError):
    """HTTP 498 `capacity_exceeded`: the flex tier has no capacity now (GROQ_2026.md §1.3).

    The groq SDK does not retry 498; opt into `service_tiers.FlexPolicy` to retry with jittered
    backoff or fall back to `on_demand` before the first chunk.

    Example:
        ```python
        try:
            response = recommend_book("fantasy")
        except GroqCapacityExceededError:
            ...  # try later, or use service_tier="on_demand"
        ```
    """

    @classmethod
    def of(cls, exc: APIStatusError) -> GroqCapacityExceededError:
        """The typed twin of the SDK's 498 error (same message, response and body)."""
        return cls(exc.message, response=exc.response, body=exc.body)


__all__ = [
    "GroqCapacityExceededError",
    "GroqStreamConnectionError",
    "GroqStreamError",
    "GroqStreamTimeoutError",
    "StreamErrorKind",
]
