"""The body of a streaming response, read in whole socket reads instead of one HTTP chunk a time.

httpx hands a chunked body out one HTTP chunk per iteration, through five generator layers and
h11's event machine: about two thirds of a Groq stream's per-chunk cost. Groq sends one SSE
event per HTTP chunk and often has many buffered, so here, when the response comes from httpx's
own HTTP/1.1 transport, the body is read straight from the connection's socket (what httpcore
reads, 64 KB at most per read) and de-chunked in bulk: one read → the payload of every HTTP
chunk in it, joined, for one `SSEDecoder.decode`.

Invariants:
- A read returns what the socket has (it never waits to fill a block), so the first event is
  handed on as soon as its bytes arrive; when h11 already holds a large block with the headers,
  its first KB is handed on before the rest is de-chunked (time to first chunk).
- The takeover happens only at a chunk boundary before any body byte was consumed, with no
  content encoding, on httpcore's HTTP/1.1 connection; anything else (an older or newer httpx
  or httpcore whose internals differ, HTTP/2, a mock transport, gzip) uses `iter_bytes`.
- Framing is checked as h11 checks it: a bad chunk header or footer raises
  `httpx.RemoteProtocolError`, and so does a body that ends before the last chunk.
- After the last chunk, its bytes (size line and trailers) are handed back to h11, which then
  ends the response itself, so the connection returns to the pool as with `iter_bytes`; a body
  left unfinished leaves h11 mid-body and the connection is closed, never reused.
- Socket errors are raised as httpx's (`ReadTimeout`, `ReadError`), with the request attached.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx

_READ_BYTES = 64 * 1024  # httpcore's READ_NUM_BYTES
_FIRST_BYTES = 1024  # what is de-chunked before the first yield (a Groq first event: ~300 B)
_MAX_HEADER_LINE = 100 * 1024  # h11's max_incomplete_event_size
_HEX = b"0123456789abcdefABCDEF"
_CRLF = b"\r\n"
_CUT = "peer closed connection without sending complete message body (incomplete chunked read)"


class Dechunker:
    """HTTP/1.1 chunked framing → payload bytes, for bytes fed in any split. No I/O.

    `feed()` returns the payload bytes the data completed (joined); once the last chunk and its
    trailers are in, `done` is true and `terminator` holds their raw bytes plus anything after.
    Bad framing sets `failure` (a `ValueError`) and `feed()` still returns the payload before it,
    so nothing that arrived intact is lost.
    Cost is linear: payload is never buffered; only a cut size line or footer is kept.
    """

    __slots__ = ("_footer", "_left", "_pending", "done", "failure", "terminator")

    def __init__(self) -> None:
        self._left = 0  # payload bytes still due in the current chunk
        self._footer = False  # the CRLF after a chunk's payload is due
        self._pending = b""  # an incomplete size line / footer / last chunk
        self.done = False
        self.failure: ValueError | None = None
        self.terminator = b""

    def feed(self, data: bytes) -> bytes:
        """The payload in `data` (plus what was pending), up to any bad framing (`failure`)."""
        if self._pending:
            data = self._pending + data
            self._pending = b""
        out: list[bytes] = []
        try:
            self._feed(data, out)
        except ValueError as exc:
            self.failure = exc
        return b"".join(out) if len(out) != 1 else out[0]

    def _feed(self, data: bytes, out: list[bytes]) -> None:
        pos, size = 0, len(data)
        while pos < size:
            left = self._left
            if left:
                end = pos + left
                if end > size:
                    out.append(data[pos:] if pos else data)
                    self._left = end - size
                    break
                out.append(data[pos:end])
                pos, self._left, self._footer = end, 0, True
            if self._footer:
                if size - pos < 2:
                    if data[pos:] != _CRLF[: size - pos]:
                        raise ValueError(f"malformed chunk footer: {data[pos:]!r}")
                    self._pending = data[pos:]
                    break
                if data[pos : pos + 2] != _CRLF:
                    raise ValueError(f"malformed chunk footer: {data[pos : pos + 2]!r}")
                pos += 2
                self._footer = False
                if pos == size:
                    break
            line_end = data.find(_CRLF, pos)
            if line_end < 0:
                self._pending = data[pos:]
                if len(self._pending) > _MAX_HEADER_LINE:
                    raise ValueError("chunk header too long")
                break
            chunk_size = _chunk_size(data[pos:line_end])
            if chunk_size == 0:
                # The last chunk: its trailers end at the first empty line.
                stop = line_end if data.startswith(_CRLF, line_end + 2) else None
                if stop is None:
                    found = data.find(b"\r\n\r\n", line_end)
                    stop = found if found >= 0 else None
                if stop is None:
                    self._pending = data[pos:]
                    if len(self._pending) > _MAX_HEADER_LINE:
                        raise ValueError("chunk trailers too long")
                    break
                self.terminator = data[pos:]
                self.done = True
                break
            self._left = chunk_size
            pos = line_end + 2


def _chunk_size(line: bytes) -> int:
    """A chunk-size line's size (extensions ignored, as h11 does); `ValueError` if malformed."""
    if line and len(line) <= 20 and not line.strip(_HEX):
        return int(line, 16)
    from h11._readers import chunk_header_re  # extensions and whitespace: h11's own grammar

    match = chunk_header_re.fullmatch(line + _CRLF)
    if match is None:
        raise ValueError(f"illegal chunk header: {line!r}")
    return int(match["chunk_size"], 16)


# -- finding httpcore's connection behind an httpx response ---------------------------------


def _connection_of(response: httpx.Response, stream_types: tuple[type, ...]) -> Any:
    """httpcore's HTTP/1.1 connection serving `response`, if the body can be taken over."""
    if response.is_stream_consumed or response.is_closed:
        return None
    encoding = response.headers.get("content-encoding")
    if encoding is not None and encoding.lower() != "identity":
        return None
    layer: Any = response.stream
    for _ in range(8):  # httpx's bound stream → transport stream → pool stream → connection's
        if isinstance(layer, stream_types):
            return _ready(getattr(layer, "_connection", None))
        layer = getattr(layer, "_stream", None) or getattr(layer, "_httpcore_stream", None)
        if layer is None:
            return None
    return None


def _ready(connection: Any) -> Any:
    """`connection` if h11 sits at the start of a chunked body, else None."""
    from h11 import SEND_BODY
    from h11._readers import ChunkedReader

    h11_state: Any = getattr(connection, "_h11_state", None)
    if h11_state is None or getattr(connection, "_network_stream", None) is None:
        return None
    reader: Any = getattr(h11_state, "_reader", None)
    if type(reader) is not ChunkedReader or h11_state.their_state is not SEND_BODY:
        return None
    if reader._bytes_in_chunk or reader._bytes_to_discard or reader._reading_trailer:
        return None
    if h11_state.trailing_data[1]:  # h11 saw the end of the connection already
        return None
    return connection


def _take_buffered(connection: Any) -> bytes:
    """The body bytes h11 read along with the headers; its buffer is left empty."""
    from h11._receivebuffer import ReceiveBuffer

    h11_state: Any = connection._h11_state
    data: bytes = h11_state.trailing_data[0]
    h11_state._receive_buffer = ReceiveBuffer()
    return data


def _sync_types() -> tuple[type, ...]:
    try:
        from httpcore._sync.http11 import HTTP11ConnectionByteStream
    except ImportError:  # pragma: no cover - an httpcore without it: the generic path
        return ()
    return (HTTP11ConnectionByteStream,)


def _async_types() -> tuple[type, ...]:
    try:
        from httpcore._async.http11 import HTTP11ConnectionByteStream  # same name, async module
    except ImportError:  # pragma: no cover
        return ()
    return (HTTP11ConnectionByteStream,)


def _httpx_error(exc: Exception, request: httpx.Request) -> Exception:
    import httpcore

    if isinstance(exc, httpcore.TimeoutException):
        return httpx.ReadTimeout(str(exc), request=request)
    if isinstance(exc, httpcore.NetworkError):
        return httpx.ReadError(str(exc), request=request)
    return exc


def _protocol_error(message: str, request: httpx.Request) -> httpx.RemoteProtocolError:
    return httpx.RemoteProtocolError(message, request=request)


def _finish(connection: Any, terminator: bytes) -> None:
    """Give h11 the last chunk back, so that it ends the response (and frees the connection)."""
    connection._h11_state.receive_data(terminator)


# -- the readers -------------------------------------------------------------------------------


def body_reads(response: httpx.Response) -> Iterator[bytes]:
    """The body of an open sync response as payload blocks (see the module docstring)."""
    try:
        connection = _connection_of(response, _sync_types())
    except (ImportError, AttributeError, TypeError):
        connection = None
    if connection is None:
        return response.iter_bytes()
    return _socket_reads(response, connection)


def _socket_reads(response: httpx.Response, connection: Any) -> Iterator[bytes]:
    import httpcore

    request = response.request
    timeouts: Any = request.extensions.get("timeout", {})
    timeout: float | None = timeouts.get("read")
    read = connection._network_stream.read
    dechunker = Dechunker()
    data = _take_buffered(connection)
    rest = b""
    if len(data) > _FIRST_BYTES:  # the first event first: the rest of the block after it
        data, rest = data[:_FIRST_BYTES], data[_FIRST_BYTES:]
    while True:
        if data:
            payload = dechunker.feed(data)
            if payload:
                yield payload
            if dechunker.failure is not None:
                raise _protocol_error(str(dechunker.failure), request)
            if dechunker.done:
                break
        if rest:
            data, rest = rest, b""
            continue
        try:
            data = read(_READ_BYTES, timeout)
        except (httpcore.TimeoutException, httpcore.NetworkError) as exc:
            raise _httpx_error(exc, request) from exc
        if not data:
            raise _protocol_error(_CUT, request)
    _finish(connection, dechunker.terminator)
    for _ in response.iter_raw():  # h11 reads the end of the message: nothing more to yield
        pass


def abody_reads(response: httpx.Response) -> AsyncIterator[bytes]:
    """The async twin of `body_reads`."""
    try:
        connection = _connection_of(response, _async_types())
    except (ImportError, AttributeError, TypeError):
        connection = None
    if connection is None:
        return response.aiter_bytes()
    return _asocket_reads(response, connection)


async def _asocket_reads(response: httpx.Response, connection: Any) -> AsyncIterator[bytes]:
    import httpcore

    request = response.request
    timeouts: Any = request.extensions.get("timeout", {})
    timeout: float | None = timeouts.get("read")
    read = connection._network_stream.read
    dechunker = Dechunker()
    data = _take_buffered(connection)
    rest = b""
    if len(data) > _FIRST_BYTES:  # the first event first: the rest of the block after it
        data, rest = data[:_FIRST_BYTES], data[_FIRST_BYTES:]
    while True:
        if data:
            payload = dechunker.feed(data)
            if payload:
                yield payload
            if dechunker.failure is not None:
                raise _protocol_error(str(dechunker.failure), request)
            if dechunker.done:
                break
        if rest:
            data, rest = rest, b""
            continue
        try:
            data = await read(_READ_BYTES, timeout)
        except (httpcore.TimeoutException, httpcore.NetworkError) as exc:
            raise _httpx_error(exc, request) from exc
        if not data:
            raise _protocol_error(_CUT, request)
    _finish(connection, dechunker.terminator)
    async for _ in response.aiter_raw():
        pass
