"""`GroqCallParams`: the parameters of `chat.completions.create` a call may set."""

from __future__ import annotations

from typing import Any, Literal

from groq.types.chat import ChatCompletionToolChoiceOptionParam
from typing_extensions import NotRequired

from ..base.call_params import BaseCallParams
from .service_tiers import FlexPolicy


class GroqCallParams(BaseCallParams, total=False):
    """Groq request parameters, merged into the SDK's `create()` keyword arguments.

    Keys the installed SDK's `create()` does not take (`stream_options`, `debug`, or a newer key
    on an older SDK) are sent through `extra_body` instead. Any other unknown key raises a
    `ValueError` naming it when the call is made.

    Example:
        ```python
        @groq.call(
            "openai/gpt-oss-20b",
            call_params={"max_completion_tokens": 512, "reasoning_effort": "low"},
        )
        def answer(q: str) -> str:
            return q
        ```
    """

    extra_headers: NotRequired[dict[str, str] | None]
    flex_policy: NotRequired[FlexPolicy | None]
    """Ours, never sent: on a flex 498, retry or fall back before the first chunk."""
    extra_query: NotRequired[dict[str, Any] | None]
    extra_body: NotRequired[dict[str, Any] | None]
    timeout: NotRequired[float | Any | None]
    frequency_penalty: NotRequired[float | None]
    logit_bias: NotRequired[dict[str, int] | None]
    logprobs: NotRequired[bool | None]
    max_tokens: NotRequired[int | None]
    n: NotRequired[int | None]
    parallel_tool_calls: NotRequired[bool]
    presence_penalty: NotRequired[float | None]
    response_format: NotRequired[dict[str, Any]]
    seed: NotRequired[int | None]
    stop: NotRequired[str | list[str] | None]
    temperature: NotRequired[float | None]
    tool_choice: NotRequired[ChatCompletionToolChoiceOptionParam]
    top_logprobs: NotRequired[int | None]
    top_p: NotRequired[float | None]
    user: NotRequired[str]
    # Added after groq 0.9 (B23).
    max_completion_tokens: NotRequired[int | None]
    reasoning_effort: NotRequired[Literal["none", "default", "low", "medium", "high"] | None]
    reasoning_format: NotRequired[Literal["hidden", "raw", "parsed"] | None]
    include_reasoning: NotRequired[bool | None]
    service_tier: NotRequired[Literal["auto", "on_demand", "flex", "performance"] | None]
    search_settings: NotRequired[dict[str, Any] | None]
    disable_tool_validation: NotRequired[bool]
    citation_options: NotRequired[Literal["enabled", "disabled"] | None]
    compound_custom: NotRequired[dict[str, Any] | None]
    documents: NotRequired[list[dict[str, Any]] | None]
    metadata: NotRequired[dict[str, str] | None]
    store: NotRequired[bool | None]
    stream_options: NotRequired[dict[str, Any] | None]
    debug: NotRequired[bool | None]


__all__ = ["GroqCallParams"]
