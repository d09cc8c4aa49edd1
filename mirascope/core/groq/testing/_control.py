"""HTTP control endpoints under `/__emulator__/`, for scripting the emulator from another process.

* `POST /__emulator__/script`: append entries (a JSON list; see `coerce_entry` for the forms).
* `DELETE /__emulator__/script`: clear the queue.
* `GET /__emulator__/requests` / `GET /__emulator__/streams`: the recordings, as JSON.
* `POST /__emulator__/reset`: clear queue and recordings.

These paths need no API key and are never recorded.
"""

from __future__ import annotations

import json
from typing import cast

from ._app import State
from ._http import Request
from ._render import dumps
from ._scenarios import BodyReply
from ._script import coerce_entry

__all__ = ["handle_control"]


def _ok(obj: object) -> BodyReply:
    return BodyReply("control", 200, dumps(obj))


def _fail(status: int, message: str) -> BodyReply:
    return BodyReply(
        "control", status, dumps({"error": {"message": message, "type": "emulator_error"}})
    )


def handle_control(state: State, request: Request) -> BodyReply:
    """Answer one control request."""
    route = (request.method, request.path.rstrip("/"))
    if route == ("POST", "/__emulator__/script"):
        try:
            items = json.loads(request.body or b"[]")
            if not isinstance(items, list):
                items = [items]
            entries = [coerce_entry(i) for i in cast(list[object], items)]
        except ValueError as exc:
            return _fail(400, str(exc))
        with state.lock:
            state.queue.extend(entries)
            pending = len(state.queue)
        return _ok({"queued": len(entries), "pending": pending})
    if route == ("DELETE", "/__emulator__/script"):
        with state.lock:
            state.queue.clear()
        return _ok({"pending": 0})
    if route == ("GET", "/__emulator__/requests"):
        with state.lock:
            return _ok([r.as_dict() for r in state.requests])
    if route == ("GET", "/__emulator__/streams"):
        with state.lock:
            return _ok([s.as_dict() for s in state.streams])
    if route == ("POST", "/__emulator__/reset"):
        with state.lock:
            state.queue.clear()
            state.requests.clear()
            state.streams.clear()
        return _ok({"reset": True})
    return _fail(404, f"unknown control endpoint {request.method} {request.path}")
