"""`_post`: the request we post through the SDK client's `post()` is the one `create()` sends.

The comparison runs both through the real SDK to the emulator and compares what arrived (body
and headers), so any difference in routing (`extra_body`, `extra_headers`, `None` values,
`stream`) shows. The non-stream parse falls back to the SDK's lenient parse on a shape
pydantic refuses (a finish reason the SDK's `Literal` does not list), served by a raw server.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import groq as groq_sdk
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mirascope.core import groq
from mirascope.core.groq._post import apost_chat, post_chat
from mirascope.core.groq.testing import GroqEmulator

MODEL = "openai/gpt-oss-20b"
MSGS: list[Any] = [{"role": "user", "content": "Hi"}]
# Headers that differ per request (retry count, timeout) or per connection, not by routing.
_VOLATILE = {"x-stainless-read-timeout", "x-stainless-retry-count", "content-length"}

_params = st.fixed_dictionaries(
    {},
    optional={
        "temperature": st.one_of(st.none(), st.floats(0, 2, allow_nan=False)),
        "max_tokens": st.integers(1, 50),
        "stop": st.one_of(
            st.none(), st.text(min_size=1, max_size=3), st.lists(st.text(), max_size=2)
        ),
        "seed": st.integers(0, 9),
        "user": st.text(max_size=5),
        "extra_body": st.dictionaries(
            st.sampled_from(["service_tier", "x_k"]), st.text(max_size=3)
        ),
        "extra_headers": st.dictionaries(
            st.sampled_from(["x-a", "x-b"]), st.text("ab", max_size=3)
        ),
        "tools": st.just(
            [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}]
        ),
    },
)


def _sent(emu: GroqEmulator) -> tuple[object, dict[str, str]]:
    rec = emu.requests[-1]
    return rec.body, {k: v for k, v in rec.headers.items() if k not in _VOLATILE}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=_params, stream=st.booleans())
def test_post_sends_what_create_sends(
    groq_emulator: GroqEmulator, params: dict[str, Any], stream: bool
) -> None:
    kwargs = {"model": MODEL, "messages": MSGS, **params}
    with groq_emulator.client() as client:
        groq_emulator.enqueue("text", text="a")
        # Our non-stream calls never passed `stream`, so `create()` got none (no "stream" key).
        create: Any = client.chat.completions.with_raw_response.create
        create(**kwargs, **({"stream": True} if stream else {})).http_response.read()
        expected = _sent(groq_emulator)
        groq_emulator.enqueue("text", text="a")
        post_chat(client, kwargs, stream=stream).http_response.read()
        assert _sent(groq_emulator) == expected


def test_async_post_sends_what_create_sends(groq_emulator: GroqEmulator) -> None:
    kwargs = {"model": MODEL, "messages": MSGS, "max_tokens": 3, "extra_body": {"x_k": 1}}

    async def main() -> None:
        async with groq_emulator.async_client() as client:
            for stream in (False, True):
                groq_emulator.enqueue("text", text="a")
                create: Any = client.chat.completions.with_raw_response.create
                raw = await create(**kwargs, **({"stream": True} if stream else {}))
                await raw.http_response.aread()
                expected = _sent(groq_emulator)
                groq_emulator.enqueue("text", text="a")
                await (await apost_chat(client, kwargs, stream=stream)).http_response.aread()
                assert _sent(groq_emulator) == expected

    asyncio.run(main())


def test_timeout_and_status_errors_stay_the_sdks(groq_emulator: GroqEmulator) -> None:
    groq_emulator.enqueue_error(400, message="bad request")
    with groq_emulator.client(max_retries=0) as client:
        with pytest.raises(groq_sdk.BadRequestError, match="bad request"):
            post_chat(client, {"model": MODEL, "messages": MSGS, "timeout": 5.0})
        groq_emulator.enqueue_error(503).enqueue("text", text="ok")
        raw = post_chat(client.with_options(max_retries=1), {"model": MODEL, "messages": MSGS})
        assert raw.http_response.status_code == 200  # the SDK's retry, not ours


_ODD_COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": MODEL,
    "choices": [
        {
            "index": 0,
            "finish_reason": "eos",  # not in the SDK's Literal: pydantic refuses, construct() not
            "message": {"role": "assistant", "content": "hello"},
        }
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


@pytest.fixture
def odd_server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["content-length"]))
            body = json.dumps(_ODD_COMPLETION).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_completion_pydantic_refuses_is_parsed_leniently(odd_server: str) -> None:
    with groq_sdk.Groq(base_url=odd_server, api_key="k", max_retries=0) as client:

        @groq.call(MODEL, client=client)
        def hi() -> str:
            return "Hi"

        response = hi()
    assert response.content == "hello" and response.finish_reasons == ["eos"]


def test_async_a_completion_pydantic_refuses_is_parsed_leniently(odd_server: str) -> None:
    async def main() -> Any:
        async with groq_sdk.AsyncGroq(base_url=odd_server, api_key="k", max_retries=0) as client:

            @groq.call(MODEL, client=client)
            async def hi() -> str:
                return "Hi"

            return await hi()

    response = asyncio.run(main())
    assert response.content == "hello" and response.finish_reasons == ["eos"]


def test_request_options_equal_what_pydantic_constructs(groq_emulator: GroqEmulator) -> None:
    """`request_options` builds the instance by hand; it must be what `model_construct` gives."""
    import pydantic
    from groq._models import FinalRequestOptions

    from mirascope.core.groq._post import request_options

    kwargs = {"model": MODEL, "messages": MSGS, "timeout": 3.0, "extra_body": {"x": 1}}
    with groq_emulator.client() as client:
        ours = request_options(client, kwargs, True)
    construct: Any = pydantic.BaseModel.model_construct.__func__  # type: ignore[attr-defined]
    theirs = construct(FinalRequestOptions, ours.model_fields_set, **dict(ours.__dict__))
    assert ours == theirs and ours.model_fields_set == theirs.model_fields_set
    assert ours.__pydantic_extra__ == theirs.__pydantic_extra__
    assert ours.__pydantic_private__ == theirs.__pydantic_private__
    assert set(ours.__dict__) == set(FinalRequestOptions.model_fields)


def test_create_params_are_the_sdks_create_signature() -> None:
    import inspect

    from groq.resources.chat.completions import Completions

    from mirascope.core.groq._call import _create_params  # pyright: ignore[reportPrivateUsage]

    signature = frozenset(inspect.signature(Completions.create).parameters) - {"self"}
    assert _create_params() == signature


def test_the_url_cache_stays_bounded_with_a_client_per_request() -> None:
    """An app that builds a client per request must not grow the per-base-URL cache forever."""
    from mirascope.core.groq import _post

    for n in range(500):
        client = groq_sdk.Groq(api_key="k", base_url=f"http://127.0.0.1:{1024 + n}")
        url = _post.request_options(client, {"model": MODEL, "messages": MSGS}, False).url
        assert str(url) == f"http://127.0.0.1:{1024 + n}/openai/v1/chat/completions"
        client.close()
    assert len(_post._urls) <= 64  # pyright: ignore[reportPrivateUsage]
