"""Every row of GROQ_WIRE.md §4.2 a client can meet, through `groq.call(..., stream=True)`.

Rows the emulator produces from the request itself (1-3, 6-10, 12) are triggered by a real
mistake in the call; rows 13-18 are scripted with `enqueue_error`. All of them come back before
the stream starts, so they keep the groq SDK's own exception types (never `GroqStreamError`),
surface at the first `next()`, leave an empty stream marked `error`, and release the connection.
Rows 4, 5 and 11 cannot be produced through `groq.call` (it always sends a JSON object with a
model, messages and generated tool schemas), and 499 is a server-side log status a client never
receives.
"""

from __future__ import annotations

from typing import Any

import groq as groq_sdk
import pytest
from groq_e2e_helpers import MODEL, TOOL_MODEL, GetWeather, ask
from reliability_helpers import RATE_LIMIT_HEADERS, in_flight, new_client, run

from mirascope.core.groq.errors import GroqStreamError


def _assert_pre_stream(stream, pairs, error, cls: type, status: int, code: str | None) -> None:
    assert type(error) is cls
    assert not isinstance(error, GroqStreamError)
    assert error.status_code == status
    assert error.response.status_code == status
    inner = error.body["error"]
    assert inner.get("code") == code
    assert isinstance(inner["message"], str) and inner["message"]
    assert error.message.startswith(f"Error code: {status} - ")
    assert error.response.headers["x-request-id"].startswith("req_")
    assert pairs == []
    assert stream.error is error
    assert stream.end_state == "error"
    assert stream.is_complete is False
    assert stream.content == ""
    assert stream.message_param == {"role": "assistant", "content": ""}
    assert stream.construct_call_response().finish_reasons == []


async def _assert_released_and_reusable(flavor, emu, client) -> None:
    """Nothing is checked out of the pool, and the same client streams fine afterwards."""
    assert in_flight(client) == 0
    emu.enqueue("text", text="Fine now.")
    stream, _, error = await run(flavor, client=client)
    assert error is None
    assert stream.content == "Fine now."
    assert in_flight(client) == 0


# -- rows the request itself triggers --------------------------------------------------------


async def test_row1_unknown_url_from_a_wrong_base_url(flavor, emu):
    client = new_client(flavor, base_url=emu.base_url + "/nope", api_key="gsk_test")
    stream, pairs, error = await run(flavor, client=client)
    _assert_pre_stream(stream, pairs, error, groq_sdk.NotFoundError, 404, "unknown_url")
    assert "/nope/openai/v1/chat/completions" in error.body["error"]["message"]
    assert in_flight(client) == 0


async def test_row2_invalid_api_key(flavor, emu):
    emu.enqueue_error(401)  # Groq's answer to a key it does not know
    stream, pairs, error = await run(flavor)
    _assert_pre_stream(stream, pairs, error, groq_sdk.AuthenticationError, 401, "invalid_api_key")
    assert error.body["error"]["message"] == "Invalid API Key"
    await _assert_released_and_reusable(flavor, emu, flavor.default_client)


async def test_row2_missing_bearer_token(flavor, emu):
    client = new_client(
        flavor,
        base_url=emu.base_url,
        api_key="unused",
        default_headers={"Authorization": "Token x"},
    )
    stream, pairs, error = await run(flavor, client=client)
    _assert_pre_stream(stream, pairs, error, groq_sdk.AuthenticationError, 401, "invalid_api_key")
    assert emu.requests[-1].has_bearer is False
    assert in_flight(client) == 0


async def test_row3_request_body_too_large(flavor, groq_emulator_factory):
    small = groq_emulator_factory(max_body_bytes=4096)
    flavor.emu = small
    client = flavor.client(small)
    stream, pairs, error = await run(flavor, ask, "x " * 4000, client=client)
    _assert_pre_stream(stream, pairs, error, groq_sdk.APIStatusError, 413, "request_too_large")
    await _assert_released_and_reusable(flavor, small, client)


async def test_row6_unknown_model(flavor, emu):
    stream, pairs, error = await run(flavor, model="no-such-model")
    _assert_pre_stream(stream, pairs, error, groq_sdk.NotFoundError, 404, "model_not_found")
    assert error.body["error"]["message"] == (
        "The model `no-such-model` does not exist or you do not have access to it."
    )
    await _assert_released_and_reusable(flavor, emu, flavor.default_client)


async def test_row7_decommissioned_model(flavor, emu):
    emu.decommission(MODEL)
    stream, pairs, error = await run(flavor)
    _assert_pre_stream(stream, pairs, error, groq_sdk.BadRequestError, 400, "model_decommissioned")
    assert error.body["error"]["message"].startswith(
        f"The model `{MODEL}` has been decommissioned and is no longer supported."
    )
    assert in_flight(flavor.default_client) == 0


async def test_row8_parameter_out_of_range(flavor, emu):
    stream, pairs, error = await run(flavor, call_params={"temperature": 3})
    _assert_pre_stream(stream, pairs, error, groq_sdk.BadRequestError, 400, None)
    assert error.body["error"]["param"] == "temperature"
    assert error.body["error"]["type"] == "invalid_request_error"
    await _assert_released_and_reusable(flavor, emu, flavor.default_client)


async def test_row9_json_mode_with_tools(flavor, emu):
    stream, pairs, error = await run(
        flavor,
        ask,
        "Weather as JSON",
        model=TOOL_MODEL,
        tools=[GetWeather],
        call_params={"response_format": {"type": "json_object"}},
    )
    _assert_pre_stream(stream, pairs, error, groq_sdk.BadRequestError, 400, None)
    assert error.body["error"]["param"] == "response_format"
    assert (
        error.body["error"]["message"] == "json mode cannot be combined with tool/function calling"
    )
    await _assert_released_and_reusable(flavor, emu, flavor.default_client)


async def test_row10_json_schema_on_a_model_without_it(flavor, emu):
    # json_schema is non-stream only (GROQ_2026.md §1.5; a stream refuses it before sending),
    # so row 10 is checked on a non-stream call.
    schema = {"name": "book", "schema": {"type": "object", "properties": {}}}
    emu.add_model("json-object-only", json_schema=False)
    fn = flavor.call(
        ask,
        "json-object-only",
        call_params={"response_format": {"type": "json_schema", "json_schema": schema}},
    )
    with pytest.raises(groq_sdk.BadRequestError) as info:
        await flavor.invoke(fn, "x")
    error: Any = info.value
    assert error.status_code == 400
    assert (
        error.body["error"]["message"] == "This model does not support response format json_schema"
    )
    assert in_flight(flavor.default_client) == 0


async def test_row12_context_length_exceeded(flavor, emu):
    emu.add_model("tiny-context", context_window=32)
    stream, pairs, error = await run(flavor, ask, "word " * 100, model="tiny-context")
    _assert_pre_stream(
        stream, pairs, error, groq_sdk.BadRequestError, 400, "context_length_exceeded"
    )
    await _assert_released_and_reusable(flavor, emu, flavor.default_client)


# -- rows 13-18, scripted ---------------------------------------------------------------------


async def test_row13_request_over_tpm(flavor, emu):
    emu.enqueue_error(413)
    stream, pairs, error = await run(flavor)
    _assert_pre_stream(stream, pairs, error, groq_sdk.APIStatusError, 413, "rate_limit_exceeded")
    assert error.body["error"]["type"] == "tokens"
    assert "tokens per minute (TPM)" in error.body["error"]["message"]
    await _assert_released_and_reusable(flavor, emu, flavor.default_client)


async def test_row14_rate_limited_with_retry_after(flavor, emu):
    emu.enqueue_error(429, retry_after="7")
    stream, pairs, error = await run(flavor)  # max_retries=0
    _assert_pre_stream(stream, pairs, error, groq_sdk.RateLimitError, 429, "rate_limit_exceeded")
    assert error.response.headers["retry-after"] == "7"
    for header in RATE_LIMIT_HEADERS:
        assert error.response.headers[header]
    assert "Please try again in" in error.body["error"]["message"]
    await _assert_released_and_reusable(flavor, emu, flavor.default_client)


async def test_row15_unprocessable(flavor, emu):
    emu.enqueue_error(422, code="semantic_error")
    stream, pairs, error = await run(flavor)
    _assert_pre_stream(
        stream, pairs, error, groq_sdk.UnprocessableEntityError, 422, "semantic_error"
    )
    await _assert_released_and_reusable(flavor, emu, flavor.default_client)


async def test_row16_flex_capacity_exceeded_is_not_retried(flavor, emu):
    emu.enqueue_error(498)
    client = flavor.client(max_retries=2)
    stream, pairs, error = await run(flavor, client=client)
    _assert_pre_stream(stream, pairs, error, groq_sdk.APIStatusError, 498, "capacity_exceeded")
    assert len(emu.requests) == 1
    await _assert_released_and_reusable(flavor, emu, client)


@pytest.mark.parametrize(
    ("status", "code"),
    [(500, "internal_server_error"), (502, "service_unavailable"), (503, "service_unavailable")],
)
async def test_row18_server_errors_after_retries(flavor, emu, status, code):
    emu.enqueue_error(status, retry_after="0.05").enqueue_error(status, retry_after="0.05")
    client = flavor.client(max_retries=1)
    stream, pairs, error = await run(flavor, client=client)
    _assert_pre_stream(stream, pairs, error, groq_sdk.InternalServerError, status, code)
    assert [r.status for r in emu.requests] == [status, status]
    await _assert_released_and_reusable(flavor, emu, client)
