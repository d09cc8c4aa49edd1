"""`middleware_factory`: v1's hooks around a Mirascope call, for any kind of result.

A decorated call enters `custom_context_manager(fn)`, runs the call, then hands its result to the
matching hook: `handle_call_response`, `handle_stream`, `handle_response_model` or
`handle_structured_stream` (or its `_async` twin for an `async def` call). An exception goes to
`handle_error`; what it returns becomes the result, what it raises propagates.

Invariants:
- The context manager is exited exactly once per call: after the hook for a response, and only
  once a stream has ended (exhausted, `break`, error or close), via `BaseStream.on_end`.
- A stream is never subclassed or rewrapped: its per-chunk path is untouched. `custom_decorator`
  wraps the decorated function and, as in v1, the stream's iteration (`BaseStream._iter_decorator`).
- `llm.call` results (`llm.CallResponse`, `llm.Stream`) are classified by the provider object they
  wrap, and the hooks receive the `llm` object, as v1's hooks did.
- An error raised while a stream is iterated reaches `handle_error` and then still propagates
  (v1 swallowed it and ended the loop silently; see the README's compatibility section).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Generator
from contextlib import AbstractContextManager, contextmanager
from enum import Enum
from functools import partial, wraps
from typing import Any, ParamSpec, TypeVar, cast

from pydantic import BaseModel

from ..core.base.call_response import BaseCallResponse
from ..core.base.stream import BaseStream
from ..core.base.structured_stream import BaseStructuredStream

_P = ParamSpec("_P")
_R = TypeVar("_R")

Hook = Callable[[Any, Callable[..., Any], Any], Any]
"""A hook receives `(result_or_error, fn, context)`."""

_BUILTIN_RESULTS = (str, int, float, bool, bytes, list, set, tuple, dict, Enum)


@contextmanager
def default_context_manager(fn: Callable[..., Any]) -> Generator[None, None, None]:
    """The context manager used when none is given: yields `None`."""
    yield None


def _is_response_model(result: object) -> bool:
    return isinstance(result, (BaseModel, *_BUILTIN_RESULTS)) and not isinstance(
        result, BaseCallResponse
    )


def _is(result: object, kind: type) -> bool:
    # A plain bool, so the result stays `Any` for the hooks (no partial-type narrowing).
    return isinstance(result, kind)


def provider_result(result: Any) -> Any:
    """The provider object behind an `llm.CallResponse` or `llm.Stream`, else `result` itself.

    Example:
        ```python
        provider_result(llm_response).response  # the Groq SDK's ChatCompletion
        ```
    """
    cls: Any = type(cast(object, result))
    attr: str | None = getattr(cls, "_llm_wraps", None)  # the class's, not the instance __getattr__
    return getattr(result, attr) if attr else result


def _fn_is_async(fn: Callable[..., Any]) -> bool:
    # v1 also looks through `functools.wraps` wrappers: `llm.call` over an `async def` is a plain
    # function returning a coroutine.
    target: Any = fn
    while True:
        if inspect.iscoroutinefunction(target):
            return True
        target = getattr(target, "__wrapped__", None)
        if target is None:
            return False


def _exit(cm: AbstractContextManager[Any], exc: BaseException | None) -> None:
    if exc is None:
        cm.__exit__(None, None, None)
    else:
        cm.__exit__(type(exc), exc, exc.__traceback__)


def middleware_factory(
    *,
    custom_context_manager: Callable[
        [Callable[..., Any]], AbstractContextManager[Any]
    ] = default_context_manager,
    custom_decorator: Callable[..., Any] | None = None,
    handle_call_response: Hook | None = None,
    handle_call_response_async: Hook | None = None,
    handle_stream: Hook | None = None,
    handle_stream_async: Hook | None = None,
    handle_response_model: Hook | None = None,
    handle_response_model_async: Hook | None = None,
    handle_structured_stream: Hook | None = None,
    handle_structured_stream_async: Hook | None = None,
    handle_error: Hook | None = None,
    handle_error_async: Hook | None = None,
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Make a decorator that runs hooks around a Mirascope call (v1's `middleware_factory`).

    Example:
        ```python
        from mirascope.core import groq
        from mirascope.integrations import middleware_factory


        def with_saving():
            return middleware_factory(
                handle_call_response=lambda r, fn, ctx: print("saved", r.content),
                handle_stream=lambda s, fn, ctx: print("saved", s.content, s.end_state),
            )


        @with_saving()
        @groq.call("openai/gpt-oss-20b")
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"
        ```
    """

    def ended_by(result: Any, fn: Callable[..., Any]) -> Any:
        """The `BaseStream` whose end completes `result`, or None; wraps its iteration."""
        core = provider_result(result)
        stream: Any = (
            core
            if _is(core, BaseStream)
            else core.stream
            if _is(core, BaseStructuredStream)
            else None
        )
        if stream is not None and custom_decorator is not None:
            iterated: Any = stream if core is stream else core  # v1 decorated its `__iter__` too
            iterated._iter_decorator = custom_decorator(fn)
        return stream

    def on_sync_result(result: Any, fn: Callable[..., Any], cm: Any, ctx: Any) -> Any:
        core = provider_result(result)
        if (stream := ended_by(result, fn)) is not None:
            ender: Any = stream if _is(core, BaseStream) else core  # structured: after the model
            hook = handle_stream if _is(core, BaseStream) else handle_structured_stream
            ender.on_end(partial(_end_sync, result, hook, fn, cm, ctx, stream))
            return result
        if _is(core, BaseCallResponse) and handle_call_response is not None:
            handle_call_response(result, fn, ctx)
        elif _is_response_model(result) and handle_response_model is not None:
            handle_response_model(result, fn, ctx)
        _exit(cm, None)
        return result

    def _end_sync(
        subject: Any,
        hook: Hook | None,
        fn: Callable[..., Any],
        cm: Any,
        ctx: Any,
        stream: Any,
        ended: Any,  # what called back: the stream, or the structured stream
    ) -> None:
        error: Exception | None = stream.error
        try:
            if error is not None and handle_error is not None:
                handle_error(error, fn, ctx)
                error = None
            if hook is not None:
                hook(subject, fn, ctx)
        except Exception as exc:
            _exit(cm, exc)
            raise
        _exit(cm, error)

    async def _end_async(
        subject: Any,
        hook: Hook | None,
        fn: Callable[..., Any],
        cm: Any,
        ctx: Any,
        stream: Any,
        ended: Any,  # what called back: the stream, or the structured stream
    ) -> None:
        error: Exception | None = stream.error
        try:
            if error is not None and handle_error_async is not None:
                await handle_error_async(error, fn, ctx)
                error = None
            if hook is not None:
                await hook(subject, fn, ctx)
        except Exception as exc:
            _exit(cm, exc)
            raise
        _exit(cm, error)

    async def on_async_result(result: Any, fn: Callable[..., Any], cm: Any, ctx: Any) -> Any:
        core = provider_result(result)
        if (stream := ended_by(result, fn)) is not None:
            ender: Any = stream if _is(core, BaseStream) else core
            hook = handle_stream_async if _is(core, BaseStream) else handle_structured_stream_async
            ender.on_end(partial(_end_async, result, hook, fn, cm, ctx, stream))
            return result
        if _is(core, BaseCallResponse) and handle_call_response_async is not None:
            await handle_call_response_async(result, fn, ctx)
        elif _is_response_model(result) and handle_response_model_async is not None:
            await handle_response_model_async(result, fn, ctx)
        _exit(cm, None)
        return result

    def decorator(fn: Callable[_P, _R]) -> Callable[_P, _R]:
        if _fn_is_async(fn):
            async_fn = cast("Callable[_P, Awaitable[Any]]", fn)

            @wraps(fn)
            async def wrapper_async(*args: _P.args, **kwargs: _P.kwargs) -> Any:
                cm = custom_context_manager(fn)
                ctx = cm.__enter__()
                try:
                    result = await async_fn(*args, **kwargs)
                except Exception as exc:
                    if handle_error_async is None:
                        _exit(cm, exc)
                        raise
                    try:
                        result = await handle_error_async(exc, fn, ctx)
                    except Exception as new_exc:
                        _exit(cm, new_exc)
                        raise
                    _exit(cm, None)
                    return result
                return await on_async_result(result, fn, cm, ctx)

            wrapped: Any = wrapper_async
        else:

            @wraps(fn)
            def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> Any:
                cm = custom_context_manager(fn)
                ctx = cm.__enter__()
                try:
                    result = fn(*args, **kwargs)
                except Exception as exc:
                    if handle_error is None:
                        _exit(cm, exc)
                        raise
                    try:
                        result = handle_error(exc, fn, ctx)
                    except Exception as new_exc:
                        _exit(cm, new_exc)
                        raise
                    _exit(cm, None)
                    return result
                return on_sync_result(result, fn, cm, ctx)

            wrapped = wrapper
        if custom_decorator is not None:
            wrapped = custom_decorator(fn)(wrapped)
        return cast("Callable[_P, _R]", wrapped)

    return decorator


__all__ = ["default_context_manager", "middleware_factory", "provider_result"]
