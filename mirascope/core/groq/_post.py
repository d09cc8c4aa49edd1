"""Posting a chat request through the SDK client's own `post()`, without `create()`'s re-walk.

`chat.completions.create()` passes its arguments through `maybe_transform`, which walks every
value against the `CompletionCreateParams` TypedDict: about a quarter of a short call's
instructions (bench/RESULTS.md, per-call profile). Our request body is already plain JSON data
(messages from `_convert`, tool schemas, routed call params) and the chat params declare no
aliases or formats, so the walk returns it unchanged; `post()` sends it as is.

Invariants:
- Everything after the body stays the SDK's: auth headers, retries and their backoff, status
  errors (`groq.APIStatusError` and subclasses), timeouts and `extra_body` merging. The result is
  the same `APIResponse` that `with_raw_response.create()` returns, headers included.
- `extra_headers`, `extra_query`, `extra_body` and `timeout` are request options, not body keys,
  exactly as in `create()`; `NotGiven` values are dropped, `None` values are sent as `null`.
- The body starts with `messages` and `model`, in `create()`'s order.
"""

from __future__ import annotations

from typing import Any

from groq import AsyncGroq, AsyncStream, Groq, NotGiven, Stream
from groq.types.chat import ChatCompletion, ChatCompletionChunk

PATH = "/openai/v1/chat/completions"
_RAW_HEADER = "X-Stainless-Raw-Response"
"""`groq._constants.RAW_RESPONSE_HEADER`: asks `request()` for the raw `APIResponse`."""
_STREAM_CLS = Stream[ChatCompletionChunk]
_ASTREAM_CLS = AsyncStream[ChatCompletionChunk]
_OPTIONS = {
    "extra_headers": "headers",
    "extra_query": "params",
    "extra_body": "extra_json",
    "timeout": "timeout",
}


def split_request(kwargs: dict[str, Any], stream: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """`create()` keyword arguments → (JSON body, SDK request options).

    Example:
        ```python
        body, options = split_request({"model": "m", "messages": [], "timeout": 5.0}, False)
        assert body == {"messages": [], "model": "m"} and options["timeout"] == 5.0
        ```
    """
    body: dict[str, Any] = {"messages": kwargs.get("messages"), "model": kwargs.get("model")}
    options: dict[str, Any] = {}
    for key, value in kwargs.items():
        if isinstance(value, NotGiven):
            continue
        option = _OPTIONS.get(key)
        if option is None:
            body[key] = value
        elif value is not None or option == "timeout":
            options[option] = value
    if stream:
        body["stream"] = True
    options["headers"] = {**(options.get("headers") or {}), _RAW_HEADER: "raw"}
    return body, options


def post_chat(client: Groq, kwargs: dict[str, Any], *, stream: bool = False) -> Any:
    """`client.chat.completions.with_raw_response.create(**kwargs, stream=stream)`, cheaper.

    Example:
        ```python
        raw = post_chat(client, {"model": "openai/gpt-oss-20b", "messages": messages})
        completion = parse_completion(raw)
        ```
    """
    body, options = split_request(kwargs, stream)
    return client.post(
        PATH,
        body=body,
        options=options,  # pyright: ignore[reportArgumentType]
        cast_to=ChatCompletion,
        stream=stream,
        stream_cls=_STREAM_CLS,
    )


async def apost_chat(client: AsyncGroq, kwargs: dict[str, Any], *, stream: bool = False) -> Any:
    """The async twin of `post_chat`."""
    body, options = split_request(kwargs, stream)
    return await client.post(
        PATH,
        body=body,
        options=options,  # pyright: ignore[reportArgumentType]
        cast_to=ChatCompletion,
        stream=stream,
        stream_cls=_ASTREAM_CLS,
    )


_validate_json = ChatCompletion.model_validate_json


def parse_completion(raw: Any) -> ChatCompletion:
    """The `ChatCompletion` of a non-stream raw response (what `raw.parse()` returns).

    pydantic-core validates the body in one pass; a shape it refuses falls back to the SDK's
    lenient `construct()` through `raw.parse()`, so nothing the SDK accepts is lost.
    """
    try:
        return _validate_json(raw.http_response.read())
    except ValueError:
        return raw.parse()


async def aparse_completion(raw: Any) -> ChatCompletion:
    """The async twin of `parse_completion`."""
    try:
        return _validate_json(await raw.http_response.aread())
    except ValueError:
        return await raw.parse()
