"""`groq_call`: the decorator that turns a prompt function into a Groq call.

Data path: prompt function → messages (`base._template`) → Groq message dicts (`_convert`) →
`create()` keyword arguments (here) → the SDK request → a `GroqCallResponse`, or for streams
SSE chunks (`_stream_source`) folded into a `GroqStream`. All set-up runs at call time, so a bad
template, message or parameter raises before any request; a stream sends its request at the
first `next()`.
"""

from __future__ import annotations

import asyncio
import difflib
import inspect
import time
import warnings
import weakref
from collections.abc import AsyncGenerator, Callable, Coroutine, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, wraps
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, cast, overload

from groq import APIStatusError, AsyncGroq, Groq
from groq.types.chat import ChatCompletionMessageParam
from groq.types.chat.completion_create_params import CompletionCreateParams
from typing_extensions import ParamSpec

from ..base._template import resolve_messages
from ..base.call_params import CommonCallParams
from ..base.metadata import Metadata
from ..base.prompt import get_original_fn, get_prompt_template
from ..base.stream import now_ms
from ..base.stream_config import StreamConfig
from ..base.tool import BaseTool
from ._bulk import AsyncGroqCall, BoundCall, GroqCall, attach_bulk
from ._checks import check_client, check_tools, is_stream, qualname
from ._client import default_async_client, default_client
from ._convert import convert_message_params
from ._post import aparse_completion, apost_chat, parse_completion, post_chat
from ._stream_source import StreamOptions, ToolResolver, aiter_pairs, iter_pairs
from .call_params import GroqCallParams
from .call_response import GroqCallResponse
from .errors import GroqCapacityExceededError
from .service_tiers import FlexPolicy
from .stream import GroqStream
from .tool import GroqTool, convert_tools

if TYPE_CHECKING:  # response models and built-in tools load on first use: a plain call needs none
    from ..base.structured_stream import BaseStructuredStream
    from ._extract import Extraction
    from .builtin_tools import BuiltinTool

    _Tools = Sequence[type[BaseTool] | Callable[..., Any] | BuiltinTool]


# v1.25.7's wording for JSON mode without a response model.
JSON_MODE_INSTRUCTION = (
    "For your final response, output ONLY a valid JSON dict that adheres to the schema"
)

_COMMON_KEYS = frozenset(CommonCallParams.__optional_keys__)
_GROQ_KEYS = frozenset(GroqCallParams.__optional_keys__)
_RESERVED_KEYS = frozenset({"model", "messages", "stream"})
"""Set by the decorator itself: refused in `call_params` and never offered as a valid key."""


_REQUEST_OPTIONS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})


@cache
def _create_params() -> frozenset[str]:
    """The keyword arguments the installed SDK's `create()` accepts.

    Read from its `CompletionCreateParams` (the same set as `create()`'s signature from 0.35 to
    1.x, checked in tests/test_post.py), so `groq.resources` (which `import groq` defers to the
    first `client.chat`) is not imported for it.
    """
    params = CompletionCreateParams
    return params.__required_keys__ | params.__optional_keys__ | _REQUEST_OPTIONS


def build_call_params(
    decorator_params: Mapping[str, Any] | None, dynamic_params: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Merge decorator and dynamic params (dynamic wins) and route keys for `create()`.

    An all-common dict (`CommonCallParams`) drops `None` values. Groq keys the installed SDK's
    `create()` does not take go through `extra_body`; any other unknown key raises ValueError.
    """
    merged: dict[str, Any] = {**(decorator_params or {}), **(dynamic_params or {})}
    if reserved := sorted(_RESERVED_KEYS & set(merged)):
        raise ValueError(f"call_params cannot set {reserved[0]!r}; the call decorator sets it.")
    if merged and _COMMON_KEYS.issuperset(merged):
        merged = {k: v for k, v in merged.items() if v is not None}
    accepted = _create_params()
    params: dict[str, Any] = {}
    extra_body: dict[str, Any] = {}
    for key, value in merged.items():
        if key in accepted:
            params[key] = value
        elif key in _GROQ_KEYS:
            extra_body[key] = value  # e.g. stream_options: no SDK version takes it directly
        else:
            valid = sorted(_GROQ_KEYS | (accepted - _RESERVED_KEYS))
            close = difflib.get_close_matches(key.replace("-", "_"), valid, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(
                f"Unknown call_params key {key!r}{hint}: it is neither a GroqCallParams key nor a "
                f"parameter of the installed groq SDK's chat.completions.create(). "
                f"Valid keys: {', '.join(valid)}."
            )
    if extra_body:
        params["extra_body"] = {**extra_body, **(params.get("extra_body") or {})}
    return params


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


_Signature = tuple[inspect.Signature, tuple[str, ...] | None]
_SIGNATURES: weakref.WeakKeyDictionary[Callable[..., Any], _Signature] = weakref.WeakKeyDictionary()


def _signature_of(fn: Callable[..., Any]) -> _Signature:
    """`fn`'s signature, read once, and its parameter names if every one is plain positional."""
    cached = _SIGNATURES.get(fn)
    if cached is None:
        sig = inspect.signature(fn)
        params = sig.parameters.values()
        plain = all(p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty for p in params)
        cached = _SIGNATURES[fn] = (sig, tuple(sig.parameters) if plain else None)
    return cached


def _fn_args(
    fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> dict[str, Any]:
    sig, names = _signature_of(fn)
    if names is not None and not kwargs and len(args) == len(names):
        return dict(zip(names, args, strict=True))  # what `bind` gives, without its walk
    bound = sig.bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


def _is_async(fn: Callable[..., Any]) -> bool:
    return inspect.iscoroutinefunction(inspect.unwrap(get_original_fn(fn)))


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


@dataclass(frozen=True)
class _CallSpec:
    """The decorator's arguments, fixed at decoration time."""

    model: str
    stream: bool
    tools: _Tools | None
    json_mode: bool
    client: Groq | AsyncGroq | None
    call_params: Mapping[str, Any] | None
    output_parser: Callable[[Any], Any] | None
    extraction: Extraction | None = None
    """Set for `response_model`: how the request is set up and the output extracted."""
    stream_options: StreamOptions = field(default_factory=StreamOptions)
    """Timeouts, safe retries and partial tools for streams."""

    def prepare(self, fn: Callable[..., Any], fn_args: dict[str, Any], returned: object) -> _Call:
        template = get_prompt_template(fn)
        messages, dynamic_config = resolve_messages(template, returned, fn_args)
        groq_messages = convert_message_params(messages)
        tools = dynamic_config.get("tools", self.tools)
        if self.extraction is not None and self.stream:
            tools = None  # a structured stream offers only its own schema (B8)
        builtins: Sequence[Any] = ()
        if tools:
            from .builtin_tools import split_builtin_tools

            tools, builtins = split_builtin_tools(tools, self.model)
        tool_types = convert_tools(tools) if tools else None
        decorator_params = dict(self.call_params or {})
        dynamic_params = dict(dynamic_config.get("call_params") or {})
        flex_policy = dynamic_params.pop("flex_policy", None) or decorator_params.pop(
            "flex_policy", None
        )
        params = build_call_params(decorator_params, dynamic_params)
        if self.stream:
            _refuse_json_schema_stream(params)
        if self.extraction is not None:
            tool_types = self.extraction.prepare(
                groq_messages, params, tool_types, self.model, stream=self.stream
            )
        elif self.json_mode:
            _apply_json_mode(groq_messages, params, has_tools=bool(tool_types))
        call_kwargs: dict[str, Any] = {**params, "model": self.model, "messages": groq_messages}
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
            call_params=dict(self.call_params or {}),
            call_kwargs=call_kwargs,
            metadata=metadata,
            client=dynamic_config.get("client") or self.client,  # this call only (B9)
            flex_policy=flex_policy,
        )

    def resolver(self, call: _Call) -> ToolResolver:
        """Assembles a stream's tool calls (building no tools for a structured stream)."""
        if self.extraction is not None:
            return self.extraction.resolver()
        return ToolResolver(call.tool_types, partial_tools=self.stream_options.partial_tools)

    def stream_of(self, call: _Call, source: Any, resolver: ToolResolver) -> Any:
        stream = GroqStream(
            stream=source,
            metadata=call.metadata,
            tool_types=call.tool_types,
            call_response_type=GroqCallResponse,
            model=self.model,
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
        if self.extraction is not None:
            return self.extraction.structured_stream(stream, call.fn_args)
        return stream

    def response_of(
        self,
        call: _Call,
        completion: Any,
        start: float,
        end: float,
        headers: Any = None,
        response_type: type[GroqCallResponse] = GroqCallResponse,
    ) -> Any:
        """The call's result: the response, or its extraction / parsed output (batch results
        pass `GroqBatchResponse`, whose `.cost` is the batch price)."""
        response = response_type(
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
        if self.extraction is not None:
            result = self.extraction.extract(response)
            if result is response:  # response_model + tools: a tool was called
                return response
        return self.output_parser(result) if self.output_parser else result


_P = ParamSpec("_P")
_R = TypeVar("_R")
_R_co = TypeVar("_R_co", covariant=True)
_ResponseModelT = TypeVar("_ResponseModelT")
_ParsedT = TypeVar("_ParsedT")


class CallDecorator(Protocol[_R]):
    """What `groq_call(...)` returns: `def` functions return `_R`, `async def` ones a
    coroutine of it, and both carry `.map` / `.map_async` / `.batch` typed from `_R`. The
    overloads of `groq_call` pick `_R` from its arguments."""

    @overload
    def __call__(  # pyright: ignore[reportOverlappingOverload]
        self, fn: Callable[_P, Coroutine[Any, Any, Any]]
    ) -> AsyncGroqCall[_P, _R]: ...
    @overload
    def __call__(self, fn: Callable[_P, Any]) -> GroqCall[_P, _R]: ...


class StreamCallDecorator(Protocol[_R_co]):
    """`CallDecorator` without the bulk methods in its types (they refuse `stream=True`), for
    streams and for arguments only known at run time."""

    @overload
    def __call__(  # pyright: ignore[reportOverlappingOverload]
        self, fn: Callable[_P, Coroutine[Any, Any, Any]]
    ) -> Callable[_P, Coroutine[Any, Any, _R_co]]: ...
    @overload
    def __call__(self, fn: Callable[_P, Any]) -> Callable[_P, _R_co]: ...


@overload
def groq_call(
    model: str,
    *,
    stream: Literal[False] = False,
    tools: _Tools | None = None,
    response_model: None = None,
    output_parser: None = None,
    json_mode: bool = False,
    client: Groq | AsyncGroq | None = None,
    call_params: GroqCallParams | CommonCallParams | None = None,
) -> CallDecorator[GroqCallResponse]: ...
@overload
def groq_call(
    model: str,
    *,
    stream: Literal[False] = False,
    tools: _Tools | None = None,
    response_model: None = None,
    output_parser: Callable[[GroqCallResponse], _ParsedT],
    json_mode: bool = False,
    client: Groq | AsyncGroq | None = None,
    call_params: GroqCallParams | CommonCallParams | None = None,
) -> CallDecorator[_ParsedT]: ...
@overload
def groq_call(
    model: str,
    *,
    stream: Literal[True] | StreamConfig,
    tools: _Tools | None = None,
    response_model: None = None,
    output_parser: None = None,
    json_mode: bool = False,
    client: Groq | AsyncGroq | None = None,
    call_params: GroqCallParams | CommonCallParams | None = None,
) -> StreamCallDecorator[GroqStream]: ...
@overload
def groq_call(
    model: str,
    *,
    stream: Literal[False] = False,
    tools: None = None,
    response_model: type[_ResponseModelT],
    output_parser: None = None,
    json_mode: bool = False,
    client: Groq | AsyncGroq | None = None,
    call_params: GroqCallParams | CommonCallParams | None = None,
) -> CallDecorator[_ResponseModelT]: ...
@overload
def groq_call(
    model: str,
    *,
    stream: Literal[False] = False,
    tools: _Tools,
    response_model: type[_ResponseModelT],
    output_parser: None = None,
    json_mode: bool = False,
    client: Groq | AsyncGroq | None = None,
    call_params: GroqCallParams | CommonCallParams | None = None,
) -> CallDecorator[_ResponseModelT | GroqCallResponse]: ...
@overload
def groq_call(
    model: str,
    *,
    stream: Literal[False] = False,
    tools: None = None,
    response_model: type[_ResponseModelT],
    output_parser: Callable[[_ResponseModelT], _ParsedT],
    json_mode: bool = False,
    client: Groq | AsyncGroq | None = None,
    call_params: GroqCallParams | CommonCallParams | None = None,
) -> CallDecorator[_ParsedT]: ...
@overload
def groq_call(
    model: str,
    *,
    stream: Literal[True] | StreamConfig,
    tools: _Tools | None = None,
    response_model: type[_ResponseModelT],
    output_parser: None = None,
    json_mode: bool = False,
    client: Groq | AsyncGroq | None = None,
    call_params: GroqCallParams | CommonCallParams | None = None,
) -> StreamCallDecorator[BaseStructuredStream[_ResponseModelT]]: ...
@overload
def groq_call(
    model: str,
    *,
    stream: bool | StreamConfig = False,
    tools: _Tools | None = None,
    response_model: Any = None,
    output_parser: Callable[[Any], Any] | None = None,
    json_mode: bool = False,
    client: Groq | AsyncGroq | None = None,
    call_params: GroqCallParams | CommonCallParams | None = None,
) -> StreamCallDecorator[Any]: ...
def groq_call(
    model: str,
    *,
    stream: bool | StreamConfig = False,
    tools: _Tools | None = None,
    response_model: Any = None,
    output_parser: Callable[[Any], Any] | None = None,
    json_mode: bool = False,
    client: Groq | AsyncGroq | None = None,
    call_params: GroqCallParams | CommonCallParams | None = None,
) -> Any:
    """A decorator that turns a prompt function into a Groq call.

    Sync functions return a `GroqCallResponse`, a `GroqStream` (`stream=True`), the validated
    `response_model` (a `BaseStructuredStream` of it with `stream=True`), or what `output_parser`
    returns (API.md §3.2); `async def` functions return awaitables of the same. With no
    `client`, a shared default client reads `GROQ_API_KEY` and `GROQ_BASE_URL`.

    Example:
        ```python
        from mirascope.core import groq

        @groq.call("openai/gpt-oss-20b", stream=True)
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        for chunk, _ in recommend_book("fantasy"):
            print(chunk.content, end="", flush=True)
        ```
    """
    streams = is_stream(stream)
    check_tools(tools)
    if tools:
        from .builtin_tools import split_builtin_tools

        split_builtin_tools(tools, model)  # what Groq refuses (tools on compound) raises now
    # A bad key raises now, not at the first call; `flex_policy` is ours, not a request key.
    build_call_params({k: v for k, v in (call_params or {}).items() if k != "flex_policy"}, None)
    if streams and output_parser is not None:
        raise ValueError(
            "output_parser cannot be used with stream=True: a parser needs the whole response. "
            "Parse stream.content after the loop instead."
        )
    extraction: Extraction | None = None
    if response_model is not None:
        if streams and tools:
            warnings.warn(
                "tools are ignored when response_model is combined with stream=True (the "
                "structured stream offers only the response model's schema); ignored: "
                + ", ".join(getattr(t, "__name__", repr(t)) for t in tools),
                UserWarning,
                stacklevel=2,
            )
        # With tools (and no stream) the model answers in JSON when it calls none of them.
        uses_json = json_mode or (bool(tools) and not streams)
        from ._extract import Extraction

        extraction = Extraction.of(response_model, json_mode=uses_json)
    spec = _CallSpec(
        model=model,
        stream=streams,
        stream_options=StreamOptions.of(stream),
        tools=tools,
        json_mode=json_mode,
        client=client,
        call_params=call_params,
        output_parser=output_parser,
        extraction=extraction,
    )

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        original = get_original_fn(fn)
        is_async = _is_async(fn)
        check_client(client, is_async=is_async, name=qualname(fn))

        if is_async:

            @wraps(fn)
            async def call_async(*args: Any, **kwargs: Any) -> Any:
                fn_args = _fn_args(original, args, kwargs)
                returned = original(*args, **kwargs)
                if inspect.isawaitable(returned):
                    returned = await returned
                call = spec.prepare(fn, fn_args, returned)
                client = cast(AsyncGroq, call.client or default_async_client())
                check_client(client, is_async=True, name=qualname(fn))
                if spec.stream:
                    resolver = spec.resolver(call)
                    source = aiter_pairs(client, call.call_kwargs, resolver, spec.stream_options)
                    if call.flex_policy is not None or _is_flex(call):
                        source = _aflex_pairs(client, call, resolver, spec.stream_options)
                    return spec.stream_of(call, source, resolver)
                start = now_ms()
                # The raw response keeps the headers (rate limits, request id; issue 10).
                raw: Any = None
                for n, tier in enumerate(_tiers(call)):
                    try:
                        raw = await apost_chat(client, _with_tier(call.call_kwargs, tier))
                        _answered_on(call, tier)
                        break
                    except APIStatusError as exc:
                        await asyncio.sleep(_on_status_error(exc, call, n))
                completion = await aparse_completion(raw)
                return spec.response_of(call, completion, start, now_ms(), raw.headers)

            inner: Any = call_async
        else:

            @wraps(fn)
            def call_sync(*args: Any, **kwargs: Any) -> Any:
                fn_args = _fn_args(original, args, kwargs)
                call = spec.prepare(fn, fn_args, original(*args, **kwargs))
                client = cast(Groq, call.client or default_client())
                check_client(client, is_async=False, name=qualname(fn))
                if spec.stream:
                    resolver = spec.resolver(call)
                    source = iter_pairs(client, call.call_kwargs, resolver, spec.stream_options)
                    if call.flex_policy is not None or _is_flex(call):
                        source = _flex_pairs(client, call, resolver, spec.stream_options)
                    return spec.stream_of(call, source, resolver)
                start = now_ms()
                raw: Any = None
                for n, tier in enumerate(_tiers(call)):
                    try:
                        raw = post_chat(client, _with_tier(call.call_kwargs, tier))
                        _answered_on(call, tier)
                        break
                    except APIStatusError as exc:
                        time.sleep(_on_status_error(exc, call, n))
                completion = parse_completion(raw)
                return spec.response_of(call, completion, start, now_ms(), raw.headers)

            inner = call_sync

        inner._model = model
        inner.__mirascope_call__ = True
        attach_bulk(inner, BoundCall(spec, fn, original, is_async))  # fn.batch / map / map_async
        return inner

    return decorator


call = groq_call
"""The same object as `groq_call` (`groq.call(...)` reads well next to the module name)."""
