"""The fast chunk decoder: an open Groq SSE response → SDK `ChatCompletionChunk` objects.

The groq SDK spends about three quarters of its per-chunk time building each chunk with its
pure-Python `construct()`. Here the raw body of the SDK's own HTTP response is split into SSE
events and each event is validated once by pydantic-core (`model_validate_json`), which builds the
very same `ChatCompletionChunk` type. The SDK still does everything before the first byte: auth,
`base_url`, retries and status errors.

Invariants:
- Events are split exactly as the WHATWG SSE algorithm does (CR, LF, CRLF; one leading BOM;
  `event: message` is the default type), in time linear in the bytes received.
- Events are yielded in order, exactly once; `data: [DONE]` ends the stream, and the rest of the
  body is read for at most `DRAIN_SECONDS` (then its socket is shut), never waited for.
- An event the body ends inside is never dispatched: `CutMidEvent` reports it.
- An event whose JSON has a truthy top-level `"error"` raises a `GroqStreamError` (a
  `groq.APIError`, as the SDK raises) with the SDK's message and `body` = the inner error object.
- An event that is not JSON, or not a chunk at all, raises `GroqStreamError(kind="malformed")`.
- A chunk that does not match the installed SDK's types (an unknown `finish_reason`, an old SDK
  whose `x_groq` is required) falls back to the SDK's lenient `construct()`, so nothing the SDK
  would accept is rejected here.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import json
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any, cast

import httpx
from groq.types.chat import ChatCompletionChunk
from pydantic import ValidationError

from ._body import abody_reads, body_reads
from .errors import GroqStreamError

_validate_json = ChatCompletionChunk.model_validate_json
_STREAM_ERROR = "An error occurred during streaming"


_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(rb"\r\n|\r|\n")
_DONE_EVENT = b"data: [DONE]"


class SSEDecoder:
    """Splits a byte stream into SSE events as the WHATWG algorithm does. No I/O.

    `decode()` per network read returns the `(data, event_name)` of every event it completed;
    `event_name` is None for the default type (no `event:` line, `event: message`, or an empty
    `event:`). Lines end at CRLF, LF or a lone CR (a CR is acted on at once; an LF right after
    it, maybe in the next read, is skipped). One leading UTF-8 BOM is ignored. Comments, `id:`,
    `retry:` and unknown fields are ignored. An event is dispatched only at its blank line, so
    at the end of the body `tail` holds the unterminated rest (empty when the body ended between
    events): the caller decides whether a cut there lost anything.

    Cost is linear in the bytes fed: a line split over many reads is kept as a list of pieces
    and joined once, when it ends.
    """

    __slots__ = ("_data", "_event", "_pieces", "_skip_lf", "_started")

    def __init__(self) -> None:
        self._pieces: list[bytes] = []  # the current, unterminated line
        self._data: list[bytes] = []  # `data:` values of the event being built
        self._event: bytes | None = None  # its `event:` name (None = "message")
        self._skip_lf = False  # the last read ended in CR: an LF first in the next is its pair
        self._started = False  # the BOM check is done

    def decode(self, data: bytes) -> list[tuple[bytes, bytes | None]]:
        """Feed one network read; return the `(data, event_name)` of every event it completed."""
        if not self._started:
            data = self._strip_bom(data)
        if self._skip_lf and data:
            self._skip_lf = False
            if data[:1] == b"\n":
                data = data[1:]
        if not data:
            return []
        events: list[tuple[bytes, bytes | None]] = []
        if b"\r" in data:
            lines = _LINE_END.split(data)
            self._skip_lf = data[-1:] == b"\r"
        elif self._pieces or self._data or self._event is not None:
            lines = data.split(b"\n")
        else:
            # The common case (LF framing, between events): split into blocks; a block of one
            # `data: ` line is an event, anything else goes through the line machine.
            blocks = data.split(b"\n\n")
            tail = blocks.pop()
            for block in blocks:
                if block.startswith(b"data: ") and b"\n" not in block:
                    events.append((block[6:], None))
                else:
                    self._lines(block.split(b"\n"), events)
                    self._dispatch(events)
            if tail:
                lines = tail.split(b"\n")
                last = lines.pop()
                self._lines(lines, events)
                if last:
                    self._pieces.append(last)
            return events
        if len(lines) == 1:
            self._pieces.append(data)  # no line ended in this read
            return events
        last = lines.pop()
        if self._pieces:
            self._pieces.append(lines[0])
            lines[0] = b"".join(self._pieces)
        self._pieces = [last] if last else []
        self._lines(lines, events)
        return events

    def _strip_bom(self, data: bytes) -> bytes:
        head = b"".join(self._pieces) + data if self._pieces else data
        if len(head) < len(_BOM) and _BOM.startswith(head):
            self._pieces = [head] if head else []  # maybe a BOM cut across reads
            return b""
        self._pieces = []
        self._started = True
        return head[len(_BOM) :] if head.startswith(_BOM) else head

    def _lines(self, lines: list[bytes], events: list[tuple[bytes, bytes | None]]) -> None:
        for line in lines:
            if not line:
                self._dispatch(events)
            elif line[0] == 0x3A:  # ":" comment
                continue
            else:
                name, colon, value = line.partition(b":")
                if colon and value[:1] == b" ":
                    value = value[1:]
                if name == b"data":
                    self._data.append(value)
                elif name == b"event":
                    self._event = value or None

    def _dispatch(self, events: list[tuple[bytes, bytes | None]]) -> None:
        if self._data:
            event = self._event
            events.append((b"\n".join(self._data), None if event == b"message" else event))
            self._data = []
        self._event = None

    @property
    def tail(self) -> bytes:
        """The bytes of the unterminated event, as received up to now (b"" between events)."""
        lines = [b"data: " + d for d in self._data]
        if self._event is not None:
            lines.insert(0, b"event: " + self._event)
        if self._pieces:
            lines.append(b"".join(self._pieces))
        return b"\n".join(lines)

    def flush(self) -> list[tuple[bytes, bytes | None]]:
        """End of body: an unterminated last event is not dispatched (WHATWG); see `tail`."""
        return []


def is_cut_done(tail: bytes) -> bool:
    """Whether an unterminated rest is a piece of `data: [DONE]`, which carries nothing."""
    rest = tail.rstrip(b"\r\n")
    return bool(rest) and (_DONE_EVENT.startswith(rest) or rest == _DONE_EVENT)


def _stream_error(payload: bytes, response: httpx.Response) -> GroqStreamError | None:
    """The SDK's in-stream error check, run only when the payload can contain an error key."""
    try:
        obj = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(obj, dict):
        return None
    error: Any = cast("dict[str, Any]", obj).get("error")
    if not error:
        return None
    message: Any = cast("dict[str, Any]", error).get("message") if isinstance(error, dict) else None
    if not message or not isinstance(message, str):
        message = _STREAM_ERROR
    return GroqStreamError(
        message, kind="error_event", request=response.request, body=cast(object, error)
    )


def _malformed(payload: bytes, response: httpx.Response) -> GroqStreamError:
    excerpt = payload[:200].decode("utf-8", "replace")
    return GroqStreamError(
        f"Groq sent a stream event that is not a chat completion chunk: {excerpt!r}",
        kind="malformed",
        request=response.request,
    )


def _looks_like_chunk(obj: object) -> bool:
    """The shape the rest of the pipeline relies on; the lenient path only forgives the rest."""
    if not isinstance(obj, dict):
        return False
    choices: object = cast("dict[str, Any]", obj).get("choices")
    if not isinstance(choices, list):
        return False
    for choice in cast("list[object]", choices):
        if not isinstance(choice, dict):
            return False
        if not isinstance(cast("dict[str, Any]", choice).get("delta"), dict):
            return False
    return True


def parse_chunk(payload: bytes, response: httpx.Response) -> ChatCompletionChunk:
    """One SSE data payload → a `ChatCompletionChunk`.

    Raises `GroqStreamError` for an in-stream error event (`kind="error_event"`) and for a
    payload that is not a JSON object (`kind="malformed"`).
    """
    if b'"error"' in payload and (error := _stream_error(payload, response)) is not None:
        raise error
    try:
        return _validate_json(payload)
    except ValidationError as invalid:
        try:
            obj = json.loads(payload)
        except ValueError:
            raise _malformed(payload, response) from invalid
        if not _looks_like_chunk(obj):
            raise _malformed(payload, response) from invalid
        return ChatCompletionChunk.construct(**cast("dict[str, Any]", obj))  # SDK's lenient path


class CutMidEvent(Exception):
    """The body ended, or the connection dropped, inside an event; `tail` is what arrived of it.

    Raised by `iter_chunks` / `aiter_chunks` (with the httpx error as `__cause__` after a drop);
    the stream source decides: a cut `data: [DONE]` after the finish chunk lost nothing, any
    other cut is a dropped connection.
    """

    def __init__(self, tail: bytes) -> None:
        super().__init__(f"The body ended inside an event ({len(tail)} bytes received of it).")
        self.tail = tail


def iter_chunks(response: httpx.Response) -> Iterator[ChatCompletionChunk]:
    """Yield the chunks of an open streaming response; stop at `data: [DONE]`.

    After `[DONE]` the rest of the body (normally just the chunked terminator) is read only for
    `DRAIN_SECONDS`, so the connection can go back to the pool; a proxy that holds the response
    open, or keeps sending comments, gets its socket shut instead. The caller owns closing the
    response (on every exit path).
    """
    decoder = SSEDecoder()
    reads = body_reads(response)
    try:
        for data in reads:
            for payload, event in decoder.decode(data):
                if payload.startswith(b"[DONE]"):
                    _drain(reads, response)
                    return
                if event is None or event == b"error":
                    yield parse_chunk(payload, response)
    except (httpx.HTTPError, httpx.StreamError) as exc:
        if is_cut_done(tail := decoder.tail):
            raise CutMidEvent(tail) from exc
        raise
    if tail := decoder.tail:
        raise CutMidEvent(tail)


async def aiter_chunks(response: httpx.Response) -> AsyncIterator[ChatCompletionChunk]:
    """The async twin of `iter_chunks`."""
    decoder = SSEDecoder()
    reads = abody_reads(response)
    try:
        async for data in reads:
            for payload, event in decoder.decode(data):
                if payload.startswith(b"[DONE]"):
                    await _adrain(reads, response)
                    return
                if event is None or event == b"error":
                    yield parse_chunk(payload, response)
    except (httpx.HTTPError, httpx.StreamError) as exc:
        if is_cut_done(tail := decoder.tail):
            raise CutMidEvent(tail) from exc
        raise
    if tail := decoder.tail:
        raise CutMidEvent(tail)


# -- the bounded drain after [DONE] --------------------------------------------------------

DRAIN_SECONDS = 0.25
"""How long the rest of a body may take after `[DONE]` before its socket is shut."""


def shutdown_socket(response: httpx.Response) -> None:
    """Shut the response's socket down, waking a blocked read (the pool then drops it)."""
    network_stream: Any = response.extensions.get("network_stream")
    # A socket.socket (sync) or asyncio's TransportSocket (async): both can shut down.
    sock: Any = network_stream.get_extra_info("socket") if network_stream else None
    shutdown = getattr(sock, "shutdown", None)
    if shutdown is not None:
        with contextlib.suppress(OSError):  # already closed by the other side
            shutdown(socket.SHUT_RDWR)


class _Reaper:
    """One daemon thread that shuts the sockets whose sync drain overran `DRAIN_SECONDS`.

    Arming is a heap push under a lock (no thread per stream); disarming and firing take the
    same lock, so a socket is never shut after its drain was disarmed.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, list[httpx.Response | None]]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def arm(self, response: httpx.Response) -> list[httpx.Response | None]:
        entry: list[httpx.Response | None] = [response]
        with self._cond:
            deadline = time.monotonic() + DRAIN_SECONDS
            heapq.heappush(self._heap, (deadline, next(self._order), entry))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="groq-sse-drain", daemon=True
                )
                self._thread.start()
            elif len(self._heap) == 1:
                self._cond.notify()
        return entry

    def disarm(self, entry: list[httpx.Response | None]) -> None:
        with self._cond:
            entry[0] = None

    def _run(self) -> None:
        with self._cond:
            while True:
                heap = self._heap
                while heap and heap[0][2][0] is None:
                    heapq.heappop(heap)
                if not heap:
                    self._cond.wait()
                    continue
                remaining = heap[0][0] - time.monotonic()
                if remaining > 0:
                    self._cond.wait(remaining)
                    continue
                entry = heapq.heappop(heap)[2]
                response, entry[0] = entry[0], None
                if response is not None:
                    shutdown_socket(response)


_reaper = _Reaper()


def _drain(reads: Iterator[bytes], response: httpx.Response) -> None:
    entry = _reaper.arm(response)
    try:
        with contextlib.suppress(httpx.HTTPError, httpx.StreamError):  # loses nothing now
            for _ in reads:
                pass
    finally:
        _reaper.disarm(entry)


async def _adrain(reads: AsyncIterator[bytes], response: httpx.Response) -> None:
    handle = asyncio.get_running_loop().call_later(DRAIN_SECONDS, shutdown_socket, response)
    try:
        with contextlib.suppress(httpx.HTTPError, httpx.StreamError):
            async for _ in reads:
                pass
    finally:
        handle.cancel()
