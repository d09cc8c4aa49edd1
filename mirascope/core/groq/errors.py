"""Errors of a Groq stream that fail after it started.

Failures before the first byte keep the groq SDK's own types (`RateLimitError`,
`AuthenticationError`, `APIStatusError`, …, after the SDK's own retries). Failures after it are
translated in one place (`_stream_source`) into these, so `except groq.APIError` still catches
everything, and each error says what happened and carries what was received:

    groq.APIError
    └── GroqStreamError               kind: error_event | incomplete | malformed
        ├── GroqStreamConnectionError kind: dropped; also a groq.APIConnectionError
        │   └── GroqStreamTimeoutError kind: timeout; also a groq.APITimeoutError
        └── GroqStreamDecodeError     kind: malformed; the body did not decode (gzip)

A pickled error keeps the request's method and URL, never its credential headers.

`__cause__` is the underlying httpx, JSON or validation error where there is one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import httpx
from groq import APIConnectionError, APIError, APIStatusError, APITimeoutError

if TYPE_CHECKING:
    from .call_response import GroqCallResponse
    from .stream import GroqStream

StreamErrorKind: TypeAlias = Literal[
    "error_event", "dropped", "incomplete", "timeout", "malformed", "invalid_tool_call"
]
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
        # Keep the error picklable (the stream is not): rebuild from message and fields, with
        # the request's credentials left out (a pickle is a file or a queue message).
        request = _without_credentials(self.request)
        return (_rebuild, (type(self), self.message, self.kind, request, self.body))


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


@dataclass(frozen=True)
class InvalidToolCall:
    """A tool call whose arguments did not parse or validate; it stays in `message_param`.

    Example:
        ```python
        for bad in stream.invalid_tool_calls:
            print(bad.name, bad.arguments, bad.error)
        ```
    """

    id: str
    """The call's id, so a tool message can answer it."""
    name: str
    """The tool the model called."""
    arguments: str
    """The raw argument text, exactly as received."""
    error: str
    """Why it was refused: the JSON or validation error, as text."""
    exception: Exception | None = field(default=None, compare=False, repr=False)
    """The `ValueError` / `pydantic.ValidationError` itself (not pickled)."""

    def __reduce__(self) -> Any:
        return (InvalidToolCall, (self.id, self.name, self.arguments, self.error))


class GroqToolCallError(GroqStreamError):
    """Some tool calls had arguments that did not parse or validate (`kind == "invalid_tool_call"`).

    Raised only after everything else was yielded and the stream finished normally (finish
    reason and usage folded, valid tools yielded, the bad calls kept in `message_param`).

    Example:
        ```python
        from mirascope.core.groq.errors import GroqToolCallError

        try:
            for chunk, tool in stream:
                ...
        except GroqToolCallError as e:
            for bad in e.invalid_tool_calls:
                print(bad.name, bad.arguments, bad.error)
            history.append(stream.message_param)  # the bad calls are in it
        ```
    """

    invalid_tool_calls: list[InvalidToolCall]
    """The refused calls, in stream order."""

    def __init__(
        self,
        message: str = "A tool call's arguments did not parse or validate.",
        *,
        kind: StreamErrorKind = "invalid_tool_call",
        request: httpx.Request,
        body: object | None = None,
        invalid_tool_calls: list[InvalidToolCall] | None = None,
    ) -> None:
        GroqStreamError.__init__(self, message, kind=kind, request=request, body=body)
        self.invalid_tool_calls = list(invalid_tool_calls or [])

    @classmethod
    def of(cls, calls: list[InvalidToolCall], request: httpx.Request) -> GroqToolCallError:
        """The error for `calls`, with a message naming each tool and its error."""
        lines = "; ".join(f"{c.name} ({c.id}): {c.error.splitlines()[0]}" for c in calls)
        return cls(
            f"Invalid tool call arguments: {lines}", request=request, invalid_tool_calls=calls
        )

    def __reduce__(self) -> Any:
        return (_rebuild_tool, (self.message, self.request, self.invalid_tool_calls))


def _rebuild_tool(
    message: str, request: httpx.Request, calls: list[InvalidToolCall]
) -> GroqToolCallError:
    return GroqToolCallError(message, request=request, invalid_tool_calls=calls)


def _rebuild(
    cls: type[GroqStreamError],
    message: str,
    kind: StreamErrorKind,
    request: httpx.Request,
    body: object | None,
) -> GroqStreamError:
    return cls(message, kind=kind, request=request, body=body)


# -- issue 9 (B-E): body decoding and credential-free pickles --------------------------------

_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "cookie"})


def _without_credentials(request: httpx.Request) -> httpx.Request:
    """A copy of `request` for pickling: same method and URL, no credential headers, no body."""
    headers = [(k, v) for k, v in request.headers.items() if k.lower() not in _CREDENTIAL_HEADERS]
    return httpx.Request(
        request.method, request.url.copy_with(username=None, password=None), headers=headers
    )


class GroqStreamDecodeError(GroqStreamError):
    """The body could not be decoded (a broken `content-encoding: gzip` body); `kind="malformed"`.

    `__cause__` is the `httpx.DecodingError`; `.partial` keeps what was decoded before it.

    Example:
        ```python
        from mirascope.core.groq.errors import GroqStreamDecodeError

        try:
            for chunk, _ in stream:
                ...
        except GroqStreamDecodeError as e:
            print(e.partial.content if e.partial else "")
        ```
    """

    def __init__(
        self,
        message: str = "The Groq stream body could not be decoded.",
        *,
        kind: StreamErrorKind = "malformed",
        request: httpx.Request,
        body: object | None = None,
    ) -> None:
        GroqStreamError.__init__(self, message, kind=kind, request=request, body=body)


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
    "GroqStreamDecodeError",
    "GroqStreamError",
    "GroqStreamTimeoutError",
    "GroqToolCallError",
    "InvalidToolCall",
    "StreamErrorKind",
]


# -- bulk jobs (map, map_async, batch): per-item errors --------------------------------------------


class GroqBulkItemError(Exception):
    """One input of a bulk job failed; the others are unaffected (beyond v1).

    Returned in place of that input's result by `fn.map`, `fn.map_async` and
    `GroqBatch.results()`, never raised by them.

    Example:
        ```python
        for result in recommend_book.map([{"genre": "fantasy"}, {"genre": "horror"}]):
            if isinstance(result, GroqBulkItemError):
                print(result.index, result.code, result.message)
        ```
    """

    def __init__(
        self,
        message: str,
        *,
        index: int,
        custom_id: str | None = None,
        status_code: int | None = None,
        code: str | None = None,
        body: object | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.index = index
        """Position of the input in the job."""
        self.custom_id = custom_id
        """The batch line's `custom_id` (batch jobs only)."""
        self.status_code = status_code
        """The HTTP status Groq answered the item with, when it answered."""
        self.code = code
        """Groq's error code (`batch_expired`, `rate_limit_exceeded`, …)."""
        self.body = body
        """The decoded error body, when there was one."""


class GroqBatchExpiredError(GroqBulkItemError):
    """A batch line Groq did not run before the completion window closed; resubmit it."""


class GroqBatchNotAvailableError(Exception):
    """Groq refused to create a batch: 403 `not_available_for_plan` (GROQ_2026.md §1.4).

    Example:
        ```python
        try:
            recommend_book.batch(rows)
        except GroqBatchNotAvailableError as e:
            print(e)  # names the plan requirement
        ```
    """


class GroqBulkInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped `fn.map`: the requests in flight were cancelled and their connections
    closed; `results` holds one entry per input, in input order, for what finished, and
    `GroqBulkItemError(code="interrupted")` for the rest. A `KeyboardInterrupt`, so a script
    still stops unless it catches it.

    Example:
        ```python
        try:
            results = recommend_book.map(rows)
        except GroqBulkInterrupted as e:
            results = e.results  # what finished before Ctrl-C
        ```
    """

    def __init__(self, results: list[Any]) -> None:
        done = sum(1 for r in results if not _interrupted(r))
        super().__init__(f"interrupted: {done} of {len(results)} inputs finished")
        self.results = results
        """One result per input, in input order (the unfinished ones are per-item errors)."""


def _interrupted(result: object) -> bool:
    return isinstance(result, GroqBulkItemError) and result.code == "interrupted"


__all__ += [
    "GroqBatchExpiredError",
    "GroqBatchNotAvailableError",
    "GroqBulkInterrupted",
    "GroqBulkItemError",
]
