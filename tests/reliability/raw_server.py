"""A raw-socket HTTP/1.1 server on 127.0.0.1 for the tests that need exact bytes and timing.

The emulator writes well-formed responses; these tests need what it cannot do: hold a response
open after `[DONE]`, wait for the client between two bytes, send a lone CR and stop. Each
accepted request is handed to `handler(conn, server)`, which writes whatever it likes with the
helpers below. One thread per connection; every wait is bounded; `close()` ends them all.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

Handler = Callable[[socket.socket, "RawServer"], None]

SSE_HEADERS = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
)


class RawServer:
    """Serve `handler` on an ephemeral 127.0.0.1 port; use as a context manager."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests = 0
        self.errors: list[BaseException] = []
        self.flags: dict[str, Any] = {}
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> RawServer:
        self._accept.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._accept.join(5)
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._connection, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _connection(self, conn: socket.socket) -> None:
        with conn:
            try:
                while not self._stop.is_set() and read_request(conn, self):
                    self.requests += 1
                    self.handler(conn, self)
            except OSError:
                pass  # the client went away
            except BaseException as exc:  # surfaced by the test through `errors`
                self.errors.append(exc)


def read_request(conn: socket.socket, server: RawServer) -> bool:
    """Read one request (headers and a content-length body); False when the client closed."""
    data = b""
    conn.settimeout(0.1)
    while b"\r\n\r\n" not in data:
        if server.stopping:
            return False
        try:
            piece = conn.recv(65536)
        except TimeoutError:
            continue
        if not piece:
            return False
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        piece = conn.recv(65536)
        if not piece:
            return False
        body += piece
    return True


def chunk(data: bytes) -> bytes:
    """One HTTP/1.1 chunk of a `transfer-encoding: chunked` body."""
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


END = b"0\r\n\r\n"
"""The chunked terminator."""


def hold_until_client_closes(
    conn: socket.socket, *, limit: float, every: float = 0.02, send: bytes = b""
) -> bool:
    """Keep the response open (sending `send` as a chunk every `every` s, if given) until the
    client closes the connection; True if it did within `limit` seconds."""
    deadline = time.monotonic() + limit
    conn.settimeout(every)
    while time.monotonic() < deadline:
        try:
            if send:
                conn.sendall(chunk(send))
            if conn.recv(1) == b"":
                return True
        except TimeoutError:
            continue
        except OSError:  # reset or broken pipe: closed
            return True
    return False


def close_abruptly(conn: socket.socket) -> None:
    """End the TCP connection without the chunked terminator (a cut body)."""
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)
