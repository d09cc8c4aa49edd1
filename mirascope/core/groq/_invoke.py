"""One invocation of a decorated function: the request, the post or stream, the response.

`_call.py` holds the decorator and what it checks at decoration time; this module holds what
runs per call, and is imported on the first call (as `import groq` leaves `groq.resources.chat`
to the first `client.chat`), so `import mirascope.core.groq` and decorating a function load no
response, stream or SDK chat type.

Data path: prompt function → messages (`base._template`) → Groq message dicts (`_convert`) →
`create()` keyword arguments (`prepare`) → the SDK request (`_post`) → a `GroqCallResponse`
(`response_of`), or for streams SSE chunks (`_stream_source`) folded into a `GroqStream`
(`stream_of`). A bad template, message or parameter raises before any request; a stream sends
its request at the first `next()`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Callable, Generator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from groq import APIStatusError, AsyncGroq, Groq

from ..base._prompt_fn import get_prompt_template
from ..base._template import resolve_messages
from ..base.metadata import Metadata
from ..base.stream import now_ms
from ..base.stream_config import StreamOptions
from ._call import JSON_MODE_INSTRUCTION, _CallSpec, build_call_params
from ._checks import check_client, qualname
from ._client import default_async_client, default_client
from ._convert import convert_message_params
from ._post import aparse_completion, apost_chat, parse_completion, post_chat
from ._stream_source import ToolResolver, aiter_pairs, iter_pairs
from .call_response import GroqCallResponse
from .errors import GroqCapacityExceededError
from .service_tiers import FlexPolicy
from .stream import GroqStream
from .tool import GroqTool, convert_tools

if TYPE_CHECKING:
    from groq.types.chat import ChatCompletionMessageParam


def _apply_json_mode(messages: list[Any], params: dict[str, Any], has_tools: bool) -> None:
    # Groq rejects JSON mode together with tools, so with tools only the instruction is added.
    from ._extract import append_instruction

    if not has_tools and "response_format" not in params:
        params["response_format"] = {"type": "json_object"}
    append_instruction(messages, JSON_MODE_INSTRUCTION)


def _v1_dynamic_config(template: str | None, returned: object, messages: Sequence[Any]) -> Any:
    # v1 records what the function returned (a dict, or None under a template), and for a
    # shorthand function (str / list of messages) {"messages": <those messages>}.
    if isinstance(returned, dict) or template is not None:
        return cast(Any, returned)
    return {"messages": list(messages)}


def _refuse_json_schema_stream(params: dict[str, Any]) -> None:
    # Groq: "Streaming and tool use are not currently supported with Structured Outputs"
    # (GROQ_2026.md §1.5); refuse here rather than let the request fail with a 400.
    extra: Any = params.get("extra_body") or {}
    formats: list[Any] = [params.get("response_format"), extra.get("response_format")]
    if any(isinstance(f, dict) and cast(Any, f).get("type") == "json_schema" for f in formats):
        raise ValueError(
            "response_format json_schema cannot be used with stream=True: Groq does not support "
            "streaming with Structured Outputs. Use json_mode=True (json_object) or a "
            "response_model (forced tool) for a structured stream, or call without stream=True."
        )


_FIRST: list[str | None] = [None]


def _is_flex(call: _Call) -> bool:
    extra: Any = call.call_kwargs.get("extra_body") or {}
    return "flex" in (call.call_kwargs.get("service_tier"), extra.get("service_tier"))


def _tiers(call: _Call) -> list[str | None]:
    """The tier override of each attempt: first as asked, then the policy's plan."""
    return _FIRST + (call.flex_policy.plan() if call.flex_policy is not None else [])


def _with_tier(kwargs: dict[str, Any], tier: str | None) -> dict[str, Any]:
    if tier is None:
        return kwargs
    extra: dict[str, Any] = dict(kwargs.get("extra_body") or {})
    extra.pop("service_tier", None)
    return {**kwargs, "extra_body": extra, "service_tier": tier}


def _answered_on(call: _Call, tier: str | None) -> None:
    """Record in `call.call_kwargs` (the stream's or response's) the tier that answered."""
    if tier is not None:
        sent = _with_tier(call.call_kwargs, tier)
        if not sent["extra_body"]:
            del sent["extra_body"]
        call.call_kwargs.clear()
        call.call_kwargs.update(sent)


def _on_status_error(exc: APIStatusError, call: _Call, n: int) -> float:
    """Re-raise anything but a 498 with attempts left (typed); else the wait before the next."""
    if exc.status_code != 498:
        raise exc
    if call.flex_policy is None or n == len(_tiers(call)) - 1:
        raise GroqCapacityExceededError.of(exc) from exc
    return call.flex_policy.delay(n)


def _flex_pairs(
    client: Groq, call: _Call, resolver: ToolResolver, options: StreamOptions
) -> Generator[Any, None, None]:
    """`iter_pairs` with 498 typed and the flex policy applied before the first chunk."""
    attempts = _tiers(call)
    for n, tier in enumerate(attempts):
        source = iter_pairs(client, _with_tier(call.call_kwargs, tier), resolver, options)
        try:
            first = next(source)
        except StopIteration:
            return
        except APIStatusError as exc:
            time.sleep(_on_status_error(exc, call, n))
            continue
        _answered_on(call, tier)
        yield first
        yield from source
        return


async def _aflex_pairs(
    client: AsyncGroq, call: _Call, resolver: ToolResolver, options: StreamOptions
) -> AsyncGenerator[Any, None]:
    """The async twin of `_flex_pairs`."""
    attempts = _tiers(call)
    for n, tier in enumerate(attempts):
        source = aiter_pairs(client, _with_tier(call.call_kwargs, tier), resolver, options)
        try:
            first = await source.__anext__()
        except StopAsyncIteration:
            return
        except APIStatusError as exc:
            await asyncio.sleep(_on_status_error(exc, call, n))
            continue
        _answered_on(call, tier)
        try:
            yield first
            async for pair in source:
                yield pair
        finally:
            await source.aclose()  # an early exit closes the HTTP response now, not at GC
        return


@dataclass
class _Call:
    """Everything one invocation sends and records."""

    prompt_template: str | None
    fn_args: dict[str, Any]
    dynamic_config: Any
    """What v1 records as `response.dynamic_config` (see `_v1_dynamic_config`)."""
    messages: list[ChatCompletionMessageParam]
    tool_types: list[type[GroqTool]] | None
    call_params: dict[str, Any]
    call_kwargs: dict[str, Any]
    metadata: Metadata
    client: Groq | AsyncGroq | None
    flex_policy: FlexPolicy | None = None
    """Opt-in retries / fallback for flex's 498 (`service_tiers`)."""


def prepare(
    spec: _CallSpec, fn: Callable[..., Any], fn_args: dict[str, Any], returned: object
) -> _Call:
    """One invocation's request: messages, tools and `create()` keyword arguments."""
    template = get_prompt_template(fn)
    messages, dynamic_config = resolve_messages(template, returned, fn_args)
    groq_messages = convert_message_params(messages)
    tools = dynamic_config.get("tools", spec.tools)
    if spec.extraction is not None and spec.stream:
        tools = None  # a structured stream offers only its own schema (B8)
    builtins: Sequence[Any] = ()
    if tools:
        from .builtin_tools import split_builtin_tools

        tools, builtins = split_builtin_tools(tools, spec.model)
    tool_types = convert_tools(tools) if tools else None
    decorator_params = dict(spec.call_params or {})
    dynamic_params = dict(dynamic_config.get("call_params") or {})
    flex_policy = dynamic_params.pop("flex_policy", None) or decorator_params.pop(
        "flex_policy", None
    )
    params = build_call_params(decorator_params, dynamic_params)
    if spec.stream:
        _refuse_json_schema_stream(params)
    if spec.extraction is not None:
        tool_types = spec.extraction.prepare(
            groq_messages, params, tool_types, spec.model, stream=spec.stream
        )
    elif spec.json_mode:
        _apply_json_mode(groq_messages, params, has_tools=bool(tool_types))
    call_kwargs: dict[str, Any] = {**params, "model": spec.model, "messages": groq_messages}
    if tool_types:
        call_kwargs["tools"] = [t.tool_schema() for t in tool_types]
    if builtins:  # server-side tools go after the user's (issue 10)
        call_kwargs["tools"] = [
            *call_kwargs.get("tools", []),
            *(b.tool_param() for b in builtins),
        ]
    metadata = dynamic_config.get("metadata", getattr(fn, "_metadata", None) or {})
    return _Call(
        prompt_template=template,
        fn_args=fn_args,
        dynamic_config=_v1_dynamic_config(template, returned, messages),
        messages=groq_messages,
        tool_types=tool_types,
        call_params=dict(spec.call_params or {}),
        call_kwargs=call_kwargs,
        metadata=metadata,
        client=dynamic_config.get("client") or spec.client,  # this call only (B9)
        flex_policy=flex_policy,
    )


def resolver(spec: _CallSpec, call: _Call) -> ToolResolver:
    """Assembles a stream's tool calls (building no tools for a structured stream)."""
    if spec.extraction is not None:
        return spec.extraction.resolver()
    return ToolResolver(call.tool_types, partial_tools=spec.stream_options.partial_tools)


def stream_of(spec: _CallSpec, call: _Call, source: Any, resolver: ToolResolver) -> Any:
    """The `GroqStream` (or structured stream) over `source`."""
    stream = GroqStream(
        stream=source,
        metadata=call.metadata,
        tool_types=call.tool_types,
        call_response_type=GroqCallResponse,
        model=spec.model,
        prompt_template=call.prompt_template,
        fn_args=call.fn_args,
        dynamic_config=call.dynamic_config,
        messages=cast(Any, call.messages),
        call_params=cast(Any, call.call_params),
        call_kwargs=call.call_kwargs,
    )
    stream._tool_call_source = resolver.assembler
    stream._invalid_tool_calls = resolver.invalid
    stream._headers_source = resolver  # its `headers` are set once they arrive
    if spec.extraction is not None:
        return spec.extraction.structured_stream(stream, call.fn_args)
    return stream


def response_of(
    spec: _CallSpec,
    call: _Call,
    completion: Any,
    start: float,
    end: float,
    headers: Any = None,
    response_type: type[GroqCallResponse] | None = None,
) -> Any:
    """The call's result: the response, or its extraction / parsed output (batch results
    pass `GroqBatchResponse`, whose `.cost` is the batch price; default `GroqCallResponse`)."""
    response = (response_type or GroqCallResponse)(
        metadata=call.metadata,
        response=completion,
        tool_types=call.tool_types,
        prompt_template=call.prompt_template,
        fn_args=call.fn_args,
        dynamic_config=call.dynamic_config,
        messages=call.messages,
        call_params=cast(Any, call.call_params),
        call_kwargs=call.call_kwargs,
        user_message_param=GroqStream._user_message_param_of(call.messages),
        start_time=start,
        end_time=end,
    )
    response._http_headers = headers  # pyright: ignore[reportPrivateUsage]
    result: Any = response
    if spec.extraction is not None:
        result = spec.extraction.extract(response)
        if result is response:  # response_model + tools: a tool was called
            return response
    return spec.output_parser(result) if spec.output_parser else result


def run(spec: _CallSpec, fn: Callable[..., Any], fn_args: dict[str, Any], returned: object) -> Any:
    """A sync call: the response (posted now), or the stream (posted at its first `next()`)."""
    call = prepare(spec, fn, fn_args, returned)
    client = cast(Groq, call.client or default_client())
    check_client(client, is_async=False, name=qualname(fn))
    if spec.stream:
        tools = resolver(spec, call)
        if call.flex_policy is not None or _is_flex(call):
            source = _flex_pairs(client, call, tools, spec.stream_options)
        else:
            source = iter_pairs(client, call.call_kwargs, tools, spec.stream_options)
        return stream_of(spec, call, source, tools)
    start = now_ms()
    # The raw response keeps the headers (rate limits, request id; issue 10).
    raw: Any = None
    for n, tier in enumerate(_tiers(call)):
        try:
            raw = post_chat(client, _with_tier(call.call_kwargs, tier))
            _answered_on(call, tier)
            break
        except APIStatusError as exc:
            time.sleep(_on_status_error(exc, call, n))
    completion = parse_completion(raw)
    return response_of(spec, call, completion, start, now_ms(), raw.headers)


async def arun(
    spec: _CallSpec, fn: Callable[..., Any], fn_args: dict[str, Any], returned: object
) -> Any:
    """The async twin of `run`."""
    call = prepare(spec, fn, fn_args, returned)
    client = cast(AsyncGroq, call.client or default_async_client())
    check_client(client, is_async=True, name=qualname(fn))
    if spec.stream:
        tools = resolver(spec, call)
        if call.flex_policy is not None or _is_flex(call):
            source = _aflex_pairs(client, call, tools, spec.stream_options)
        else:
            source = aiter_pairs(client, call.call_kwargs, tools, spec.stream_options)
        return stream_of(spec, call, source, tools)
    start = now_ms()
    raw: Any = None
    for n, tier in enumerate(_tiers(call)):
        try:
            raw = await apost_chat(client, _with_tier(call.call_kwargs, tier))
            _answered_on(call, tier)
            break
        except APIStatusError as exc:
            await asyncio.sleep(_on_status_error(exc, call, n))
    completion = await aparse_completion(raw)
    return response_of(spec, call, completion, start, now_ms(), raw.headers)
