"""The source of a `GroqStream`: request → SSE chunks → `(chunk, tool)` pairs.

The request is sent at the first `next()` (lazy, as in v1), through `_post.post_chat` (the SDK
client's `post()`, as `with_raw_response.create(..., stream=True)` minus its walk of the body):
the SDK still handles auth, retries and status errors before the first byte, and hands back the
open `httpx.Response`, which `_sse` decodes.
The response is closed in `finally`, so every way out of the generator releases the connection.
Everything that can fail after that is translated here, in one place, into `errors.py`'s types.

Invariants (API.md §4):
- Every chunk is yielded once. When one chunk completes several tools, the first tool is paired
  with that chunk and each further one with an empty chunk (same id and model, empty delta, no
  usage, no finish reason), so concatenated `chunk.content` equals `stream.content`.
- Tools come out in `index` order, each once; unknown tool names yield no tool and warn, but the
  raw call stays in the assembler (and so in `message_param`).
- A body that ends without a finish reason (or with `x_groq.error`) raises
  `GroqStreamError(kind="incomplete")` after yielding what arrived.
- A retry (opt-in) happens only while nothing has been yielded, so no text is ever duplicated.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import warnings
from collections.abc import AsyncGenerator, Generator, Sequence
from typing import Any, cast

import httpx
from groq import AsyncGroq, Groq
from groq.types.chat import ChatCompletionChunk, ChatCompletionMessageToolCall

from ..base.stream_config import StreamOptions
from ._post import apost_chat, post_chat
from ._sse import CutMidEvent, aiter_chunks, is_cut_done, iter_chunks, shutdown_socket
from ._tool_calls import PendingCall, ToolCallAssembler
from .call_response_chunk import GroqCallResponseChunk, first_choice
from .errors import (
    GroqStreamConnectionError,
    GroqStreamDecodeError,
    GroqStreamError,
    GroqStreamTimeoutError,
    GroqToolCallError,
    InvalidToolCall,
)
from .tool import GroqTool

Pair = tuple[GroqCallResponseChunk, GroqTool | None]


class ToolResolver:
    """Feeds tool-call deltas to the assembler and turns released calls into tool objects.

    With `partial_tools`, every delta that adds argument text first yields a partial tool (all
    fields optional, parsed from the arguments so far, `delta` = that fragment); the complete
    tool follows as usual, with `delta` None.

    A call whose arguments do not parse or validate yields no tool: it is recorded in `invalid`
    (and so `stream.invalid_tool_calls`), stays in the assembler (and `message_param`), and the
    stream raises `GroqToolCallError` once it has ended normally.
    """

    __slots__ = ("assembler", "by_name", "headers", "invalid", "partial_tools")

    def __init__(
        self, tool_types: Sequence[type[GroqTool]] | None, *, partial_tools: bool = False
    ) -> None:
        self.assembler = ToolCallAssembler()
        self.by_name = {t._name(): t for t in tool_types or ()}
        self.partial_tools = partial_tools
        self.invalid: list[InvalidToolCall] = []
        self.headers: httpx.Headers | None = None
        """The HTTP response headers, once they arrive (rate limits, request id; issue 10)."""

    def tools_of(self, chunk: ChatCompletionChunk) -> list[GroqTool]:
        """The tools this chunk yields (a finish reason releases every open call)."""
        choice = first_choice(chunk)
        if choice is None:
            return []
        tools: list[GroqTool] = []
        deltas = choice.delta.tool_calls
        if deltas:
            if self.partial_tools:
                for delta in deltas:  # one at a time, so each partial sees its own fragment
                    released = self.assembler.feed([delta])
                    if delta.function is not None and delta.function.arguments:
                        tools += self._partial(released)
                    tools += self._build(released)
            else:
                tools += self._build(self.assembler.feed(deltas))
        if choice.finish_reason:
            tools += self._build(self.assembler.flush())
        return tools

    def _partial(self, just_released: list[PendingCall]) -> list[GroqTool]:
        call = self.assembler.last
        fragment = call.last_fragment if call is not None else ""
        tool_type = self.by_name.get(call.name) if call is not None else None
        if call is None or tool_type is None or (call.released and call not in just_released):
            return []
        tool_call = ChatCompletionMessageToolCall.model_validate(call.as_param())
        try:
            tool = tool_type.from_tool_call(tool_call, allow_partial=True)
        except ValueError:  # includes ValidationError: e.g. a Literal cut mid-word
            return []
        tool.delta = fragment
        return [tool]

    def flush(self, *, finished: bool) -> list[GroqTool]:
        """End of stream: the tools still open (only complete ones if the body was cut short)."""
        return self._build(self.assembler.flush(complete_only=not finished))

    def _build(self, calls: list[PendingCall]) -> list[GroqTool]:
        tools: list[GroqTool] = []
        for call in calls:
            tool_type = self.by_name.get(call.name)
            if tool_type is None:
                warnings.warn(
                    f"The model called tool {call.name!r}, which is not among this call's tools "
                    f"({', '.join(self.by_name) or 'none'}); no tool object is yielded for it, "
                    "but the call is kept in message_param['tool_calls'].",
                    UserWarning,
                    stacklevel=2,
                )
                continue
            tool_call = ChatCompletionMessageToolCall.model_validate(call.as_param())
            try:
                tools.append(tool_type.from_tool_call(tool_call))
            except ValueError as exc:  # bad JSON or pydantic.ValidationError
                self.invalid.append(
                    InvalidToolCall(call.id, call.name, call.arguments, str(exc), exception=exc)
                )
        return tools


def _empty_chunk(like: ChatCompletionChunk) -> GroqCallResponseChunk:
    chunk = ChatCompletionChunk.model_validate(
        {
            "id": like.id,
            "object": "chat.completion.chunk",
            "created": like.created,
            "model": like.model,
            "choices": [{"index": 0, "delta": {}, "finish_reason": None}],
            "x_groq": None,  # groq 0.30-0.34 declare it required (Optional, no default)
        }
    )
    return GroqCallResponseChunk(chunk=chunk)


def _is_substantive(chunk: ChatCompletionChunk) -> bool:
    """Whether a chunk carries anything for the user (a leading role-only chunk does not)."""
    if chunk.usage is not None or (chunk.x_groq is not None and chunk.x_groq.usage is not None):
        return True
    for choice in chunk.choices:
        delta = choice.delta
        if choice.finish_reason or delta.content or delta.tool_calls:
            return True
        if getattr(delta, "reasoning", None):
            return True
    return False


class _Pairing:
    """One attempt's chunk → pairs logic, shared by the sync and the async loop.

    It holds back leading chunks that carry nothing while a retry is still possible, tracks the
    finish reason, and turns the end of the body into the final tools or an `incomplete` error.
    """

    __slots__ = (
        "deferred",
        "finished",
        "held",
        "last",
        "may_retry",
        "resolver",
        "response",
        "x_groq_error",
    )

    def __init__(self, resolver: ToolResolver, response: httpx.Response, may_retry: bool) -> None:
        self.resolver = resolver
        self.response = response
        self.may_retry = may_retry
        self.held: list[ChatCompletionChunk] = []
        self.last: ChatCompletionChunk | None = None
        self.finished = False
        self.x_groq_error: str | None = None
        self.deferred: GroqStreamError | None = None
        """The `incomplete` error, raised once the pairs of the end have been yielded."""

    def pairs(self, sdk_chunk: ChatCompletionChunk) -> list[Pair]:
        self.last = sdk_chunk
        if self.may_retry and not _is_substantive(sdk_chunk):
            self.held.append(sdk_chunk)
            return []
        pairs: list[Pair] = []
        if self.held:
            pairs += [(GroqCallResponseChunk(chunk=c), None) for c in self.held]
            self.held = []
        choice = first_choice(sdk_chunk)
        if choice is not None and choice.finish_reason:
            self.finished = True
        if sdk_chunk.x_groq is not None and sdk_chunk.x_groq.error:
            self.x_groq_error = sdk_chunk.x_groq.error
        chunk = GroqCallResponseChunk(chunk=sdk_chunk)
        tools = self.resolver.tools_of(sdk_chunk)
        if not tools:
            pairs.append((chunk, None))
            return pairs
        pairs.append((chunk, tools[0]))
        pairs += [(_empty_chunk(sdk_chunk), tool) for tool in tools[1:]]
        return pairs

    def end(self) -> list[Pair]:
        """The body ended: flush what is left; raise if it ended without finishing."""
        pairs: list[Pair] = [(GroqCallResponseChunk(chunk=c), None) for c in self.held]
        self.held = []
        finished = self.finished and self.x_groq_error is None
        if self.last is not None:
            pairs += [(_empty_chunk(self.last), t) for t in self.resolver.flush(finished=finished)]
        if not finished:
            reason = (
                f"Groq stopped the stream early: {self.x_groq_error}"
                if self.x_groq_error
                else "The stream ended without a finish reason: the answer may be cut short."
            )
            self.deferred = GroqStreamError(
                reason, kind="incomplete", request=self.response.request
            )
        elif self.resolver.invalid:
            self.deferred = GroqToolCallError.of(self.resolver.invalid, self.response.request)
        return pairs


def translate(exc: Exception, response: httpx.Response, watchdog: _Watchdog | None) -> Exception:
    """An httpx failure mid-stream → the matching `GroqStreamError` (others unchanged)."""
    if watchdog is not None and watchdog.fired:
        return GroqStreamTimeoutError(
            f"No chunk arrived within {watchdog.fired_after:g}s; the stream was closed.",
            request=response.request,
        )
    if isinstance(exc, httpx.DecodingError):
        return GroqStreamDecodeError(
            f"The stream body could not be decoded "
            f"(content-encoding {response.headers.get('content-encoding')!r}): {exc}",
            request=response.request,
        )
    if isinstance(exc, httpx.TimeoutException):
        return GroqStreamTimeoutError(
            f"Reading the stream timed out ({type(exc).__name__}).", request=response.request
        )
    if isinstance(exc, (httpx.TransportError, httpx.StreamError)):
        return GroqStreamConnectionError(
            f"The connection to Groq dropped mid-stream: {exc}", request=response.request
        )
    return exc


def cut_error(cut: CutMidEvent, response: httpx.Response) -> GroqStreamConnectionError:
    """A body that ended inside an event: the rest of it was lost, as in a dropped connection."""
    return GroqStreamConnectionError(
        f"The connection to Groq ended in the middle of an event ({len(cut.tail)} bytes of it "
        "arrived); the rest of the answer was lost.",
        request=response.request,
    )


def end_of_cut(
    cut: CutMidEvent, pairing: _Pairing, response: httpx.Response, watchdog: _Watchdog | None
) -> None:
    """Accept a cut inside `data: [DONE]` after the finish chunk (nothing lost); raise otherwise."""
    if pairing.finished and is_cut_done(cut.tail):
        return
    cause = cut.__cause__
    if isinstance(cause, (httpx.HTTPError, httpx.StreamError)):
        raise translate(cause, response, watchdog) from cause
    raise cut_error(cut, response) from cut


_ERROR_BODY_LIMIT = 65536


def not_event_stream(response: httpx.Response, body: bytes) -> GroqStreamError:
    """A 200 whose content type is not `text/event-stream` (a proxy page, a JSON error, ...)."""
    content_type = response.headers.get("content-type")
    message: str | None = None
    error: object = None
    with contextlib.suppress(ValueError):
        obj: object = json.loads(body)
        error = cast("dict[str, object]", obj).get("error") if isinstance(obj, dict) else None
        inner: object = (
            cast("dict[str, object]", error).get("message") if isinstance(error, dict) else error
        )
        message = inner if isinstance(inner, str) and inner else None
    text = (
        f"The server answered the stream request with content type {content_type!r}, "
        "not 'text/event-stream'"
    )
    text += f": {message}" if message else f"; body starts {body[:200]!r}"
    return GroqStreamError(
        text, kind="malformed", request=response.request, body=cast(object, error)
    )


def is_event_stream(response: httpx.Response) -> bool:
    """Whether the response is SSE (a missing content type is given the benefit of the doubt)."""
    content_type = response.headers.get("content-type")
    return content_type is None or content_type.lower().startswith("text/event-stream")


class _Watchdog:
    """Closes the connection when the server sends no chunk in time (opt-in stall timeouts).

    Only time spent waiting on the socket counts: the clock stops when a chunk arrives
    (`pause`) and restarts when the consumer asks for the next one (`resume`), so a slow loop
    body never trips it. Firing shuts the socket down, which wakes the blocked read;
    `translate` then reports a timeout.
    """

    def __init__(self, response: httpx.Response, options: StreamOptions) -> None:
        self.response = response
        self.gap = options.chunk_timeout
        first = options.first_chunk_timeout if options.first_chunk_timeout is not None else self.gap
        self.fired_after: float = first if first is not None else 0.0
        self.deadline = time.monotonic() + (first if first is not None else float("inf"))
        self.fired = False

    def pause(self) -> None:
        """A chunk arrived: the consumer's time is not the server's, so stop the clock."""
        if self.gap is not None:
            self.fired_after = self.gap
        self.deadline = float("inf")

    def resume(self) -> None:
        """The consumer asked for the next chunk: the wait on the socket starts now."""
        if self.gap is not None:
            self.deadline = time.monotonic() + self.gap
            self._wake()

    def _wake(self) -> None:
        """The deadline moved: make the timer look at it."""

    def fire(self) -> None:
        self.fired = True
        shutdown_socket(self.response)


class _ThreadWatchdog(_Watchdog):
    """The sync watchdog: a daemon thread that sleeps until the deadline."""

    def __init__(self, response: httpx.Response, options: StreamOptions) -> None:
        super().__init__(response, options)
        self._done = False
        self._event = threading.Event()
        threading.Thread(target=self._run, name="groq-stream-watchdog", daemon=True).start()

    def _run(self) -> None:
        while not self._done:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                self.fire()
                return
            self._event.wait(min(remaining, 3600.0))
            self._event.clear()  # a wake lost here is harmless: the deadline is re-read first

    def _wake(self) -> None:
        self._event.set()

    def stop(self) -> None:
        self._done = True
        self._event.set()


class _LoopWatchdog(_Watchdog):
    """The async watchdog: an event-loop timer, re-armed lazily when it wakes early."""

    def __init__(self, response: httpx.Response, options: StreamOptions) -> None:
        super().__init__(response, options)
        self._loop = asyncio.get_running_loop()
        self._handle: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._handle = None
        if self.deadline != float("inf"):
            self._handle = self._loop.call_at(self.deadline, self._check)

    def _check(self) -> None:
        self._handle = None
        if time.monotonic() >= self.deadline:
            self.fire()
        else:
            self._arm()

    def _wake(self) -> None:
        # A later deadline is picked up when the armed timer goes off; only an earlier one
        # (first-chunk limit → a shorter gap limit) needs a new timer.
        if self._handle is None or self.deadline < self._handle.when():
            self._arm()

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None


def stream_request(
    client: object, kwargs: dict[str, Any], options: StreamOptions | None = None
) -> dict[str, Any]:
    """The `create()` kwargs of a stream.

    Groq reports stream usage unasked; OpenAI-style servers (llama.cpp, the local backend) only
    with `stream_options.include_usage`. Clients opt in with a truthy `request_stream_usage`
    attribute, so nothing changes for requests to Groq. A first-chunk timeout also bounds the
    wait for the response headers (a stall there is a pre-stream timeout the SDK retries).
    """
    request = kwargs
    if getattr(client, "request_stream_usage", False):
        extra_body = dict(kwargs.get("extra_body") or {})
        extra_body.setdefault("stream_options", {"include_usage": True})
        request = {**request, "extra_body": extra_body}
    if options is not None and options.first_chunk_timeout is not None and "timeout" not in request:
        base: Any = getattr(client, "timeout", None)
        timeout = base if isinstance(base, httpx.Timeout) else httpx.Timeout(base)
        request = {
            **request,
            "timeout": httpx.Timeout(
                connect=timeout.connect,
                read=options.first_chunk_timeout,
                write=timeout.write,
                pool=timeout.pool,
            ),
        }
    return request


def _restore_read_timeout(response: httpx.Response, client: object) -> None:
    # The header wait used the first-chunk limit; body reads go back to the client's own.
    timeouts: Any = response.request.extensions.get("timeout")
    base: Any = getattr(client, "timeout", None)
    if isinstance(timeouts, dict):
        timeouts["read"] = base.read if isinstance(base, httpx.Timeout) else base


def iter_pairs(
    client: Groq,
    kwargs: dict[str, Any],
    resolver: ToolResolver,
    options: StreamOptions | None = None,
) -> Generator[Pair, None, None]:
    """Send the request at the first `next()`, then yield `(chunk, tool)` pairs."""
    options = options or StreamOptions()
    request = stream_request(client, kwargs, options)
    retries = options.max_retries_before_first_chunk
    yielded = False
    while True:
        raw = post_chat(client, request, stream=True)
        response = raw.http_response
        resolver.headers = response.headers
        watchdog: _ThreadWatchdog | None = None
        pairing = _Pairing(resolver, response, may_retry=retries > 0)
        try:
            if request.get("timeout") is not kwargs.get("timeout"):  # we set the header wait
                _restore_read_timeout(response, client)
            if not is_event_stream(response):
                body = b""
                with contextlib.suppress(httpx.HTTPError, httpx.StreamError):
                    for data in response.iter_bytes():
                        body += data
                        if len(body) >= _ERROR_BODY_LIMIT:
                            break
                raise not_event_stream(response, body)
            if options.has_timeouts:
                watchdog = _ThreadWatchdog(response, options)
            try:
                for sdk_chunk in iter_chunks(response):
                    if watchdog is not None:
                        watchdog.pause()
                    for pair in pairing.pairs(sdk_chunk):
                        yielded = True
                        yield pair
                    if watchdog is not None:
                        watchdog.resume()
            except CutMidEvent as cut:
                end_of_cut(cut, pairing, response, watchdog)
            except (httpx.HTTPError, httpx.StreamError) as exc:
                raise translate(exc, response, watchdog) from exc
            for pair in pairing.end():
                yielded = True
                yield pair
            if pairing.deferred is not None:
                raise pairing.deferred
            return
        except GroqStreamError:
            if yielded or retries <= 0:
                raise
            retries -= 1
        finally:
            if watchdog is not None:
                watchdog.stop()
            response.close()


async def aiter_pairs(
    client: AsyncGroq,
    kwargs: dict[str, Any],
    resolver: ToolResolver,
    options: StreamOptions | None = None,
) -> AsyncGenerator[Pair, None]:
    """The async twin of `iter_pairs`."""
    options = options or StreamOptions()
    request = stream_request(client, kwargs, options)
    retries = options.max_retries_before_first_chunk
    yielded = False
    while True:
        raw = await apost_chat(client, request, stream=True)
        response = raw.http_response
        resolver.headers = response.headers
        watchdog: _LoopWatchdog | None = None
        pairing = _Pairing(resolver, response, may_retry=retries > 0)
        try:
            if request.get("timeout") is not kwargs.get("timeout"):  # we set the header wait
                _restore_read_timeout(response, client)
            if not is_event_stream(response):
                body = b""
                with contextlib.suppress(httpx.HTTPError, httpx.StreamError):
                    async for data in response.aiter_bytes():
                        body += data
                        if len(body) >= _ERROR_BODY_LIMIT:
                            break
                raise not_event_stream(response, body)
            if options.has_timeouts:
                watchdog = _LoopWatchdog(response, options)
            try:
                async for sdk_chunk in aiter_chunks(response):
                    if watchdog is not None:
                        watchdog.pause()
                    for pair in pairing.pairs(sdk_chunk):
                        yielded = True
                        yield pair
                    if watchdog is not None:
                        watchdog.resume()
            except CutMidEvent as cut:
                end_of_cut(cut, pairing, response, watchdog)
            except (httpx.HTTPError, httpx.StreamError) as exc:
                raise translate(exc, response, watchdog) from exc
            for pair in pairing.end():
                yielded = True
                yield pair
            if pairing.deferred is not None:
                raise pairing.deferred
            return
        except GroqStreamError:
            if yielded or retries <= 0:
                raise
            retries -= 1
        finally:
            if watchdog is not None:
                watchdog.stop()
            await response.aclose()
