"""Routing for the emulator's bulk endpoints (`/files`, `/batches`) over `_files` and `_batches`.

Invariant: every reply is built under `State.lock`; batch lines are answered with the same
validation and default scenario as a sync chat request, so what a batch accepts, sync accepts.
"""

from __future__ import annotations

import json
import urllib.parse

from ._app import State
from ._http import Request
from ._render import count_tokens, dumps, error_body, request_id
from ._scenarios import BodyReply, RequestContext, plan
from ._script import ScriptEntry
from ._validate import Rejection, check_chat, parse_json_body

__all__ = ["bulk_reply", "route_ok"]


def route_ok(method: str, route: str) -> bool:
    """Whether `method route` is a bulk endpoint the emulator serves."""
    parts = route.strip("/").split("/")
    if parts[0] == "files":
        return (
            (len(parts) == 1 and method in ("GET", "POST"))
            or (len(parts) == 2 and method in ("GET", "DELETE"))
            or (len(parts) == 3 and parts[2] == "content" and method == "GET")
        )
    return (
        (len(parts) == 1 and method in ("GET", "POST"))
        or (len(parts) == 2 and method == "GET")
        or (len(parts) == 3 and parts[2] == "cancel" and method == "POST")
    )


def _answer(state: State):
    models, decommissioned = dict(state.models), set(state.decommissioned)
    cached = state.batches.config.cached_tokens
    params: dict[str, object] = {} if cached is None else {"cached_tokens": cached}

    def answer(body: dict[str, object]) -> tuple[int, dict[str, object]]:
        from ._canned import prompt_text

        try:
            if body.get("stream") is True:
                raise Rejection(400, error_body(400, message="stream is not supported in batches"))
            tokens = count_tokens(prompt_text(body))
            model = check_chat(body, models, decommissioned, tokens)
        except Rejection as rejection:
            return rejection.status, rejection.body
        context = RequestContext(body, model, False, request_id(), tokens)
        reply = plan(ScriptEntry("default", dict(params)), context)
        assert isinstance(reply, BodyReply)
        return reply.status, json.loads(reply.body)

    return answer


def bulk_reply(state: State, request: Request, route: str) -> BodyReply:
    """Answer one `/files…` or `/batches…` request (raises `Rejection` for errors)."""
    parts = route.strip("/").split("/")
    with state.lock:
        files, batches = state.files, state.batches
        if parts[0] == "files":
            if len(parts) == 1 and request.method == "POST":
                ctype = request.headers.get("content-type", "")
                return _ok(files.upload(ctype, request.body).as_json())
            if len(parts) == 1:
                return _ok(files.listing())
            if len(parts) == 3:
                data = files.get(parts[1]).data
                return BodyReply("bulk", 200, data, content_type="application/octet-stream")
            if request.method == "DELETE":
                return _ok(files.delete(parts[1]))
            return _ok(files.get(parts[1]).as_json())
        answer = _answer(state)
        if len(parts) == 1 and request.method == "POST":
            body = parse_json_body(request.body)
            return _ok(batches.as_json(batches.create(files, body), files, answer))
        if len(parts) == 1:
            query = urllib.parse.parse_qs(request.query)
            cursor = (query.get("cursor") or [None])[0]
            return _ok(batches.listing(files, answer, cursor, query.get("id", [])))
        if len(parts) == 3:
            return _ok(batches.as_json(batches.cancel(parts[1]), files, answer))
        return _ok(batches.as_json(batches.get(parts[1]), files, answer))


def _ok(obj: object) -> BodyReply:
    return BodyReply("bulk", 200, dumps(obj))
