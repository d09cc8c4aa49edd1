"""The observation v1's Langfuse integration records, and its hooks.

Invariants:
- The observation is the one langfuse's `observe` opened around the call (and, for a stream,
  around its iteration): these hooks only update it, with v1's fields (`name` "{fn} with {model}",
  `input` the messages, `metadata` the provider response, `tags`, `model`, `output`, and `usage`
  in tokens).
- A stream's hook runs once the stream has ended, however it ended.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from ...core.base.metadata import get_metadata
from .._middleware_factory import provider_result

# Imported by name so the package type-checks without the extra; raises ModuleNotFoundError
# naming "langfuse" when it is absent, as v1's import did.
langfuse_context: Any = importlib.import_module("langfuse.decorators").langfuse_context


class ModelUsage(BaseModel):
    """v1's usage record: token counts and their unit."""

    input: int | float | None
    output: int | float | None
    unit: str


def _usage(result: Any) -> ModelUsage:
    return ModelUsage(input=result.input_tokens, output=result.output_tokens, unit="TOKENS")


def _observation(response: Any, fn: Callable[..., Any]) -> dict[str, Any]:
    tags = sorted(get_metadata(fn, None).get("tags", set()))
    return {
        "name": f"{getattr(fn, '__name__', 'call')} with {response.model}",
        "input": response.messages,
        "metadata": response.response,
        "tags": tags,
        "model": response.model,
        "output": response.content,
    }


def handle_call_response(result: Any, fn: Callable[..., Any], context: None) -> None:
    response = provider_result(result)
    langfuse_context.update_current_observation(
        **_observation(response, fn), usage=_usage(response)
    )


def handle_stream(stream: Any, fn: Callable[..., Any], context: None) -> None:
    stream = provider_result(stream)
    langfuse_context.update_current_observation(
        **_observation(stream.construct_call_response(), fn), usage=_usage(stream)
    )


def handle_response_model(result: Any, fn: Callable[..., Any], context: None) -> None:
    response = getattr(result, "_response", None) if isinstance(result, BaseModel) else None
    if response is None:  # a built-in type: only the value
        langfuse_context.update_current_observation(output=result)
        return
    observation = _observation(response, fn)
    observation["output"] = result
    langfuse_context.update_current_observation(**observation, usage=_usage(response))


def handle_structured_stream(result: Any, fn: Callable[..., Any], context: None) -> None:
    stream = result.stream
    observation = _observation(stream.construct_call_response(), fn)
    observation["output"] = getattr(result, "constructed_response_model", None)
    langfuse_context.update_current_observation(**observation, usage=_usage(stream))


async def handle_call_response_async(result: Any, fn: Callable[..., Any], context: None) -> None:
    handle_call_response(result, fn, context)


async def handle_stream_async(stream: Any, fn: Callable[..., Any], context: None) -> None:
    handle_stream(stream, fn, context)


async def handle_response_model_async(result: Any, fn: Callable[..., Any], context: None) -> None:
    handle_response_model(result, fn, context)


async def handle_structured_stream_async(
    result: Any, fn: Callable[..., Any], context: None
) -> None:
    handle_structured_stream(result, fn, context)
