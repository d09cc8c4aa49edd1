"""The span data v1's Logfire integration records, and its hooks.

Invariants:
- One Logfire span per call, named after the function, opened by `custom_context_manager` with
  v1's settings (scope suffix "mirascope", the call's metadata tags); a stream's span stays open
  until the stream has ended (see `_middleware_factory`).
- The attribute keys and their nesting are v1's (`call_params`, `messages`, `response_data`,
  `output.{cost,input_tokens,output_tokens,content,tool_calls,response_model}`, `async`,
  `error`, `error_message`), so v1 dashboards keep working.
- `handle_error` records the error and re-raises it, as v1 does.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Generator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel

from ...core.base.metadata import get_metadata
from .._middleware_factory import provider_result

# Imported by name so the package type-checks without the extra; raises ModuleNotFoundError
# naming "logfire" when it is absent, as v1's import did.
logfire: Any = importlib.import_module("logfire")
Span = Any  # logfire.LogfireSpan; kept loose, its type varies across logfire 1-3


@contextmanager
def custom_context_manager(fn: Callable[..., Any]) -> Generator[Span, None, None]:
    """Open the call's Logfire span (v1: scope suffix "mirascope", the metadata's tags)."""
    tags = sorted(get_metadata(fn, None).get("tags", set()))
    span_factory: Any = logfire.with_settings(custom_scope_suffix="mirascope", tags=tags)
    with span_factory.span(getattr(fn, "__name__", "mirascope_call")) as span:
        yield span


def call_response_data(response: Any, *, is_async: bool, tools: bool = True) -> dict[str, Any]:
    """v1's span data of a call response (or of a stream's constructed response)."""
    response = provider_result(response)
    output: dict[str, Any] = {}
    for key in ("cost", "input_tokens", "output_tokens", "content"):
        if value := getattr(response, key):  # v1 leaves out zero and empty values
            output[key] = value
    if tools and (called := response.tools):
        output["tool_calls"] = [
            {"function": {"arguments": tool.args, "name": tool._name()}}  # pyright: ignore[reportPrivateUsage]
            for tool in called
        ]
    return {
        "async": is_async,
        "call_params": response.call_params,
        "call_kwargs": response.call_kwargs,
        "model": response.model,
        "provider": response._provider,  # pyright: ignore[reportPrivateUsage]
        "prompt_template": response.prompt_template or "",
        "template_variables": response.fn_args,
        "messages": response.messages,
        "response_data": response.response,
        "output": output,
    }


def _model_output(value: Any) -> dict[str, Any]:
    if isinstance(value, BaseModel):
        return {"response_model": {"name": type(value).__name__, "arguments": value.model_dump()}}
    return {"content": value}


def _record(span: Span | None, data: dict[str, Any]) -> None:
    if span is not None:
        span.set_attributes(data)


def _response_model_data(result: Any, *, is_async: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"async": is_async, "output": {}}
    response = getattr(result, "_response", None) if isinstance(result, BaseModel) else None
    if response is not None:
        data = call_response_data(response, is_async=is_async, tools=False)
    data["output"].update(_model_output(result))
    return data


def _structured_stream_data(result: Any, *, is_async: bool) -> dict[str, Any]:
    response = result.stream.construct_call_response()
    data = call_response_data(response, is_async=is_async, tools=False)
    data["output"].update(_model_output(result.constructed_response_model))
    return data


def _error_data(error: Exception, *, is_async: bool) -> dict[str, Any]:
    response = getattr(error, "_response", None)
    data = call_response_data(response, is_async=is_async) if response is not None else {}
    data.update({"async": is_async, "error": type(error).__name__, "error_message": str(error)})
    return data


def handle_call_response(result: Any, fn: Callable[..., Any], span: Span | None) -> None:
    _record(span, call_response_data(result, is_async=False))


def handle_stream(stream: Any, fn: Callable[..., Any], span: Span | None) -> None:
    _record(span, call_response_data(stream.construct_call_response(), is_async=False))


def handle_response_model(result: Any, fn: Callable[..., Any], span: Span | None) -> None:
    _record(span, _response_model_data(result, is_async=False))


def handle_structured_stream(result: Any, fn: Callable[..., Any], span: Span | None) -> None:
    _record(span, _structured_stream_data(result, is_async=False))


def handle_error(error: Exception, fn: Callable[..., Any], span: Span | None) -> None:
    _record(span, _error_data(error, is_async=False))
    raise error


async def handle_call_response_async(
    result: Any, fn: Callable[..., Any], span: Span | None
) -> None:
    _record(span, call_response_data(result, is_async=True))


async def handle_stream_async(stream: Any, fn: Callable[..., Any], span: Span | None) -> None:
    _record(span, call_response_data(stream.construct_call_response(), is_async=True))


async def handle_response_model_async(
    result: Any, fn: Callable[..., Any], span: Span | None
) -> None:
    _record(span, _response_model_data(result, is_async=True))


async def handle_structured_stream_async(
    result: Any, fn: Callable[..., Any], span: Span | None
) -> None:
    _record(span, _structured_stream_data(result, is_async=True))


async def handle_error_async(error: Exception, fn: Callable[..., Any], span: Span | None) -> None:
    _record(span, _error_data(error, is_async=True))
    raise error
