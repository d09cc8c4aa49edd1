"""A small HTTP/1.1 connection on asyncio: parse requests, write responses, notice the client leave.

One `Connection` per TCP connection. It serves requests one after another (keep-alive) and hands
each to the application's `handle` coroutine. It knows the moment the peer goes away
(`connection_lost`), so interruptible sleeps and "client closed early" need no polling.
"""

from __future__ import annotations

import asyncio
import http
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from ._records import ConnectionRecord

__all__ = ["Connection", "Request", "response_head"]

_MAX_HEAD = 64 * 1024


@dataclass
class Request:
    """One parsed HTTP request."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    keep_alive: bool
    too_large: bool = False


def response_head(status: int, headers: list[tuple[str, str]]) -> bytes:
    """Status line plus headers plus the blank line."""
    try:
        reason = http.HTTPStatus(status).phrase
    except ValueError:
        reason = {498: "Flex Tier Capacity Exceeded", 499: "Client Closed Request"}.get(status, "")
    lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class _BadRequest(Exception):
    pass


Handler = Callable[["Connection", Request], Awaitable[bool]]


class Connection(asyncio.Protocol):
    """Serves one TCP connection; `handle(conn, request)` returns whether to keep it open."""

    def __init__(
        self,
        handle: Handler,
        on_open: Callable[[Connection], ConnectionRecord],
        on_close: Callable[[Connection], None],
        max_body: int,
    ) -> None:
        self._handle = handle
        self._on_open = on_open
        self._on_close = on_close
        self._max_body = max_body
        self._buf = bytearray()
        self._readable = asyncio.Event()
        self._writable = asyncio.Event()
        self._writable.set()
        self._lost_fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None
        self.record = ConnectionRecord(id=0)
        self.task: asyncio.Task[None] | None = None

    # -- asyncio.Protocol ------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.record = self._on_open(self)
        self.task = asyncio.get_running_loop().create_task(self._serve())

    def data_received(self, data: bytes) -> None:
        self._buf += data
        self._readable.set()

    def eof_received(self) -> bool:
        # SDK clients never half-close, so EOF means the client is gone: close our side too.
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._lost_fut.done():
            self._lost_fut.set_result(None)
        self._readable.set()
        self._writable.set()
        self._on_close(self)

    def pause_writing(self) -> None:
        self._writable.clear()

    def resume_writing(self) -> None:
        self._writable.set()

    # -- used by the application -----------------------------------------------------------------

    @property
    def lost(self) -> bool:
        """Whether the peer has gone (or we closed)."""
        return self._lost_fut.done()

    def write(self, data: bytes) -> None:
        """Queue bytes unless the connection is gone."""
        if self.transport is not None and not self.lost:
            self.transport.write(data)

    async def drain(self) -> None:
        """Wait while the transport's write buffer is above its high-water mark."""
        if not self._writable.is_set():
            await self._writable.wait()

    async def sleep(self, seconds: float) -> bool:
        """Sleep, waking early if the peer leaves; return whether it is still connected."""
        if seconds > 0 and not self.lost:
            await asyncio.wait([self._lost_fut], timeout=seconds)
        return not self.lost

    def close(self) -> None:
        """Flush what is buffered, then send FIN (no chunked terminator is added)."""
        if self.transport is not None:
            self.transport.close()

    def abort(self) -> None:
        """Drop the connection now, discarding buffered output."""
        if self.transport is not None:
            self.transport.abort()

    # -- request loop ----------------------------------------------------------------------------

    async def _serve(self) -> None:
        try:
            while not self.lost:
                request = await self._read_request()
                if request is None:
                    break
                self.record.requests += 1
                if not await self._handle(self, request):
                    break
        except _BadRequest:
            self.write(response_head(400, [("content-length", "0"), ("connection", "close")]))
        except asyncio.CancelledError:
            pass
        finally:
            self.close()

    async def _fill(self) -> bool:
        """Wait for more bytes; False when the peer is gone."""
        if self.lost:
            return False
        self._readable.clear()
        await self._readable.wait()
        return not self.lost or bool(self._buf)

    async def _read_until(self, sep: bytes) -> bytes | None:
        while (end := self._buf.find(sep)) < 0:
            if len(self._buf) > _MAX_HEAD:
                raise _BadRequest
            if not await self._fill():
                return None
        data = bytes(self._buf[:end])
        del self._buf[: end + len(sep)]
        return data

    async def _read_exact(self, n: int) -> bytes | None:
        while len(self._buf) < n:
            if not await self._fill():
                return None
        data = bytes(self._buf[:n])
        del self._buf[:n]
        return data

    async def _read_chunked(self) -> bytes | None:
        body = bytearray()
        while True:
            size_line = await self._read_until(b"\r\n")
            if size_line is None:
                return None
            try:
                size = int(size_line.split(b";")[0].strip(), 16)
            except ValueError:
                raise _BadRequest from None
            if size == 0:
                await self._read_until(b"\r\n")  # trailers are not supported: expect none
                return bytes(body)
            chunk = await self._read_exact(size + 2)
            if chunk is None:
                return None
            body += chunk[:-2]

    async def _read_request(self) -> Request | None:
        head = await self._read_until(b"\r\n\r\n")
        while head == b"":  # tolerate stray CRLFs between requests
            head = await self._read_until(b"\r\n\r\n")
        if head is None:
            return None
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split()
        if len(parts) != 3:
            raise _BadRequest
        method, target, version = parts
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                raise _BadRequest
            key = name.strip().lower()
            headers[key] = f"{headers[key]}, {value.strip()}" if key in headers else value.strip()
        conn_hdr = headers.get("connection", "").lower()
        keep = "close" not in conn_hdr if version == "HTTP/1.1" else "keep-alive" in conn_hdr
        path, _, query = target.partition("?")
        request = Request(method.upper(), path, query, headers, b"", keep)
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body = await self._read_chunked()
        else:
            try:
                length = int(headers.get("content-length", "0"))
            except ValueError:
                raise _BadRequest from None
            if length > self._max_body:
                request.too_large = True
                request.keep_alive = False
                return request
            body = await self._read_exact(length)
        if body is None:
            return None
        request.body = body
        return request
