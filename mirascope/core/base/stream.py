"""`BaseStream`: the lifecycle of a streamed call, shared by sync and async iteration.

A stream wraps a source that yields `(chunk, tool_or_None)` pairs. Both `__iter__` and `__aiter__`
are thin loops around the same three steps: `_begin()` (single-pass check, `start_time`), the
provider's `_update_properties(chunk)` for every pair, and `_end()` on every exit path (close the
source, `end_time`, `message_param`). How the stream ended is recorded, so a `break`, a
`close()`, an error or a body cut short reads as incomplete.

Invariants:
- A stream is iterated once; a second iteration raises `StreamConsumedError` and changes nothing.
- The source (and so the HTTP response) is closed on exhaustion, `break`, an exception in the
  loop body, a mid-stream error, `close()`/`aclose()` and `with`/`async with` exit.
- A stream ends exactly once, however: exhausted, `break`, error, or `close()`/`aclose()` (also
  before its first `next()`, as "closed_early"); `on_end` callbacks run then.
- `message_param` exists once iteration has ended, for whatever reason; leaving an `async for`
  early ends the stream at once, as leaving a `for` does (the close of the response follows in a
  task, and never logs an unretrieved exception).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from abc import ABC, abstractmethod
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Sequence,
)
from types import TracebackType
from typing import Any, Generic, Literal, TypeAlias, TypeVar, cast

from typing_extensions import Self

from ._errors import StreamConsumedError, StreamFlavorError
from .metadata import Metadata
from .types import CostMetadata, Provider

_CallResponseT = TypeVar("_CallResponseT")
_ChunkT = TypeVar("_ChunkT")
_UserMessageParamT = TypeVar("_UserMessageParamT")
_AssistantMessageParamT = TypeVar("_AssistantMessageParamT")
_ToolMessageParamT = TypeVar("_ToolMessageParamT")
_MessageParamT = TypeVar("_MessageParamT")
_ToolT = TypeVar("_ToolT")
_ToolSchemaT = TypeVar("_ToolSchemaT")
_DynamicConfigT = TypeVar("_DynamicConfigT")
_CallParamsT = TypeVar("_CallParamsT")
_FinishReasonT = TypeVar("_FinishReasonT")

StreamEnd: TypeAlias = Literal[
    "not_started", "running", "finished", "eof_without_finish", "closed_early", "error"
]
"""How iteration stopped. Only "finished" means a finish reason arrived and the body ended."""


def now_ms() -> float:
    """Milliseconds since the epoch, as v1 records `start_time` and `end_time`."""
    return time.time() * 1000


def _close_sync(source: object) -> None:
    close = getattr(source, "close", None)
    if close is not None and not hasattr(source, "__aiter__"):
        close()


async def _close_async(source: object) -> None:
    aclose = getattr(source, "aclose", None)
    if aclose is not None:
        await aclose()
    else:
        _close_sync(source)


_closing: set[asyncio.Task[None]] = set()
"""Close tasks of abandoned async streams (held so they are not collected while running)."""


async def _close_quietly(stream: Any, close_source: bool) -> None:
    if close_source:
        with contextlib.suppress(Exception):  # closing an abandoned response loses nothing
            await _close_async(stream.stream)
    if stream._pending_end is not None:  # async end callbacks of a stream left by `break`
        await stream._await_end_callbacks()


def _close_later(stream: weakref.ref[Any], close_source: bool = True) -> None:
    """Close an abandoned stream's source soon, from the event loop.

    Only a weak reference is kept: when the stream was collected in a reference cycle, its
    source was collected with it and the event loop's own async-generator finalizer closes it;
    closing it here as well would race that close ("aclose(): asynchronous generator is already
    running", logged as "Task exception was never retrieved").
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no loop (interpreter exit, another thread): the source's finalizer
        return

    def start() -> None:
        alive = stream()
        if alive is None:
            return
        task = loop.create_task(_close_quietly(alive, close_source))
        _closing.add(task)
        task.add_done_callback(_closing.discard)

    loop.call_soon(start)


class _AsyncPairs:
    """What `async for` iterates: a plain async iterator, not an async generator, on purpose.

    An async generator left by `break` is only closed when the event loop gets round to its
    finalizer, so the stream would say "running" until then. This object is dropped the moment
    the loop is left (`break`, an exception in the body), and `__del__` ends the stream then,
    synchronously, exactly as the sync generator's close does; only the HTTP response's close,
    which must await, runs in a task right after.
    """

    __slots__ = ("_done", "_started", "_stream")

    def __init__(
        self, stream: BaseStream[Any, Any, Any, Any, Any, Any, Any, Any, Any, Any, Any]
    ) -> None:
        self._stream = stream
        self._started = False
        self._done = False

    def __aiter__(self) -> _AsyncPairs:
        return self

    async def __anext__(self) -> tuple[Any, Any]:
        stream = self._stream
        if not self._started:
            self._done = True  # a refused second iteration must not end the first
            stream._begin(is_async=True)  # pyright: ignore[reportPrivateUsage]
            self._started, self._done = True, False
        if self._done:
            raise StopAsyncIteration
        source: Any = stream.stream
        try:
            chunk, tool = await source.__anext__()
        except StopAsyncIteration:
            await self._finish(stream._ended_without_error())  # pyright: ignore[reportPrivateUsage]
            raise
        except Exception as exc:
            stream.error = exc
            stream._on_error(exc)  # pyright: ignore[reportPrivateUsage]
            await self._finish("error")
            raise
        except BaseException:  # cancelled, KeyboardInterrupt: as if the loop was left
            self._abandon()
            raise
        stream._update_properties(chunk)  # pyright: ignore[reportPrivateUsage]
        if tool is not None:
            stream._tools.append(tool)  # pyright: ignore[reportPrivateUsage]
        return chunk, tool

    async def _finish(self, state: StreamEnd) -> None:
        self._done = True
        stream = self._stream
        try:
            if not stream._closed:  # pyright: ignore[reportPrivateUsage]
                stream._closed = True  # pyright: ignore[reportPrivateUsage]
                await _close_async(stream.stream)
        finally:
            if stream._state == "running":  # pyright: ignore[reportPrivateUsage]
                stream._end(state)  # pyright: ignore[reportPrivateUsage]
            if stream._pending_end is not None:  # pyright: ignore[reportPrivateUsage]
                await stream._await_end_callbacks()  # pyright: ignore[reportPrivateUsage]

    async def aclose(self) -> None:
        """Leave the iteration early, as an async generator's `aclose()` does."""
        if self._started and not self._done:
            await self._finish("closed_early")
        self._done = True

    def _abandon(self) -> None:
        self._done = True
        stream = self._stream
        if stream._state == "running":  # pyright: ignore[reportPrivateUsage]
            stream._end("closed_early")  # pyright: ignore[reportPrivateUsage]
        if not stream._closed:  # pyright: ignore[reportPrivateUsage]
            stream._closed = True  # pyright: ignore[reportPrivateUsage]
            _close_later(weakref.ref(stream))
        elif stream._pending_end is not None:  # pyright: ignore[reportPrivateUsage]
            _close_later(weakref.ref(stream), close_source=False)

    def __del__(self) -> None:
        if self._started and not self._done:
            self._abandon()


async def _decorated_pairs(stream: Any) -> AsyncGenerator[tuple[Any, Any], None]:
    """`_AsyncPairs` as an async generator, which a `custom_decorator` (e.g. langfuse's
    `observe`) recognises and follows to its end; only used when one is set."""
    pairs = _AsyncPairs(stream)
    try:
        async for pair in pairs:
            yield pair
    finally:
        await pairs.aclose()


class BaseStream(
    Generic[
        _CallResponseT,
        _ChunkT,
        _UserMessageParamT,
        _AssistantMessageParamT,
        _ToolMessageParamT,
        _MessageParamT,
        _ToolT,
        _ToolSchemaT,
        _DynamicConfigT,
        _CallParamsT,
        _FinishReasonT,
    ],
    ABC,
):
    """A streamed LLM call: iterate it for `(chunk, tool)` pairs, then read the totals.

    Errors of a stream surface while iterating (the request is sent at the first `next()`), so
    a retry or `try` must surround the loop, not the call.
    """

    stream: (
        Generator[tuple[_ChunkT, _ToolT | None], None, None]
        | AsyncGenerator[tuple[_ChunkT, _ToolT | None], None]
    )
    """The source of `(chunk, tool)` pairs."""
    metadata: Metadata
    tool_types: list[type[_ToolT]] | None
    call_response_type: type[_CallResponseT]
    model: str
    """The model, overwritten by the one each chunk reports."""
    prompt_template: str | None
    fn_args: dict[str, Any]
    dynamic_config: _DynamicConfigT
    messages: list[_MessageParamT]
    """The provider-format messages actually sent."""
    call_params: _CallParamsT
    call_kwargs: dict[str, Any]
    user_message_param: _UserMessageParamT | None
    message_param: _AssistantMessageParamT
    """The assistant message for history; set once iteration has ended."""
    input_tokens: int | float | None
    cached_tokens: int | float | None
    output_tokens: int | float | None
    id: str | None
    finish_reasons: list[_FinishReasonT] | None
    """From the last chunk that carried a finish reason; later chunks leave it unchanged."""
    start_time: float
    """When iteration started (ms since the epoch); 0 before."""
    end_time: float
    """When iteration ended (ms since the epoch); 0 before."""
    error: BaseException | None
    """The exception that ended iteration, if any."""

    def __init__(
        self,
        *,
        stream: Generator[tuple[_ChunkT, _ToolT | None], None, None]
        | AsyncGenerator[tuple[_ChunkT, _ToolT | None], None],
        metadata: Metadata,
        tool_types: list[type[_ToolT]] | None,
        call_response_type: type[_CallResponseT],
        model: str,
        prompt_template: str | None,
        fn_args: dict[str, Any],
        dynamic_config: _DynamicConfigT,
        messages: list[_MessageParamT],
        call_params: _CallParamsT,
        call_kwargs: dict[str, Any],
    ) -> None:
        self.stream = stream
        self.metadata = metadata
        self.tool_types = tool_types
        self.call_response_type = call_response_type
        self.model = model
        self.prompt_template = prompt_template
        self.fn_args = fn_args
        self.dynamic_config = dynamic_config
        self.messages = messages
        self.call_params = call_params
        self.call_kwargs = call_kwargs
        self.user_message_param = self._user_message_param_of(messages)
        self._content_parts: list[str] = []
        self._tools: list[_ToolT] = []
        self.input_tokens = None
        self.cached_tokens = None
        self.output_tokens = None
        self.id = None
        self.finish_reasons = None
        self.start_time = 0
        self.end_time = 0
        self.error = None
        self._state: StreamEnd = "not_started"
        self._closed = False

    # -- accumulated state ------------------------------------------------------------------

    @property
    def content(self) -> str:
        """The text received so far (choice 0)."""
        parts = self._content_parts
        if len(parts) > 1:
            parts[:] = ["".join(parts)]  # join once per read, not once per chunk
        return parts[0] if parts else ""

    @content.setter
    def content(self, value: str) -> None:
        self._content_parts[:] = [value] if value else []

    @property
    def is_complete(self) -> bool:
        """True only when the server finished the stream: a finish reason and a clean end."""
        return self._state == "finished"

    @property
    def end_state(self) -> StreamEnd:
        """How iteration stopped (see `StreamEnd`)."""
        return self._state

    @property
    @abstractmethod
    def provider(self) -> Provider:
        """The provider name."""

    @property
    @abstractmethod
    def cost_metadata(self) -> CostMetadata:
        """What `calculate_cost` needs for this stream."""

    @property
    @abstractmethod
    def cost(self) -> float | None:
        """The cost in USD, or None while the token counts are unknown."""

    @abstractmethod
    def _update_properties(self, chunk: _ChunkT) -> None:
        """Fold one chunk into the stream's state."""

    @abstractmethod
    def _construct_message_param(
        self, tool_calls: list[Any] | None = None, content: str | None = None
    ) -> _AssistantMessageParamT:
        """Build the assistant message for history."""

    @abstractmethod
    def construct_call_response(self) -> _CallResponseT:
        """Build the non-stream response from what the stream received."""

    @abstractmethod
    def _tool_calls_received(self) -> list[Any]:
        """The tool calls for `message_param`, in order."""

    def _on_error(self, exc: Exception) -> None:
        """Called with the exception that ends iteration, before it propagates."""

    @classmethod
    def _user_message_param_of(cls, messages: Sequence[Any]) -> Any:
        last: Any = messages[-1] if messages else None
        if isinstance(last, dict) and cast("dict[str, Any]", last).get("role") == "user":
            return cast(Any, last)
        return None

    # -- iteration --------------------------------------------------------------------------

    def _begin(self, *, is_async: bool) -> None:
        if self._state != "not_started" or self._closed:
            raise StreamConsumedError()
        if hasattr(self.stream, "__aiter__") != is_async:
            raise StreamFlavorError(is_async=not is_async)
        self._state = "running"
        self.start_time = now_ms()

    def _end(self, state: StreamEnd) -> None:
        self._state = state
        self.end_time = now_ms()
        self.message_param = self._construct_message_param(
            self._tool_calls_received() or None, self.content
        )
        if self._end_callbacks is not None:
            self._run_end_callbacks()

    # -- end-of-stream callbacks (integrations: middleware, otel) --------------------------

    _end_callbacks: list[Callable[[Any], object]] | None = None
    _pending_end: list[Awaitable[object]] | None = None

    def on_end(self, callback: Callable[[Self], object]) -> None:
        """Run `callback(stream)` once the stream has ended: exhausted, `break`, error or close.

        `end_state` and `error` say how it ended. An async callback (returning an awaitable) is
        awaited by the async stream's iteration or `aclose()`. Registered after the end, the
        callback runs at once.

        Example:
            ```python
            stream = recommend_book("fantasy")
            stream.on_end(lambda s: print(s.end_state, s.output_tokens))
            for chunk, _ in stream:
                break  # prints "closed_early ..."
            ```
        """
        if self._state not in ("not_started", "running"):
            result = callback(self)
            if isinstance(result, Awaitable):
                self._pending_end = [*(self._pending_end or []), cast("Awaitable[object]", result)]
            return
        if self._end_callbacks is None:
            self._end_callbacks = []
        self._end_callbacks.append(cast("Callable[[Any], object]", callback))

    def _run_end_callbacks(self) -> None:
        callbacks, self._end_callbacks = self._end_callbacks or [], None
        for callback in callbacks:
            result = callback(self)
            if isinstance(result, Awaitable):
                self._pending_end = [*(self._pending_end or []), cast("Awaitable[object]", result)]

    async def _await_end_callbacks(self) -> None:
        pending, self._pending_end = self._pending_end or [], None
        for awaitable in pending:
            await awaitable

    def _ended_without_error(self) -> StreamEnd:
        return "finished" if self.finish_reasons else "eof_without_finish"

    _iter_decorator: Callable[[Callable[..., Any]], Callable[..., Any]] | None = None
    """Set by `middleware_factory`'s `custom_decorator`: wraps the iteration, as v1 did."""

    def __iter__(self) -> Iterator[tuple[_ChunkT, _ToolT | None]]:
        """Yield `(chunk, tool)` pairs; a tool is yielded once its call is complete."""
        decorate = self._iter_decorator
        if decorate is None:
            return self._pairs()
        return decorate(type(self)._pairs)(self)  # v1: `custom_decorator(fn)(__iter__)`

    def _pairs(self) -> Generator[tuple[_ChunkT, _ToolT | None], None, None]:
        self._begin(is_async=False)
        source: Any = self.stream
        state: StreamEnd = "closed_early"  # `break` and loop-body errors arrive as GeneratorExit
        try:
            for chunk, tool in source:
                self._update_properties(chunk)
                if tool is not None:
                    self._tools.append(tool)
                yield chunk, tool
            state = self._ended_without_error()
        except Exception as exc:
            self.error = exc
            self._on_error(exc)
            state = "error"
            raise
        finally:
            if not self._closed:
                self._closed = True
                _close_sync(source)
            if self._state == "running":  # close() inside the loop has already ended it
                self._end(state)

    def __aiter__(self) -> AsyncIterator[tuple[_ChunkT, _ToolT | None]]:
        """The async twin of `__iter__`.

        Leaving `async for` early ends the stream at once (`end_state`, `message_param`), as the
        sync loop does; the HTTP response is closed by a task right after (see `_AsyncPairs`).
        """
        decorate = self._iter_decorator
        if decorate is None:
            return _AsyncPairs(self)
        return decorate(_decorated_pairs)(self)

    # -- closing ----------------------------------------------------------------------------

    def close(self) -> None:
        """Release the HTTP response. Idempotent; safe before, during and after iteration.

        Example:
            ```python
            stream = recommend_book("fantasy")
            for chunk, _ in stream:
                if "dragon" in stream.content:
                    break
            stream.close()  # already closed by the break; calling it again is harmless
            ```
        """
        if self._closed:
            return
        self._closed = True
        _close_sync(self.stream)  # runs the source's `finally`, which closes the response
        self._end_on_close()

    def _end_on_close(self) -> None:
        if self._state == "not_started":  # closed before its first next(): no request was sent
            self.start_time = now_ms()
            self._end("closed_early")
        elif self._state == "running":
            self._end("closed_early")

    async def aclose(self) -> None:
        """Release the HTTP response of an async stream. Idempotent."""
        if not self._closed:
            self._closed = True
            await _close_async(self.stream)
            self._end_on_close()
        if self._pending_end is not None:  # e.g. left by `break`: its callbacks run now
            await self._await_end_callbacks()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


__all__ = ["BaseStream", "StreamEnd", "now_ms"]
