"""`groq_call`: the decorator that turns a prompt function into a Groq call.

Invariants:
- Decoration checks what it can (tools, client, `call_params` keys, stream options,
  `response_model`) and raises there; it loads no response, stream or SDK chat type.
- Each call runs `_invoke.run` / `arun` (the data path, described there); `_invoke` is imported
  on the first call, as `import groq` leaves `groq.resources.chat` to the first `client.chat`.
"""

from __future__ import annotations

import inspect
import warnings
import weakref
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, wraps
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, overload

from typing_extensions import ParamSpec

from ..base._prompt_fn import get_original_fn
from ..base.call_params import CommonCallParams
from ..base.stream_config import StreamConfig, StreamOptions
from ._bulk import AsyncGroqCall, BoundCall, GroqCall, attach_bulk
from ._checks import check_client, check_tools, is_stream, qualname

if TYPE_CHECKING:  # response models and built-in tools load on first use: a plain call needs none
    from groq import AsyncGroq, Groq

    from ..base.structured_stream import BaseStructuredStream
    from ..base.tool import BaseTool
    from ._extract import Extraction
    from .builtin_tools import BuiltinTool
    from .call_params import GroqCallParams
    from .call_response import GroqCallResponse
    from .stream import GroqStream

    _Tools = Sequence[type[BaseTool] | Callable[..., Any] | BuiltinTool]


# v1.25.7's wording for JSON mode without a response model.
JSON_MODE_INSTRUCTION = (
    "For your final response, output ONLY a valid JSON dict that adheres to the schema"
)

_COMMON_KEYS = frozenset(CommonCallParams.__optional_keys__)
_RESERVED_KEYS = frozenset({"model", "messages", "stream"})
"""Set by the decorator itself: refused in `call_params` and never offered as a valid key."""


_REQUEST_OPTIONS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})


@cache
def _groq_keys() -> frozenset[str]:
    """`GroqCallParams`' keys (its module loads the SDK's chat types: read when first needed)."""
    from .call_params import GroqCallParams

    return frozenset(GroqCallParams.__optional_keys__)


@cache
def _create_params() -> frozenset[str]:
    """The keyword arguments the installed SDK's `create()` accepts.

    Read from its `CompletionCreateParams` (the same set as `create()`'s signature from 0.35 to
    1.x, checked in tests/test_post.py), so `groq.resources` (which `import groq` defers to the
    first `client.chat`) is not imported for it.
    """
    from groq.types.chat.completion_create_params import CompletionCreateParams as params

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
    params: dict[str, Any] = {}
    if not merged:
        return params  # no SDK types to read (they load with the first call's response)
    accepted, groq_keys = _create_params(), _groq_keys()
    extra_body: dict[str, Any] = {}
    for key, value in merged.items():
        if key in accepted:
            params[key] = value
        elif key in groq_keys:
            extra_body[key] = value  # e.g. stream_options: no SDK version takes it directly
        else:
            valid = sorted(groq_keys | (accepted - _RESERVED_KEYS))
            import difflib

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


@cache
def _invoke():
    """The per-call machinery (`_invoke.py`), imported on the first call, then cached."""
    from . import _invoke as module

    return module


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
                return await _invoke().arun(spec, fn, fn_args, returned)

            inner: Any = call_async
        else:

            @wraps(fn)
            def call_sync(*args: Any, **kwargs: Any) -> Any:
                fn_args = _fn_args(original, args, kwargs)
                return _invoke().run(spec, fn, fn_args, original(*args, **kwargs))

            inner = call_sync

        inner._model = model
        inner.__mirascope_call__ = True
        attach_bulk(inner, BoundCall(spec, fn, original, is_async))  # fn.batch / map / map_async
        return inner

    return decorator


call = groq_call
"""The same object as `groq_call` (`groq.call(...)` reads well next to the module name)."""
