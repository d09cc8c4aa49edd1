"""Starlette responses: headers, body, and a client disconnect releasing the Groq connection."""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from mirascope.core.groq.testing import GroqEmulator
from tests.groq_e2e_helpers import user

pytest.importorskip("starlette", reason="the `web` extra (starlette) is not installed")

from mirascope.integrations.starlette import sse_response, ui_message_stream_response


async def _serve(response: Any, *, disconnect_after: int | None) -> tuple[dict, list[bytes]]:
    """Run `response` as an ASGI app; the client leaves after `disconnect_after` body parts."""
    sent: list[dict] = []
    bodies: list[bytes] = []
    gone = anyio.Event()
    requested = False

    async def receive() -> dict:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and message.get("body"):
            bodies.append(message["body"])
            if disconnect_after is not None and len(bodies) >= disconnect_after:
                gone.set()

    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.0"}, "method": "GET"}
    await response(scope, receive, send)
    return sent[0], bodies


async def test_headers_and_body(flavor: Any, emu: GroqEmulator) -> None:
    emu.enqueue("text", text="Hi!")
    stream = await flavor.invoke(flavor.call(user("hello"), stream=True))
    start, bodies = await _serve(ui_message_stream_response(stream), disconnect_after=None)
    headers = dict(start["headers"])
    assert headers[b"content-type"].startswith(b"text/event-stream")
    assert headers[b"cache-control"] == b"no-cache"
    assert headers[b"x-accel-buffering"] == b"no"
    assert headers[b"x-vercel-ai-ui-message-stream"] == b"v1"
    assert b"".join(bodies).endswith(b"data: [DONE]\n\n")


async def test_disconnect_releases_groq_connection(flavor: Any, emu: GroqEmulator) -> None:
    for _ in range(5):
        emu.enqueue("text", text="one two three four five six seven eight", delay=0.2)
        stream = await flavor.invoke(flavor.call(user("hello"), stream=True))
        _, bodies = await _serve(sse_response(stream), disconnect_after=2)
        assert len(bodies) < 6
        assert stream.end_state == "closed_early"
        assert emu.wait_for(lambda: emu.streams[-1].client_closed_early, timeout=3)
    assert all(rec.client_closed_early for rec in emu.streams)
    assert len(emu.streams) == 5


async def test_tool_loop_response(flavor: Any, emu: GroqEmulator) -> None:
    from tests.groq_e2e_helpers import GetWeather

    emu.enqueue("tool_calls", calls=[("GetWeather", '{"city":"Oslo"}')], usage_mode="none")
    emu.enqueue("text", text="Cold.", usage_mode="none")

    def chat(messages: list[Any]) -> list[Any]:
        return messages

    fn = flavor.call(chat, "openai/gpt-oss-120b", tools=[GetWeather], stream=True)
    history = [{"role": "user", "content": "Weather in Oslo?"}]
    stream = await flavor.invoke(fn, history)
    response = ui_message_stream_response(stream, next_turn=lambda a: fn([*history, *a]))
    _, bodies = await _serve(response, disconnect_after=None)
    body = b"".join(bodies)
    assert body.count(b'"type":"start-step"') == 2
    assert b'"output":"It is sunny in Oslo."' in body
    assert b'"delta":"Cold"' in body
    assert body.endswith(b"data: [DONE]\n\n")
    assert emu.wait_for(lambda: [rec.completed for rec in emu.streams] == [True, True], timeout=3)
