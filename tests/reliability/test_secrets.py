"""The API key never leaks: not in the objects we build (streams, chunks, responses and their
JSON dumps), not in any log line (groq, httpx and httpcore at DEBUG), not in exception messages
(before or after the stream started), and not in the emulator's recordings.

The key is a distinctive fake, so a substring search is exact.
"""

from __future__ import annotations

import json
import logging
import traceback

import httpx
import pytest
from groq_e2e_helpers import TOOL_MODEL, GetWeather, ask
from reliability_helpers import SECRET_KEY, run

LOGGERS = ("groq", "httpx", "httpcore", "mirascope", "")


@pytest.fixture
def debug_logs(caplog):
    """Every logger at DEBUG: what `GROQ_LOG=debug` turns on, plus httpx and httpcore."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _texts(obj: object) -> list[str]:
    texts = [repr(obj), str(obj)]
    dump = getattr(obj, "model_dump_json", None)
    if callable(dump):
        texts.append(dump())
    return texts


def _assert_clean(*objects: object) -> None:
    for obj in objects:
        for text in _texts(obj):
            assert SECRET_KEY not in text, f"API key found in {type(obj).__name__}: {text[:200]}"


def _assert_error_clean(error: BaseException) -> None:
    _assert_clean(error, getattr(error, "body", None), getattr(error, "message", None))
    formatted = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    assert SECRET_KEY not in formatted
    partial = getattr(error, "partial", None)
    if partial is not None:
        _assert_clean(partial)


async def test_key_absent_from_streams_chunks_responses_and_logs(flavor, emu, debug_logs, capsys):
    client = flavor.client(api_key=SECRET_KEY)
    emu.enqueue("text", text="Hello there!")
    stream, pairs, error = await run(flavor, client=client)
    assert error is None
    emu.enqueue("tool_calls", calls=[("GetWeather", '{"city":"Paris"}')])
    tool_stream, tool_pairs, error = await run(
        flavor, ask, "Weather?", model=TOOL_MODEL, tools=[GetWeather], client=client
    )
    assert error is None
    tool = next(t for _, t in tool_pairs if t is not None)
    emu.enqueue("text", text="Not streamed.")
    response = await flavor.invoke(flavor.call(ask, client=client), "hi")
    assert response.content == "Not streamed."

    _assert_clean(stream, stream.construct_call_response(), stream.message_param)
    _assert_clean(tool_stream, tool_stream.construct_call_response(), tool)
    _assert_clean(*tool_stream.tool_message_params([(tool, tool.call())]))
    _assert_clean(response, response.response)
    for chunk, _ in [*pairs, *tool_pairs]:
        _assert_clean(chunk, chunk.chunk)

    # Every request was really sent with the key, and every log line was captured...
    assert all(r.has_bearer for r in emu.requests)
    assert any("HTTP Request: POST" in r.getMessage() for r in debug_logs.records)
    assert any("Request options" in r.getMessage() for r in debug_logs.records)
    assert any(r.name.startswith("httpcore") for r in debug_logs.records)
    # ...yet no log line, record argument or console output contains it.
    for record in debug_logs.records:
        assert SECRET_KEY not in record.getMessage(), record.name
    captured = capsys.readouterr()
    assert SECRET_KEY not in captured.out + captured.err


async def test_key_absent_from_dynamic_config_client_dumps(flavor, emu):
    client = flavor.client(api_key=SECRET_KEY)

    def prompt(question: str) -> dict:
        return {"messages": [{"role": "user", "content": question}], "client": client}

    emu.enqueue("text", text="Hi!")
    stream, _, error = await run(flavor, prompt, "hello", client=flavor.default_client)
    assert error is None
    assert emu.requests[-1].has_bearer
    _assert_clean(stream, stream.construct_call_response())
    emu.enqueue("text", text="Hi!")
    response = await flavor.invoke(flavor.call(prompt, client=flavor.default_client), "hello")
    _assert_clean(response)


@pytest.mark.parametrize(
    "script",
    [
        pytest.param({"scenario": 401}, id="401-before-stream"),
        pytest.param({"scenario": 429, "retry_after": "0"}, id="429-before-stream"),
        pytest.param({"scenario": 500}, id="500-before-stream"),
        pytest.param({"scenario": "error_event", "text": "Hi"}, id="error-event"),
        pytest.param({"scenario": "drop", "text": "Hi there friend"}, id="drop"),
        pytest.param({"scenario": "eof_no_done", "text": "Hi there friend"}, id="incomplete"),
        pytest.param(
            {"scenario": "stall", "text": "Hi there friend", "stall_seconds": 10}, id="timeout"
        ),
    ],
)
async def test_key_absent_from_errors(flavor, emu, debug_logs, script):
    emu.script([script])
    client = flavor.client(api_key=SECRET_KEY, timeout=0.3)
    stream, _, error = await run(flavor, client=client)
    assert error is not None
    _assert_error_clean(error)
    _assert_clean(stream)
    for record in debug_logs.records:
        assert SECRET_KEY not in record.getMessage(), record.name


async def test_key_absent_from_emulator_recordings(flavor, emu):
    client = flavor.client(api_key=SECRET_KEY)
    emu.enqueue("text", text="Hi!").enqueue_error(429, retry_after="0")
    await run(flavor, client=client)
    _, _, error = await run(flavor, client=client)
    assert error is not None
    assert [r.has_bearer for r in emu.requests] == [True, True]
    assert {r.headers["authorization"] for r in emu.requests} == {"Bearer ***"}
    assert SECRET_KEY not in repr(emu.requests)
    assert SECRET_KEY not in json.dumps([r.as_dict() for r in emu.requests], default=str)
    assert SECRET_KEY not in json.dumps([s.as_dict() for s in emu.streams], default=str)
    with httpx.Client() as http:
        served = http.get(f"{emu.base_url}/__emulator__/requests").text
        streams = http.get(f"{emu.base_url}/__emulator__/streams").text
    assert "Bearer ***" in served
    assert SECRET_KEY not in served
    assert SECRET_KEY not in streams
