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

import logging
from typing import Any

import httpx
from groq import AsyncGroq, AsyncStream, Groq, NotGiven, Stream
from groq._models import FinalRequestOptions  # what `post()` builds; same fields 0.35 to 1.x
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


_FIELDS = FinalRequestOptions.model_fields
_DEFAULTS = {name: f.default for name, f in _FIELDS.items() if not f.is_required()}
"""Every optional field's default, passed explicitly: pydantic would deep-copy each `NotGiven`."""
_GIVEN = frozenset({"method", "url", "json_data", "files", "content"} & set(_FIELDS))
"""The fields `post()` passes besides the options (`content` only where the SDK has it)."""
_new = FinalRequestOptions.__new__
_set = object.__setattr__
_urls: dict[int, tuple[httpx.URL, httpx.URL, str]] = {}
_MAX_URLS = 64
_sdk_log = logging.getLogger("groq._base_client")


def _url(client: Groq | AsyncGroq) -> httpx.URL | str:
    """The absolute chat URL of `client`'s current base URL, joined once per base URL.

    `_build_request` passes an absolute `httpx.URL` through unchanged, so the per-call parse and
    join of the relative path (`_prepare_url`) happen once. While the SDK's debug log is on it
    serialises the options, so it then gets the `str` that `FinalRequestOptions.url` is typed as.
    """
    base = client.base_url
    entry = _urls.get(id(base))
    if entry is None or entry[0] is not base:
        if len(_urls) >= _MAX_URLS:  # a client per request must not grow this without bound
            _urls.clear()
        joined = client._prepare_url(PATH)  # pyright: ignore[reportPrivateUsage]
        entry = _urls[id(base)] = (base, joined, str(joined))
    return entry[2] if _sdk_log.isEnabledFor(logging.DEBUG) else entry[1]


def request_options(client: Groq | AsyncGroq, kwargs: dict[str, Any], stream: bool) -> Any:
    """The `FinalRequestOptions` that `post()` would build from `create()`'s arguments.

    Example:
        ```python
        opts = request_options(client, {"model": "m", "messages": [], "timeout": 5.0}, False)
        assert opts.json_data == {"messages": [], "model": "m"} and opts.timeout == 5.0
        ```
    """
    body, options = split_request(kwargs, stream)
    values: dict[str, Any] = {**_DEFAULTS, "params": {}, **options}
    values["method"], values["url"] = "post", _url(client)
    values["json_data"] = body
    fields_set = {*_GIVEN, *options}
    # What pydantic's `model_construct` sets, without its per-field walk (every field is given;
    # the model has no private attributes and no extras). tests/test_post.py checks equality.
    opts = _new(FinalRequestOptions)
    _set(opts, "__dict__", values)
    _set(opts, "__pydantic_fields_set__", fields_set)
    _set(opts, "__pydantic_extra__", None)
    _set(opts, "__pydantic_private__", None)
    return opts


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
    options = request_options(client, kwargs, stream)
    return client.request(ChatCompletion, options, stream=stream, stream_cls=_STREAM_CLS)


async def apost_chat(client: AsyncGroq, kwargs: dict[str, Any], *, stream: bool = False) -> Any:
    """The async twin of `post_chat`."""
    options = request_options(client, kwargs, stream)
    return await client.request(ChatCompletion, options, stream=stream, stream_cls=_ASTREAM_CLS)


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
