"""The emulator's request handling: routing, validation, recording and writing replies.

`State` is shared between the test thread (scripting, reading records) and the server thread
(serving), so every mutation of its containers happens under `State.lock`. Writing to sockets
happens only on the server's event loop.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field

from . import _canned
from ._batches import BatchStore
from ._catalog import DEFAULT_MODELS, ModelInfo
from ._files import FileStore
from ._http import Connection, Request, response_head
from ._limits import LimitConfig, key_of
from ._records import ConnectionRecord, RecordedRequest, StreamRecord, redact_headers
from ._render import (
    count_tokens,
    dumps,
    encode_chunk,
    error_body,
    rate_limit_headers,
    request_id,
)
from ._scenarios import BodyReply, RequestContext, StreamReply, plan
from ._script import ScriptEntry
from ._validate import Rejection, check_chat, parse_json_body

__all__ = ["State", "handle"]

CONTROL_PREFIX = "/__emulator__/"
_API_PREFIXES = ("/openai/v1", "/v1")


@dataclass
class State:
    """Everything the emulator scripts and records; guarded by `lock`."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    queue: deque[ScriptEntry] = field(default_factory=deque[ScriptEntry])
    requests: list[RecordedRequest] = field(default_factory=list[RecordedRequest])
    streams: list[StreamRecord] = field(default_factory=list[StreamRecord])
    connections: list[ConnectionRecord] = field(default_factory=list[ConnectionRecord])
    live: set[Connection] = field(default_factory=set[Connection])
    models: dict[str, ModelInfo] = field(default_factory=dict[str, ModelInfo])
    decommissioned: set[str] = field(default_factory=set[str])
    next_connection_id: int = 1
    requests_seen: int = 0
    max_body_bytes: int = 20 * 1024 * 1024
    region: str = "local"
    files: FileStore = field(default_factory=FileStore)
    batches: BatchStore = field(default_factory=BatchStore)
    limits: LimitConfig = field(default_factory=LimitConfig)

    def configure(self, extra_models: list[ModelInfo], decommissioned: set[str]) -> None:
        """(Re)load the model catalog: the defaults plus `extra_models`."""
        with self.lock:
            self.models = {m.id: m for m in (*DEFAULT_MODELS, *extra_models)}
            self.decommissioned = set(decommissioned)

    def open(self, conn: Connection) -> ConnectionRecord:
        """Register a new TCP connection."""
        with self.lock:
            record = ConnectionRecord(id=self.next_connection_id)
            self.next_connection_id += 1
            self.connections.append(record)
            self.live.add(conn)
        return record

    def close(self, conn: Connection) -> None:
        """Mark a TCP connection closed."""
        with self.lock:
            if conn.record.closed_at is None:
                conn.record.closed_at = time.monotonic()
            self.live.discard(conn)

    def next_entry(self, request: Request) -> ScriptEntry:
        """The header override, else the head of the queue, else the default scenario."""
        override = request.headers.get("x-emulator-scenario")
        if override:
            return ScriptEntry.from_header(override)
        with self.lock:
            return self.queue.popleft() if self.queue else ScriptEntry("default")


def _api_route(path: str) -> str | None:
    for prefix in _API_PREFIXES:
        if path.startswith(prefix + "/"):
            return urllib.parse.unquote(path[len(prefix) :]).rstrip("/")
    return None


def _common_headers(
    state: State, rid: str, tokens: int, own: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    with state.lock:
        state.requests_seen += 1
        seen = state.requests_seen
    headers = [("date", time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime()))]
    headers += [("x-request-id", rid), ("x-groq-region", state.region)]
    if any(k.startswith("x-ratelimit-") for k, _ in own):  # enforced limits report their own
        return headers
    return headers + rate_limit_headers(seen, tokens)


async def _send_json(
    conn: Connection, state: State, request: Request, reply: BodyReply, rid: str
) -> bool:
    if reply.wait and not await conn.sleep(reply.wait):
        return False
    keep = request.keep_alive and not reply.truncate
    headers = [("content-type", reply.content_type), ("content-length", str(len(reply.body)))]
    headers += [("connection", "keep-alive" if keep else "close")]
    headers += _common_headers(state, rid, reply.tokens, reply.headers) + reply.headers
    body = reply.body[: len(reply.body) // 2] if reply.truncate else reply.body
    conn.write(response_head(reply.status, headers) + body)
    if reply.truncate:
        conn.close()
    return keep


async def _send_events(
    conn: Connection, events: list[bytes], delay: float, rec: StreamRecord
) -> bool:
    for event in events:
        if rec.events_sent and delay and not await conn.sleep(delay):
            return False
        if conn.lost:
            return False
        conn.write(encode_chunk(event))
        rec.events_sent += 1
        await conn.drain()
    return not conn.lost


async def _send_stream(
    conn: Connection, state: State, request: Request, reply: StreamReply, rid: str, index: int
) -> bool:
    headers = [("content-type", reply.content_type), ("transfer-encoding", "chunked")]
    headers += [("cache-control", "no-cache"), ("connection", "keep-alive")]
    headers += _common_headers(state, rid, reply.tokens, reply.headers) + reply.headers
    rec = StreamRecord(reply.scenario, conn.record.id, index, len(reply.events), fault=reply.fault)
    rec._connection = conn.record
    with state.lock:
        state.streams.append(rec)
    conn.write(response_head(reply.status, headers))
    cut = reply.fault_at if reply.fault else len(reply.events)
    ok = await _send_events(conn, reply.events[:cut], reply.delay, rec)
    if ok and reply.fault == "stall":
        ok = await conn.sleep(reply.stall_seconds)
        ok = ok and await _send_events(conn, reply.events[cut:], reply.delay, rec)
    if ok and reply.fault == "drop":
        rec.ended_at = time.monotonic()
        conn.close()
        return False
    if ok:
        conn.write(b"0\r\n\r\n")
        rec.completed = True
    else:
        rec.client_closed_early = True
    rec.ended_at = time.monotonic()
    return ok and request.keep_alive


def _error_reply(status: int, body: dict[str, object]) -> BodyReply:
    return BodyReply("validation", status, dumps(body))


def _record(state: State, conn: Connection, request: Request) -> tuple[RecordedRequest, int]:
    headers, has_bearer = redact_headers(request.headers)
    try:
        body: object = json.loads(request.body) if request.body else None
    except (ValueError, UnicodeDecodeError):
        body = None
    rec = RecordedRequest(
        request.method, request.path, headers, body, has_bearer, conn.record.id, request.query
    )
    with state.lock:
        state.requests.append(rec)
        return rec, len(state.requests) - 1


def _models_reply(state: State, route: str) -> BodyReply:
    with state.lock:
        models = [m for m in state.models.values() if m.id not in state.decommissioned]
    if route == "/models":
        return BodyReply(
            "models", 200, dumps({"object": "list", "data": [m.as_json() for m in models]})
        )
    wanted = route[len("/models/") :]
    for m in models:
        if m.id == wanted:
            return BodyReply("models", 200, dumps(m.as_json()))
    message = f"The model `{wanted}` does not exist or you do not have access to it."
    return _error_reply(404, error_body(404, message=message, code="model_not_found"))


def _route_ok(method: str, route: str | None) -> bool:
    if route == "/chat/completions":
        return method == "POST"
    if route is not None and route.split("/")[1:2] in (["files"], ["batches"]):
        from ._bulk_routes import route_ok  # local import: bulk endpoints are rarely used

        return route_ok(method, route)
    if route is not None and (route == "/models" or route.startswith("/models/")):
        return method == "GET"
    return False


def _chat_reply(state: State, request: Request, rid: str) -> tuple[BodyReply | StreamReply, str]:
    if request.too_large:
        limit = state.max_body_bytes
        message = f"Request Entity Too Large: the body exceeds {limit} bytes."
        raise Rejection(413, error_body(413, message=message, type="invalid_request_error",
                                        code="request_too_large"))  # fmt: skip
    body = parse_json_body(request.body)
    prompt_tokens = count_tokens(_canned.prompt_text(body))
    with state.lock:
        models, decommissioned = dict(state.models), set(state.decommissioned)
    model = check_chat(body, models, decommissioned, prompt_tokens)
    try:
        entry = state.next_entry(request)
    except ValueError as exc:
        raise Rejection(400, error_body(400, message=str(exc), type="emulator_error")) from None
    rid = str(entry.params.get("request_id", rid))
    ctx = RequestContext(body, model, body.get("stream") is True, rid, prompt_tokens)
    reply = plan(entry, ctx)
    with state.lock:
        if state.limits.active:
            key = key_of(request.headers.get("authorization", ""))
            refused, retry, limit_headers = state.limits.admit(key, _charged(reply, prompt_tokens))
            if refused is not None:
                return _rate_limited(model, refused, retry, limit_headers), rid
            reply.headers = [*limit_headers, *reply.headers]
    return reply, rid


def _charged(reply: BodyReply | StreamReply, prompt_tokens: int) -> int:
    # Prompt plus completion, as Groq counts TPM; a stream's completion is not known up front.
    if isinstance(reply, BodyReply) and reply.status == 200:
        try:
            return int(json.loads(reply.body)["usage"]["total_tokens"])
        except (ValueError, KeyError, TypeError):
            pass
    return prompt_tokens


def _rate_limited(
    model: str, which: str, retry: float, headers: list[tuple[str, str]]
) -> BodyReply:
    per = "requests per day (RPD)" if which == "requests" else "tokens per minute (TPM)"
    message = (
        f"Rate limit reached for model `{model}` in organization `org_emulator` service tier "
        f"`on_demand` on {per}. Please try again in {retry:.3f}s."
    )
    body = error_body(429, message=message, type=which, code="rate_limit_exceeded")
    retry_header = ("retry-after", str(max(1, int(retry + 0.999))))
    return BodyReply("rate_limited", 429, dumps(body), headers=[retry_header, *headers])


async def handle(state: State, conn: Connection, request: Request) -> bool:
    """Serve one request; return whether the connection stays open."""
    if request.path.startswith(CONTROL_PREFIX):
        from ._control import handle_control  # local import: control is rarely used

        reply = handle_control(state, request)
        return await _send_json(conn, state, request, reply, request_id())
    rec, index = _record(state, conn, request)
    rid = request_id()
    route = _api_route(request.path)
    reply: BodyReply | StreamReply
    try:
        if not _route_ok(request.method, route):
            message = (
                f"Unknown request URL: {request.method} {request.path}. Please check the URL for "
                "typos, or see the docs at https://console.groq.com/docs/"
            )
            raise Rejection(404, error_body(404, message=message, code="unknown_url"))
        if not rec.has_bearer:
            raise Rejection(401, error_body(401))
        if str(route).startswith(("/files", "/batches")):
            from ._bulk_routes import bulk_reply

            reply = bulk_reply(state, request, str(route))
        elif request.method == "GET":
            reply = _models_reply(state, str(route))
        else:
            reply, rid = _chat_reply(state, request, rid)
    except Rejection as rejection:
        reply = _error_reply(rejection.status, rejection.body)
    if reply.scenario not in ("validation", "models", "bulk"):
        rec.scenario = reply.scenario
    rec.status = reply.status
    if isinstance(reply, StreamReply):
        return await _send_stream(conn, state, request, reply, rid, index)
    return await _send_json(conn, state, request, reply, rid)
