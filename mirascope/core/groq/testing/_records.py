"""What the emulator remembers: requests, streamed responses and TCP connections.

Invariant: no record ever holds an API key. Credential headers are replaced by `REDACTED`
values before a `RecordedRequest` exists, and the raw request bytes are never kept.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

__all__ = ["ConnectionRecord", "RecordedRequest", "StreamRecord", "redact_headers"]

_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "x-api-key", "api-key"})


def redact_headers(headers: dict[str, str]) -> tuple[dict[str, str], bool]:
    """Return `(headers without secrets, whether a non-empty bearer token was sent)`.

    Example:
        ```python
        safe, has_bearer = redact_headers({"authorization": "Bearer gsk_123"})
        assert safe == {"authorization": "Bearer ***"} and has_bearer
        ```
    """
    auth = headers.get("authorization", "")
    scheme, _, token = auth.strip().partition(" ")
    has_bearer = scheme.lower() == "bearer" and bool(token.strip())
    safe: dict[str, str] = {}
    for name, value in headers.items():
        if name in _SECRET_HEADERS:
            safe[name] = "Bearer ***" if name == "authorization" and has_bearer else "***"
        else:
            safe[name] = value
    return safe, has_bearer


@dataclass
class ConnectionRecord:
    """One accepted TCP connection.

    Example:
        ```python
        assert all(c.closed for c in emu.connections)
        ```
    """

    id: int
    """Sequential id, unique for the emulator's lifetime (not reset by `reset()`)."""
    opened_at: float = field(default_factory=time.monotonic)
    """`time.monotonic()` when the connection was accepted."""
    closed_at: float | None = None
    """`time.monotonic()` when it closed (by either side), else `None`."""
    requests: int = 0
    """How many requests arrived on it; above 1 means keep-alive reuse."""

    @property
    def closed(self) -> bool:
        """Whether the connection has closed.

        Example:
            ```python
            assert emu.connections[0].closed
            ```
        """
        return self.closed_at is not None


@dataclass
class RecordedRequest:
    """One HTTP request as received, with credentials redacted.

    Example:
        ```python
        req = emu.requests[-1]
        assert req.body["model"] == "openai/gpt-oss-20b" and req.has_bearer
        assert req.headers["authorization"] == "Bearer ***"
        ```
    """

    method: str
    """`GET`, `POST`, ..."""
    path: str
    """The path without the query string, e.g. `/openai/v1/chat/completions`."""
    headers: dict[str, str]
    """Lower-cased header names; `authorization` is stored as `Bearer ***`."""
    body: object
    """The parsed JSON body; `None` when there was no body or it was not JSON."""
    has_bearer: bool
    """Whether an `Authorization: Bearer <non-empty>` header was present."""
    connection_id: int
    """Id of the TCP connection it came on (see `GroqEmulator.connections`)."""
    query: str = ""
    """The raw query string, without `?`."""
    scenario: str | None = None
    """The scenario that answered it (`None` for validation errors and `/models`)."""
    status: int | None = None
    """The HTTP status sent back."""
    received_at: float = field(default_factory=time.monotonic)
    """`time.monotonic()` when the request was fully read."""

    @property
    def json(self) -> dict[str, object]:
        """The body as a dict (empty when it was not a JSON object), handy for assertions.

        Example:
            ```python
            assert emu.requests[0].json["stream"] is True
            ```
        """
        body = self.body
        return body if isinstance(body, dict) else {}  # pyright: ignore[reportUnknownVariableType]

    def as_dict(self) -> dict[str, object]:
        """A JSON-serialisable copy, as served by `GET /__emulator__/requests`.

        Example:
            ```python
            assert emu.requests[0].as_dict()["method"] == "POST"
            ```
        """
        return asdict(self)


@dataclass
class StreamRecord:
    """One streamed (`text/event-stream`) response and how it ended.

    Example:
        ```python
        rec = emu.streams[-1]
        assert rec.completed and not rec.client_closed_early
        ```
    """

    scenario: str
    """Scenario name that produced it."""
    connection_id: int
    """Id of the TCP connection it was written to."""
    request_index: int
    """Index into `GroqEmulator.requests` of the request it answered."""
    events_total: int = 0
    """How many SSE events the scenario planned (including `[DONE]`)."""
    events_sent: int = 0
    """How many SSE events were written to the socket."""
    completed: bool = False
    """All planned bytes, including the chunked terminator, were written."""
    client_closed_early: bool = False
    """The client went away (EOF or write failure) before the planned end."""
    fault: str | None = None
    """`drop`, `eof_no_done` or `stall` when the scenario injected one."""
    started_at: float = field(default_factory=time.monotonic)
    """`time.monotonic()` when the response head was written."""
    ended_at: float | None = None
    """`time.monotonic()` when the emulator stopped writing (any reason)."""
    _connection: ConnectionRecord | None = field(default=None, repr=False, compare=False)

    @property
    def connection_closed(self) -> bool:
        """Whether the TCP connection this stream used has closed since.

        Example:
            ```python
            assert emu.wait_for(lambda: emu.streams[-1].connection_closed)
            ```
        """
        return self._connection is not None and self._connection.closed

    def as_dict(self) -> dict[str, object]:
        """A JSON-serialisable copy, as served by `GET /__emulator__/streams`.

        Example:
            ```python
            assert emu.streams[0].as_dict()["completed"] is True
            ```
        """
        data = {k: v for k, v in asdict(self).items() if k != "_connection"}
        data["connection_closed"] = self.connection_closed
        return data
