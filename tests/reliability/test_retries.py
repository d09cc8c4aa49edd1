"""Retries before the first byte (GROQ_WIRE.md §2.1, transcript H), through `groq.call(...,
stream=True)`, sync and async.

The groq SDK retries 408, 409, 429 and 5xx (honouring `retry-after` / `retry-after-ms` up to
60 s, and `x-should-retry`), never any other status, and never once the stream has started. The
request is sent at the first `next()`, so every retry and every error happens there.
"""

from __future__ import annotations

import itertools
import time

import groq as groq_sdk
import pytest
from groq_e2e_helpers import TOOL_MODEL, GetWeather, ask
from reliability_helpers import RATE_LIMIT_HEADERS, consume_with_retries, in_flight, run

from mirascope.core.groq.errors import GroqStreamError

TEXT = "Recovered after retries."
MIN_DEFAULT_BACKOFF = 0.375  # the SDK's first backoff without retry-after: 0.5 s x jitter [0.75, 1]


def _gaps(emu) -> list[float]:
    times = [r.received_at for r in emu.requests]
    return [b - a for a, b in itertools.pairwise(times)]


def _assert_succeeded(stream, pairs, error, emu, statuses: list[int]) -> None:
    assert error is None
    assert stream.content == TEXT
    assert "".join(c.content for c, _ in pairs) == TEXT  # one copy: nothing was replayed
    assert stream.is_complete is True
    assert stream.error is None
    assert [r.status for r in emu.requests] == statuses
    assert [r.headers["x-stainless-retry-count"] for r in emu.requests] == [
        str(i) for i in range(len(statuses))
    ]
    assert len(emu.streams) == 1
    assert emu.streams[0].request_index == len(statuses) - 1


async def test_h_429_429_200_honours_retry_after(flavor, emu):
    emu.enqueue_error(429, retry_after="0.2").enqueue_error(429, retry_after="0.2")
    emu.enqueue("text", text=TEXT)
    client = flavor.client(max_retries=2)
    stream, pairs, error = await run(flavor, client=client)
    _assert_succeeded(stream, pairs, error, emu, [429, 429, 200])
    gaps = _gaps(emu)
    assert len(gaps) == 2
    # Waited the retry-after (0.2 s), not the default backoff (at least 0.375 s).
    assert all(0.2 <= gap < MIN_DEFAULT_BACKOFF for gap in gaps), gaps
    assert in_flight(client) == 0


async def test_retry_after_ms_takes_precedence(flavor, emu):
    emu.enqueue_error(429, retry_after="5", retry_after_ms=150).enqueue("text", text=TEXT)
    client = flavor.client(max_retries=1)
    stream, pairs, error = await run(flavor, client=client)
    _assert_succeeded(stream, pairs, error, emu, [429, 200])
    (gap,) = _gaps(emu)
    assert 0.15 <= gap < MIN_DEFAULT_BACKOFF


async def test_retry_after_over_60s_is_ignored_for_default_backoff(flavor, emu):
    emu.enqueue_error(429, retry_after="61").enqueue("text", text=TEXT)
    client = flavor.client(max_retries=1)
    started = time.monotonic()
    stream, pairs, error = await run(flavor, client=client)
    _assert_succeeded(stream, pairs, error, emu, [429, 200])
    (gap,) = _gaps(emu)
    assert MIN_DEFAULT_BACKOFF <= gap < 1.5
    assert time.monotonic() - started < 5


async def test_503_then_200_uses_default_backoff(flavor, emu):
    emu.enqueue_error(503).enqueue("text", text=TEXT)
    client = flavor.client(max_retries=2)
    stream, pairs, error = await run(flavor, client=client)
    _assert_succeeded(stream, pairs, error, emu, [503, 200])
    (gap,) = _gaps(emu)
    assert MIN_DEFAULT_BACKOFF <= gap < 1.5


@pytest.mark.parametrize("status", [408, 409, 500, 502, 503])
async def test_retried_status_then_200(flavor, emu, status):
    emu.enqueue_error(status, retry_after="0.05").enqueue("text", text=TEXT)
    client = flavor.client(max_retries=2)
    stream, pairs, error = await run(flavor, client=client)
    _assert_succeeded(stream, pairs, error, emu, [status, 200])
    (gap,) = _gaps(emu)
    assert 0.05 <= gap < MIN_DEFAULT_BACKOFF


async def test_h_429_retries_exhausted_raise_rate_limit_error(flavor, emu):
    for _ in range(3):
        emu.enqueue_error(429, retry_after="0.05")
    emu.enqueue("text", text=TEXT)  # never reached
    client = flavor.client(max_retries=2)
    stream, pairs, error = await run(flavor, client=client)
    assert type(error) is groq_sdk.RateLimitError
    assert not isinstance(error, GroqStreamError)
    assert error.status_code == 429
    assert error.response.headers["retry-after"] == "0.05"
    for header in RATE_LIMIT_HEADERS:
        assert error.response.headers[header]
    assert error.body["error"]["code"] == "rate_limit_exceeded"
    assert [r.status for r in emu.requests] == [429, 429, 429]
    assert len(emu.pending) == 1
    assert pairs == []
    assert stream.error is error
    assert stream.end_state == "error"
    assert stream.content == ""
    assert stream.message_param == {"role": "assistant", "content": ""}
    assert in_flight(client) == 0


async def test_should_retry_false_stops_sdk_retries(flavor, emu):
    emu.enqueue_error(503, should_retry=False, retry_after="0.05").enqueue("text", text=TEXT)
    client = flavor.client(max_retries=2)
    _, pairs, error = await run(flavor, client=client)
    assert type(error) is groq_sdk.InternalServerError
    assert error.status_code == 503
    assert error.response.headers["x-should-retry"] == "false"
    assert [r.status for r in emu.requests] == [503]
    assert pairs == []
    assert in_flight(client) == 0


async def test_should_retry_true_retries_a_400(flavor, emu):
    emu.enqueue_error(400, should_retry=True, retry_after="0.05").enqueue("text", text=TEXT)
    client = flavor.client(max_retries=2)
    stream, pairs, error = await run(flavor, client=client)
    _assert_succeeded(stream, pairs, error, emu, [400, 200])


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, groq_sdk.BadRequestError),
        (401, groq_sdk.AuthenticationError),
        (403, groq_sdk.PermissionDeniedError),
        (404, groq_sdk.NotFoundError),
        (413, groq_sdk.APIStatusError),
        (422, groq_sdk.UnprocessableEntityError),
        (498, groq_sdk.APIStatusError),
    ],
)
async def test_non_retried_status_raises_at_once_with_headers(flavor, emu, status, error_type):
    emu.enqueue_error(status, retry_after="3").enqueue("text", text=TEXT)
    client = flavor.client(max_retries=2)
    stream = await flavor.invoke(flavor.call(ask, stream=True, client=client), "Say hello")
    assert emu.requests == []  # nothing is sent before the first next()
    started = time.monotonic()
    with pytest.raises(groq_sdk.APIStatusError) as info:
        if flavor.is_async:
            await stream.__aiter__().__anext__()
        else:
            next(iter(stream))
    assert time.monotonic() - started < 2.5  # a retry would have waited the 3 s retry-after
    error = info.value
    assert type(error) is error_type
    assert error.status_code == status
    assert error.response.headers["retry-after"] == "3"
    assert error.response.headers["x-request-id"].startswith("req_")
    for header in RATE_LIMIT_HEADERS:
        assert error.response.headers[header]
    assert [r.status for r in emu.requests] == [status]
    assert len(emu.pending) == 1
    assert stream.error is error
    assert stream.end_state == "error"
    assert in_flight(client) == 0


# -- opt-in: stream={"max_retries_before_first_chunk": n} -----------------------------------
# The stream is re-sent only while nothing has been yielded (leading chunks that carry nothing
# are held back), so text is never duplicated; once content was yielded a failure raises.

SAFE_RETRY = {"max_retries_before_first_chunk": 1}


async def test_opt_in_retry_after_first_event_error(flavor, emu):
    emu.enqueue("error_event", first=True).enqueue("text", text=TEXT)
    stream, pairs, error = await run(flavor, stream=SAFE_RETRY)
    assert error is None
    assert stream.content == TEXT
    assert "".join(c.content for c, _ in pairs) == TEXT
    assert [c.chunk.choices[0].delta.role for c, _ in pairs].count("assistant") == 1
    assert stream.is_complete is True
    assert [r.status for r in emu.requests] == [200, 200]
    assert [s.scenario for s in emu.streams] == ["error_event", "text"]
    assert in_flight(flavor.default_client) == 0


async def test_opt_in_retry_after_role_only_chunk_then_error(flavor, emu):
    emu.enqueue("error_event").enqueue("text", text=TEXT)  # role chunk, then the error
    stream, pairs, error = await run(flavor, stream=SAFE_RETRY)
    assert error is None
    assert stream.content == TEXT
    assert [c.chunk.choices[0].delta.role for c, _ in pairs].count("assistant") == 1
    assert len(emu.requests) == 2


async def test_opt_in_retry_after_drop_before_content(flavor, emu):
    emu.enqueue("drop", text="lost", after=0).enqueue("text", text=TEXT)
    stream, _, error = await run(flavor, stream=SAFE_RETRY)
    assert error is None
    assert stream.content == TEXT
    assert len(emu.requests) == 2
    assert emu.streams[0].fault == "drop"


async def test_opt_in_retry_after_first_chunk_timeout(flavor, emu):
    emu.enqueue_raw([b": ping\n\n", b"data: [DONE]\n\n"], delay=20)
    emu.enqueue("text", text=TEXT)
    started = time.monotonic()
    stream, _, error = await run(
        flavor, stream={"first_chunk_timeout": 0.3, "max_retries_before_first_chunk": 1}
    )
    assert time.monotonic() - started < 3
    assert error is None
    assert stream.content == TEXT
    assert len(emu.requests) == 2
    assert await flavor.wait_for(lambda: emu.streams[0].client_closed_early)


async def test_opt_in_retry_never_after_content_was_yielded(flavor, emu):
    emu.enqueue("text", text="Hello there friend", fault="drop", after=2)
    emu.enqueue("text", text=TEXT)
    stream, pairs, error = await run(flavor, stream={"max_retries_before_first_chunk": 3})
    assert isinstance(error, GroqStreamError)
    assert error.kind == "dropped"
    assert stream.content == "Hello there"
    assert "".join(c.content for c, _ in pairs) == "Hello there"
    assert len(emu.requests) == 1
    assert len(emu.pending) == 1


async def test_opt_in_retries_exhausted_raise_the_last_error(flavor, emu):
    emu.enqueue("error_event", first=True, code="first_failure")
    emu.enqueue("error_event", first=True, code="second_failure")
    emu.enqueue("text", text=TEXT)
    stream, pairs, error = await run(flavor, stream=SAFE_RETRY)
    assert isinstance(error, GroqStreamError)
    assert error.kind == "error_event"
    assert error.code == "second_failure"
    assert pairs == []
    assert stream.content == ""
    assert stream.error is error
    assert len(emu.requests) == 2
    assert len(emu.pending) == 1


async def test_without_opt_in_a_first_event_error_is_not_retried(flavor, emu):
    emu.enqueue("error_event", first=True).enqueue("text", text=TEXT)
    _, _, error = await run(flavor)
    assert isinstance(error, GroqStreamError)
    assert error.kind == "error_event"
    assert len(emu.requests) == 1
    assert len(emu.pending) == 1


async def test_opt_in_retry_of_a_tool_stream_yields_each_tool_once(flavor, emu):
    emu.enqueue("error_event")
    emu.enqueue("tool_calls", calls=[("GetWeather", '{"city":"Paris"}')])
    stream, pairs, error = await run(
        flavor, ask, "Weather?", model=TOOL_MODEL, tools=[GetWeather], stream=SAFE_RETRY
    )
    assert error is None
    assert [t.city for _, t in pairs if t is not None] == ["Paris"]
    assert len(stream.message_param["tool_calls"]) == 1
    assert len(emu.requests) == 2


# -- the documented tenacity pattern (docs/reliability.md): retry the consumer, not the call ---


async def test_tenacity_around_the_consumer_recovers_from_a_drop(flavor, emu):
    emu.enqueue("drop", text="Hello there friend", after=2).enqueue("text", text=TEXT)
    fn = flavor.call(ask, stream=True)
    content = await consume_with_retries(flavor, fn)
    assert content == TEXT
    assert len(emu.requests) == 2
    assert [s.fault for s in emu.streams] == ["drop", None]
