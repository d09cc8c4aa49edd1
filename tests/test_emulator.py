"""End-to-end tests of the Groq emulator, driven by the real `groq` SDK and by raw `httpx`.

Each scenario is checked streamed and non-streamed; faults are checked at the HTTP framing level.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import groq
import httpx
import pytest

from mirascope.core.groq.testing import GroqEmulator, ScriptEntry

MODEL = "openai/gpt-oss-20b"
MSGS: list[Any] = [{"role": "user", "content": "Say hello"}]
CALLS = [("get_weather", '{"city":"Paris"}'), ("get_weather", '{"city":"Rome"}')]
AUTH = {"authorization": "Bearer gsk_test_secret"}


@pytest.fixture
def client(groq_emulator: GroqEmulator) -> Iterator[groq.Groq]:
    with groq_emulator.client() as c:
        yield c


@pytest.fixture
def raw(groq_emulator: GroqEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=groq_emulator.base_url, headers=AUTH, timeout=5) as c:
        yield c


def stream_chunks(client: groq.Groq, **kw: Any) -> list[Any]:
    kw.setdefault("model", MODEL)
    kw.setdefault("messages", MSGS)
    with client.chat.completions.create(stream=True, **kw) as stream:
        return list(stream)


def sse_payloads(response: httpx.Response) -> list[Any]:
    events = [e for e in response.text.split("\n\n") if e]
    return [e[6:] if e == "data: [DONE]" else json.loads(e[6:]) for e in events]


def contents(chunks: list[Any]) -> list[str]:
    return [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]


# -- text (transcripts A and B) -------------------------------------------------------------------


def test_text_stream_matches_transcript_a(raw: httpx.Client) -> None:
    body = {"model": MODEL, "messages": MSGS, "stream": True}
    r = raw.post(
        "/openai/v1/chat/completions",
        json=body,
        headers={"x-emulator-scenario": "text;text=Hello there!"},
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/event-stream"
    assert r.headers["transfer-encoding"] == "chunked"
    assert r.headers["cache-control"] == "no-cache"
    assert re.fullmatch(r"req_[0-9a-hjkmnp-tv-z]{26}", r.headers["x-request-id"])
    assert r.headers["x-groq-region"] == "local"
    assert len([h for h in r.headers if h.startswith("x-ratelimit-")]) == 6
    events = sse_payloads(r)
    assert events[-1] == "[DONE]"
    first, *middle, final = events[:-1]
    assert first["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert first["x_groq"]["id"] == r.headers["x-request-id"]
    assert [m["choices"][0]["delta"]["content"] for m in middle] == ["Hello", " there", "!"]
    assert all("x_groq" not in m and "usage" not in m for m in middle)
    assert final["choices"][0] == {
        "index": 0,
        "delta": {},
        "logprobs": None,
        "finish_reason": "stop",
    }
    assert final["usage"] == final["x_groq"]["usage"]
    assert final["usage"]["completion_tokens"] == 3
    assert re.fullmatch(r"chatcmpl-[0-9a-f-]{36}", first["id"])
    assert re.fullmatch(r"fp_[0-9a-f]{10}", first["system_fingerprint"])
    assert len({(e["id"], e["created"], e["system_fingerprint"]) for e in events[:-1]}) == 1


@pytest.mark.parametrize("mode", ["x_groq_only", "both", "include_usage_chunk", "none"])
def test_usage_modes(groq_emulator: GroqEmulator, client: groq.Groq, mode: str) -> None:
    groq_emulator.enqueue("text", text="Hi there", usage_mode=mode, prompt_tokens=45)
    chunks = stream_chunks(client)
    finish = next(c for c in chunks if c.choices and c.choices[0].finish_reason)
    top = finish.usage
    x_groq = finish.x_groq.usage if finish.x_groq else None
    assert (top is not None) == (mode == "both")
    assert (x_groq is not None) == (mode != "none")
    trailer = [c for c in chunks if not c.choices]
    if mode == "include_usage_chunk":
        assert len(trailer) == 1 and trailer[0].usage.prompt_tokens == 45
    else:
        assert trailer == []


def test_text_non_stream_and_knobs(groq_emulator: GroqEmulator, client: groq.Groq) -> None:
    groq_emulator.enqueue(
        "text", text="Cut short", finish_reason="length", prompt_tokens=7,
        completion_tokens=2, model="custom-model", cached_tokens=3,
    )  # fmt: skip
    r = client.chat.completions.create(model=MODEL, messages=MSGS)
    assert r.object == "chat.completion" and r.model == "custom-model"
    assert r.choices[0].message.content == "Cut short"
    assert r.choices[0].finish_reason == "length"
    assert r.usage is not None and (r.usage.prompt_tokens, r.usage.completion_tokens) == (7, 2)
    details = r.usage.prompt_tokens_details  # a dict on groq < 0.35 (an untyped extra there)
    assert details is not None
    assert (details["cached_tokens"] if isinstance(details, dict) else details.cached_tokens) == 3
    assert r.x_groq is not None and r.x_groq.id.startswith("req_")


@pytest.mark.parametrize(
    ("knobs", "expected"),
    [
        ({"chunk_size": 2}, ["Hello there", "!"]),
        ({"chunk_chars": 4}, ["Hell", "o th", "ere!"]),
        ({"chunks": 2}, ["Hello ", "there!"]),
    ],
)
def test_chunking_knobs(
    groq_emulator: GroqEmulator, client: groq.Groq, knobs: dict[str, Any], expected: Any
) -> None:
    groq_emulator.enqueue("text", text="Hello there!", **knobs)
    got = contents(stream_chunks(client))
    assert "".join(got) == "Hello there!"
    if expected is not None:
        assert got == expected
    else:
        assert got == ["Hello there", "!"]


def test_max_tokens_gives_length(groq_emulator: GroqEmulator, client: groq.Groq) -> None:
    groq_emulator.enqueue("text", text="one two three four five")
    chunks = stream_chunks(client, max_completion_tokens=2)
    assert "".join(contents(chunks)) == "one two"
    assert chunks[-1].choices[0].finish_reason == "length"


# -- tool calls (C1, C2, C3) -----------------------------------------------------------------------


def _assemble(chunks: list[Any]) -> dict[int, list[str]]:
    calls: dict[int, list[str]] = {}
    for c in chunks:
        for tc in (c.choices[0].delta.tool_calls or []) if c.choices else []:
            slot = calls.setdefault(tc.index, ["", "", ""])
            slot[0] = tc.id or slot[0]
            slot[1] = (tc.function.name if tc.function else None) or slot[1]
            slot[2] += (tc.function.arguments if tc.function else None) or ""
    return calls


@pytest.mark.parametrize(
    ("style", "deltas"),
    [("whole", 2), ("parallel_separate", 2), ("parallel_one_delta", 1), ("fragmented", 9)],
)
def test_tool_call_styles(
    groq_emulator: GroqEmulator, client: groq.Groq, style: str, deltas: int
) -> None:
    groq_emulator.enqueue("tool_calls", calls=CALLS, style=style, fragment_size=5)
    chunks = stream_chunks(client)
    assert chunks[0].choices[0].delta.content is None
    with_calls = [c for c in chunks if c.choices and c.choices[0].delta.tool_calls]
    assert len(with_calls) == deltas
    calls = _assemble(chunks)
    assert [(v[1], v[2]) for _, v in sorted(calls.items())] == CALLS
    assert all(len(v[0]) == 9 for v in calls.values())
    assert chunks[-1].choices[0].finish_reason == "tool_calls"


def test_tool_calls_non_stream_with_content(groq_emulator: GroqEmulator, client: groq.Groq) -> None:
    groq_emulator.enqueue(
        "tool_calls",
        content="Let me check.",
        calls=[{"id": "call_1", "name": "get_weather", "arguments": {"city": "Oslo"}}],
    )
    r = client.chat.completions.create(model=MODEL, messages=MSGS)
    msg = r.choices[0].message
    assert msg.content == "Let me check." and r.choices[0].finish_reason == "tool_calls"
    assert msg.tool_calls is not None
    assert (msg.tool_calls[0].id, msg.tool_calls[0].function.arguments) == (
        "call_1",
        '{"city": "Oslo"}',
    )


# -- reasoning (D) and JSON (E) --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["parsed", "raw", "hidden"])
def test_reasoning_formats(groq_emulator: GroqEmulator, client: groq.Groq, fmt: str) -> None:
    knobs = {"reasoning": "Okay, let me count", "text": "There are 3.", "reasoning_format": fmt}
    groq_emulator.enqueue("reasoning", **knobs).enqueue("reasoning", **knobs)
    chunks = stream_chunks(client)
    reasoning = "".join(
        getattr(c.choices[0].delta, "reasoning", None) or "" for c in chunks if c.choices
    )
    text = "".join(contents(chunks))
    r = client.chat.completions.create(model="qwen/qwen3.6-27b", messages=MSGS)
    expected = {
        "parsed": ("Okay, let me count", "There are 3."),
        "raw": ("", "<think>Okay, let me count</think>There are 3."),
        "hidden": ("", "There are 3."),
    }[fmt]
    assert (reasoning, text) == expected
    assert (r.choices[0].message.reasoning or "", r.choices[0].message.content) == expected
    usage = chunks[-1].usage
    assert usage.completion_tokens_details.reasoning_tokens == 5


def test_json_scenario(groq_emulator: GroqEmulator, client: groq.Groq) -> None:
    obj = {"title": "Dune", "author": "Frank Herbert"}
    groq_emulator.enqueue("json", obj=obj, chunk_size=3).enqueue("json", obj=obj)
    fmt: Any = {"type": "json_object"}
    assert json.loads("".join(contents(stream_chunks(client, response_format=fmt)))) == obj
    r = client.chat.completions.create(model=MODEL, messages=MSGS, response_format=fmt)
    assert json.loads(r.choices[0].message.content or "") == obj


# -- faults (F) ------------------------------------------------------------------------------------


def test_drop_gives_remote_protocol_error(groq_emulator: GroqEmulator, client: groq.Groq) -> None:
    groq_emulator.enqueue("drop", text="a b c d e", after=2)
    seen: list[Any] = []
    stream = client.chat.completions.create(model=MODEL, messages=MSGS, stream=True)
    with stream, pytest.raises(httpx.RemoteProtocolError):
        seen.extend(stream)
    assert contents(seen) == ["a", " b"]
    rec = groq_emulator.streams[-1]
    assert (rec.fault, rec.events_sent, rec.completed) == ("drop", 3, False)


def test_eof_no_done_ends_silently(groq_emulator: GroqEmulator, client: groq.Groq) -> None:
    groq_emulator.enqueue("eof_no_done", text="a b c d e", after=10)
    chunks = stream_chunks(client)
    assert "".join(contents(chunks)) == "a b c d e"
    assert all(c.choices[0].finish_reason is None for c in chunks)
    # `completed` is set by the server thread just after the terminator is written.
    assert groq_emulator.wait_for(lambda: groq_emulator.streams[-1].completed)


def test_stall_times_out_and_stop_is_fast(
    groq_emulator_factory: Callable[..., GroqEmulator],
) -> None:
    emu = groq_emulator_factory()
    emu.enqueue("stall", after=1, stall_seconds=30)
    with emu.client(timeout=0.3) as client, pytest.raises(httpx.ReadTimeout):
        stream_chunks(client)
    emu.enqueue("stall", after=0, stall_seconds=30)
    with httpx.Client(timeout=5) as h, h.stream(
        "POST", f"{emu.base_url}/openai/v1/chat/completions",
        json={"model": MODEL, "messages": MSGS, "stream": True}, headers=AUTH,
    ) as r:  # fmt: skip
        body = r.iter_bytes()
        assert next(body).startswith(b"data: ")
        started = time.monotonic()
        emu.stop()
        assert time.monotonic() - started < 1
        with pytest.raises(httpx.RemoteProtocolError):
            list(body)


def test_close_after_first_chunk_is_seen(groq_emulator: GroqEmulator, client: groq.Groq) -> None:
    groq_emulator.enqueue("text", text="one two three four", delay=0.2)
    stream = client.chat.completions.create(model=MODEL, messages=MSGS, stream=True)
    next(iter(stream))
    stream.close()
    assert groq_emulator.wait_for(lambda: groq_emulator.streams[-1].client_closed_early, 1.5)
    rec = groq_emulator.streams[-1]
    assert not rec.completed and rec.events_sent < rec.events_total
    assert groq_emulator.wait_for(
        lambda: rec.connection_closed and not groq_emulator.open_connections
    )


# -- in-stream errors (G) --------------------------------------------------------------------------


@pytest.mark.parametrize("first", [False, True])
def test_error_event_raises_api_error(
    groq_emulator: GroqEmulator, client: groq.Groq, first: bool
) -> None:
    groq_emulator.enqueue("error_event", first=first)
    with pytest.raises(groq.APIError) as info:
        stream_chunks(client)
    assert not isinstance(info.value, groq.APIStatusError)
    assert isinstance(info.value.body, dict)
    assert info.value.body["code"] == "tool_use_failed"
    assert "failed_generation" in info.value.body


def test_json_validate_failed_event_and_non_stream(
    groq_emulator: GroqEmulator, client: groq.Groq
) -> None:
    groq_emulator.enqueue("error_event", code="json_validate_failed").enqueue("error_event")
    with pytest.raises(groq.APIError) as info:
        stream_chunks(client)
    assert info.value.body["code"] == "json_validate_failed"  # type: ignore[index]
    with pytest.raises(groq.BadRequestError) as bad:
        client.chat.completions.create(model=MODEL, messages=MSGS)
    assert bad.value.body["error"]["code"] == "tool_use_failed"  # type: ignore[index]


def test_x_groq_error_does_not_raise(groq_emulator: GroqEmulator, client: groq.Groq) -> None:
    groq_emulator.enqueue("x_groq_error", text="partial", error="upstream timeout")
    chunks = stream_chunks(client)
    assert chunks[-1].x_groq.error == "upstream timeout"
    assert "".join(contents(chunks)) == "partial"


# -- HTTP errors (H and §4.2) ----------------------------------------------------------------------


def test_429_429_200_recovers(groq_emulator: GroqEmulator) -> None:
    groq_emulator.script([429, 429, ("text", {"text": "ok"})])
    with groq_emulator.client(max_retries=2) as client:
        assert "".join(contents(stream_chunks(client))) == "ok"
    reqs = groq_emulator.requests
    assert [r.status for r in reqs] == [429, 429, 200]
    assert [r.headers["x-stainless-retry-count"] for r in reqs] == ["0", "1", "2"]
    assert groq_emulator.pending == []


def test_error_headers_and_bodies(groq_emulator: GroqEmulator, raw: httpx.Client) -> None:
    when = datetime.now(timezone.utc) + timedelta(seconds=5)
    groq_emulator.enqueue_error(429, retry_after=when, headers={"x-extra": "1"})
    groq_emulator.enqueue_error(503, should_retry=False, retry_after_ms=50)
    groq_emulator.enqueue_error(498)
    r = raw.post("/openai/v1/chat/completions", json={"model": MODEL, "messages": MSGS})
    assert r.status_code == 429 and r.headers["retry-after"].endswith("GMT")
    assert r.headers["x-extra"] == "1" and r.json()["error"]["code"] == "rate_limit_exceeded"
    body = {"model": MODEL, "messages": MSGS, "stream": True}
    r = raw.post("/openai/v1/chat/completions", json=body)
    assert (r.status_code, r.headers["x-should-retry"], r.headers["retry-after-ms"]) == (
        503,
        "false",
        "50",
    )
    assert r.headers["content-type"] == "application/json"
    assert raw.post("/openai/v1/chat/completions", json=body).json()["error"]["type"] == (
        "capacity_exceeded"
    )


def test_should_retry_false_stops_sdk_retries(groq_emulator: GroqEmulator) -> None:
    groq_emulator.enqueue_error(500, should_retry=False).enqueue("text")
    with groq_emulator.client(max_retries=2) as client, pytest.raises(groq.InternalServerError):
        client.chat.completions.create(model=MODEL, messages=MSGS)
    assert len(groq_emulator.requests) == 1


@pytest.mark.parametrize(
    ("change", "status", "code", "param"),
    [
        ({"model": "no-such-model"}, 404, "model_not_found", None),
        ({"model": None}, 400, None, "model"),
        ({"messages": None}, 400, None, "messages"),
        ({"messages": [{"role": "wizard", "content": "x"}]}, 400, None, "messages.0.role"),
        ({"n": 2}, 400, None, "n"),
        ({"stop": ["a", "b", "c", "d", "e"]}, 400, None, "stop"),
        ({"temperature": 2.5}, 400, None, "temperature"),
        ({"model": "openai/gpt-oss-20b", "reasoning_effort": "none"}, 400, None,
         "reasoning_effort"),
        ({"reasoning_format": "parsed", "include_reasoning": True}, 400, None, "reasoning_format"),
        ({"max_completion_tokens": 10**7}, 400, None, "max_completion_tokens"),
        (
            {"response_format": {"type": "json_object"}, "tools": [{"type": "function",
             "function": {"name": "f"}}]},
            400, None, "response_format",
        ),
        (
            {"response_format": {"type": "json_schema", "json_schema": {"name": "x",
             "schema": {}, "strict": True}}, "model": "qwen/qwen3.6-27b"},
            400, None, "response_format",
        ),
        (
            {"tools": [{"type": "function", "function": {"name": "f",
             "parameters": {"type": "object", "required": ["a"]}}}]},
            400, None, "tool f, tools[0].function.parameters",
        ),
        ({"tools": [{"type": "function", "function": {"name": "f"}}] * 129}, 400, None, "tools"),
    ],
)  # fmt: skip
def test_validation_rows(
    groq_emulator: GroqEmulator,
    raw: httpx.Client,
    change: dict[str, Any],
    status: int,
    code: str | None,
    param: str | None,
) -> None:
    groq_emulator.enqueue("text", text="still queued")
    body = {"model": MODEL, "messages": MSGS, "stream": True, **change}
    body = {k: v for k, v in body.items() if v is not None}
    r = raw.post("/openai/v1/chat/completions", json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"
    error = r.json()["error"]
    assert error["type"] == "invalid_request_error"
    assert error.get("code") == code and error.get("param") == param
    assert len(groq_emulator.pending) == 1  # rejected requests do not consume the script


def test_auth_path_json_decommission_context_and_size(
    groq_emulator: GroqEmulator, groq_emulator_factory: Callable[..., GroqEmulator]
) -> None:
    url = f"{groq_emulator.base_url}/openai/v1/chat/completions"
    body = {"model": MODEL, "messages": MSGS}
    with httpx.Client(timeout=5) as h:
        r = h.post(url, json=body)
        assert (r.status_code, r.json()["error"]["code"]) == (401, "invalid_api_key")
        r = h.post(url, json=body, headers={"authorization": "Basic abc"})
        assert r.status_code == 401
        r = h.post(f"{groq_emulator.base_url}/openai/v1/nope", json=body, headers=AUTH)
        assert (r.status_code, r.json()["error"]["code"]) == (404, "unknown_url")
        assert h.get(url, headers=AUTH).status_code == 404
        r = h.post(url, content=b"{not json", headers=AUTH)
        assert r.status_code == 400 and "parse" in r.json()["error"]["message"]
        groq_emulator.decommission(MODEL)
        r = h.post(url, json=body, headers=AUTH)
        assert r.json()["error"]["code"] == "model_decommissioned"
        groq_emulator.add_model("tiny", context_window=3)
        long_prompt = [{"role": "user", "content": "a b c d"}]
        r = h.post(url, json={"model": "tiny", "messages": long_prompt}, headers=AUTH)
        assert r.json()["error"]["code"] == "context_length_exceeded"
        small = groq_emulator_factory(max_body_bytes=100)
        r = h.post(f"{small.base_url}/v1/chat/completions", json={**body, "pad": "x" * 200},
                   headers=AUTH)  # fmt: skip
        assert (r.status_code, r.json()["error"]["code"]) == (413, "request_too_large")


# -- literal chunks and raw bytes ------------------------------------------------------------------


def test_enqueue_chunks_fills_envelope(groq_emulator: GroqEmulator, client: groq.Groq) -> None:
    interleaved = [
        {"choices": [{"index": 0, "delta": {"content": "A"}, "finish_reason": None}]},
        {"choices": [{"index": 1, "delta": {"content": "B"}, "finish_reason": None}]},
        {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}], "model": "m2"},
    ]
    groq_emulator.enqueue_chunks(interleaved).enqueue_chunks(interleaved)
    chunks = stream_chunks(client)
    assert [c.choices[0].index for c in chunks] == [0, 1, 0]
    assert len({c.id for c in chunks}) == 1 and chunks[0].model == MODEL
    assert chunks[2].model == "m2" and chunks[0].object == "chat.completion.chunk"
    r = client.chat.completions.create(model=MODEL, messages=MSGS)
    assert (r.choices[0].message.content, r.choices[0].finish_reason) == ("A", "stop")


def test_enqueue_raw_malformed(groq_emulator: GroqEmulator, client: groq.Groq) -> None:
    groq_emulator.enqueue_raw([b"data: {not json}\n\n"])
    with pytest.raises(json.JSONDecodeError):
        stream_chunks(client)


# -- connections, recording, control ---------------------------------------------------------------


@pytest.mark.skipif(
    int(groq.__version__.split(".")[0]) < 1,
    reason="groq 0.x closes a stream's response before its end, so the connection is not reused",
)
def test_keep_alive_reuses_one_connection(groq_emulator: GroqEmulator, client: groq.Groq) -> None:
    stream_chunks(client)
    client.chat.completions.create(model=MODEL, messages=MSGS)
    stream_chunks(client)
    assert groq_emulator.connections_opened == 1
    assert groq_emulator.connections[0].requests == 3
    assert len({r.connection_id for r in groq_emulator.requests}) == 1


def test_api_key_is_never_recorded(groq_emulator: GroqEmulator) -> None:
    secret = "gsk_very_secret_value_123"
    with groq_emulator.client(api_key=secret) as client:
        stream_chunks(client)
    rec = groq_emulator.requests[0]
    assert rec.has_bearer and rec.headers["authorization"] == "Bearer ***"
    with httpx.Client() as h:
        dumped = h.get(f"{groq_emulator.base_url}/__emulator__/requests").text
    everything = repr(groq_emulator.requests) + json.dumps(rec.as_dict()) + dumped
    assert secret not in everything and "Bearer ***" in dumped


def test_control_endpoints_and_header_override(
    groq_emulator: GroqEmulator, raw: httpx.Client
) -> None:
    script = [{"scenario": "text", "params": {"text": "from script"}}, {"scenario": 500}]
    assert raw.post("/__emulator__/script", json=script).json()["queued"] == 2
    assert raw.post("/__emulator__/script", json=[{"scenario": "nope"}]).status_code == 400
    body = {"model": MODEL, "messages": MSGS}
    r = raw.post(
        "/openai/v1/chat/completions",
        json=body,
        headers={"x-emulator-scenario": 'json;obj={"a":1}'},
    )
    assert json.loads(r.json()["choices"][0]["message"]["content"]) == {"a": 1}
    assert (
        raw.post("/v1/chat/completions", json=body).json()["choices"][0]["message"]["content"]
        == "from script"
    )
    assert raw.post("/openai/v1/chat/completions", json=body).status_code == 500
    recorded = raw.get("/__emulator__/requests").json()
    assert [r["scenario"] for r in recorded] == ["json", "text", "http_error"]
    assert raw.get("/__emulator__/streams").json() == []
    assert raw.post("/__emulator__/reset").json() == {"reset": True}
    assert groq_emulator.requests == []


def test_models_endpoints(client: groq.Groq, raw: httpx.Client) -> None:
    ids = {m.id for m in client.models.list().data}
    assert {"openai/gpt-oss-120b", "qwen/qwen3.8-27b"} <= ids
    assert "llama-3.1-8b-instant" not in ids  # retired: Groq no longer lists it
    model = client.models.retrieve("openai/gpt-oss-120b")
    assert (model.id, model.owned_by) == ("openai/gpt-oss-120b", "OpenAI")
    with pytest.raises(groq.NotFoundError):
        client.models.retrieve("nope/nope")
    assert raw.get("/v1/models").json()["object"] == "list"
    assert raw.delete("/openai/v1/models/openai/gpt-oss-120b").status_code == 404


# -- defaults --------------------------------------------------------------------------------------


def test_default_answers(client: groq.Groq) -> None:
    book = [{"role": "user", "content": "Recommend a science fiction book"}]
    r = client.chat.completions.create(model="openai/gpt-oss-20b", messages=book)  # type: ignore[arg-type]
    assert "Dune" in (r.choices[0].message.content or "")
    assert r.usage is not None and r.usage.prompt_tokens == 5
    tool: Any = {"type": "function", "function": {"name": "lookup", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}},
    }}}  # fmt: skip
    r = client.chat.completions.create(model=MODEL, messages=MSGS, tools=[tool])
    call = (r.choices[0].message.tool_calls or [])[0]
    assert (call.function.name, json.loads(call.function.arguments)) == (
        "lookup",
        {"city": "example", "days": 1},
    )
    other: Any = {"type": "function", "function": {"name": "other"}}
    forced: Any = {"type": "function", "function": {"name": "other"}}
    r = client.chat.completions.create(
        model=MODEL, messages=MSGS, tools=[tool, other], tool_choice=forced
    )
    assert (r.choices[0].message.tool_calls or [])[0].function.name == "other"
    schema = {"type": "object", "properties": {"title": {"type": "string"}}}
    fmt: Any = {"type": "json_schema", "json_schema": {"name": "Book", "schema": schema}}
    # json_schema is non-stream only on Groq (GROQ_2026.md §1.5); json_object streams.
    r = client.chat.completions.create(
        model="openai/gpt-oss-20b", messages=[{"role": "user", "content": "x"}], response_format=fmt
    )
    assert json.loads(r.choices[0].message.content or "") == {"title": "example"}
    chunks = stream_chunks(
        client, model="openai/gpt-oss-20b", response_format={"type": "json_object"}
    )
    assert isinstance(json.loads("".join(contents(chunks))), dict)


def test_bad_script_entries_fail_fast(groq_emulator: GroqEmulator) -> None:
    with pytest.raises(ValueError, match="no knob"):
        groq_emulator.enqueue("text", txt="typo")
    with pytest.raises(ValueError, match="unknown scenario"):
        groq_emulator.enqueue("nope")
    with pytest.raises(ValueError, match="usage_mode"):
        groq_emulator.enqueue("text", usage_mode="sometimes")
    assert ScriptEntry.from_header("429;retry_after=0").params == {"status": 429, "retry_after": 0}


# -- async, concurrency, lifecycle, isolation ------------------------------------------------------


async def test_async_client_stream(groq_emulator: GroqEmulator) -> None:
    groq_emulator.enqueue("tool_calls", calls=CALLS, style="parallel_one_delta")
    client = groq_emulator.async_client()
    try:
        stream = await client.chat.completions.create(model=MODEL, messages=MSGS, stream=True)
        chunks = [c async for c in stream]
        await stream.close()
    finally:
        await client.close()
    assert len(_assemble(chunks)) == 2


async def test_200_concurrent_streams(groq_emulator: GroqEmulator) -> None:
    limits = httpx.Limits(max_connections=250, max_keepalive_connections=250)
    body = {"model": MODEL, "messages": MSGS, "stream": True}

    async def one(h: httpx.AsyncClient) -> str:
        headers = {**AUTH, "x-emulator-scenario": "text;text=a b c d;delay=0.05"}
        async with h.stream("POST", "/openai/v1/chat/completions", json=body, headers=headers) as r:
            return "".join([line async for line in r.aiter_lines()])

    async with httpx.AsyncClient(base_url=groq_emulator.base_url, limits=limits, timeout=20) as h:
        texts = await asyncio.gather(*(one(h) for _ in range(200)))
    assert all(t.endswith("data: [DONE]") for t in texts)
    assert groq_emulator.connections_opened == 200
    assert groq_emulator.wait_for(
        lambda: sum(s.completed for s in groq_emulator.streams) == 200, timeout=5
    )


def test_start_stop_without_with_is_fast() -> None:
    started = time.monotonic()
    emu = GroqEmulator().start()
    assert emu.running and emu.base_url.startswith("http://127.0.0.1:")
    emu.stop()
    emu.stop()
    assert not emu.running and time.monotonic() - started < 1


def test_two_emulators_have_distinct_urls(
    groq_emulator: GroqEmulator, groq_emulator_factory: Callable[..., GroqEmulator]
) -> None:
    other = groq_emulator_factory()
    assert other.base_url != groq_emulator.base_url
    with other.client() as client:
        stream_chunks(client)
    assert len(other.requests) == 1 and groq_emulator.requests == []


def test_isolation_part_1_leaves_state_behind(
    groq_emulator: GroqEmulator, client: groq.Groq
) -> None:
    groq_emulator.enqueue("text").add_model("leaky").decommission(MODEL)
    client.models.list()


def test_isolation_part_2_starts_clean(groq_emulator: GroqEmulator) -> None:
    assert groq_emulator.pending == [] and groq_emulator.requests == []
    assert groq_emulator.connections_opened == 0 and groq_emulator.open_connections == 0
    assert "leaky" not in {m.id for m in groq_emulator.models}
    with groq_emulator.client() as client:
        assert client.chat.completions.create(model=MODEL, messages=MSGS).choices


def test_importing_groq_package_does_not_import_emulator() -> None:
    code = (
        "import sys, mirascope.core.groq; "
        "assert 'mirascope.core.groq.testing' not in sys.modules, 'emulator imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
