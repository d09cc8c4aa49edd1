"""`GroqCallResponse`: a non-stream Groq completion with Mirascope's properties.

`message_param` is what goes back in history, so it carries exactly `role`, `content` and, when
there are tool calls, `tool_calls` as plain dicts: no null or unknown keys, whatever SDK version
is installed (B11; Groq rejects unknown assistant-message properties).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

import httpx
from groq.types import CompletionUsage
from groq.types.chat import (
    ChatCompletion,
    ChatCompletionAssistantMessageParam,
    ChatCompletionMessageParam,
    ChatCompletionMessageToolCall,
    ChatCompletionToolMessageParam,
    ChatCompletionToolParam,
    ChatCompletionUserMessageParam,
)
from pydantic import PrivateAttr, computed_field

from ..base.call_response import BaseCallResponse
from ..base.message_param import BaseMessageParam
from ..base.tool import transform_tool_outputs
from ..base.types import CostMetadata, ImageMetadata, JsonableType, Usage
from ..costs import calculate_cost
from ..costs._groq_prices import breakdown_cost, tool_fees
from ._convert import count_images, to_base_message_params
from .call_params import GroqCallParams
from .call_response_chunk import (
    FinishReason,
    cached_tokens_of,
    common_usage_of,
    reasoning_tokens_of,
)
from .dynamic_config import AsyncGroqDynamicConfig, GroqDynamicConfig
from .executed_tools import ExecutedTool, executed_tools_of, merge_executed_tools
from .tool import GroqTool

if TYPE_CHECKING:  # built on first access of the property
    from .rate_limits import RateLimits
    from .timings import ServerTimings


def assistant_message_param(
    content: str, tool_calls: Sequence[dict[str, Any]] | None
) -> ChatCompletionAssistantMessageParam:
    """The history message for an assistant turn: no null or unknown keys (B11)."""
    message: dict[str, Any] = {"role": "assistant", "content": content or ""}
    if tool_calls:
        message["tool_calls"] = list(tool_calls)
    return message  # pyright: ignore[reportReturnType]


def tool_call_param(tool_call: ChatCompletionMessageToolCall) -> dict[str, Any]:
    """An SDK tool call as a plain `ChatCompletionMessageToolCallParam` dict."""
    return {
        "id": tool_call.id,
        "type": "function",
        "function": {"name": tool_call.function.name, "arguments": tool_call.function.arguments},
    }


def image_metadata(messages: Sequence[Any]) -> list[ImageMetadata]:
    """One zero-size `ImageMetadata` per `image_url` part sent (for the vision surcharge).

    `[]` without images: v1's `GroqCallResponse.cost_metadata.images` is `[]` then.
    """
    return [ImageMetadata(width=0, height=0) for _ in range(count_images(messages))]


def tool_messages(
    tools_and_outputs: Sequence[tuple[GroqTool, JsonableType]],
) -> list[ChatCompletionToolMessageParam]:
    """One `tool` message per `(tool, output)` pair, outputs serialised for Groq."""
    return [
        {  # pyright: ignore[reportReturnType]
            "role": "tool",
            "content": output,
            "tool_call_id": tool.tool_call.id,
            "name": tool._name(),
        }
        for tool, output in transform_tool_outputs(tools_and_outputs)
    ]


class GroqCallResponse(
    BaseCallResponse[
        ChatCompletion,
        GroqTool,
        ChatCompletionToolParam,
        GroqDynamicConfig | AsyncGroqDynamicConfig,
        ChatCompletionMessageParam,
        GroqCallParams,
        ChatCompletionUserMessageParam,
        FinishReason,
    ]
):
    """The response of a non-stream Groq call.

    Example:
        ```python
        from mirascope.core import groq

        @groq.call("openai/gpt-oss-20b")
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        response = recommend_book("fantasy")
        print(response.content, response.input_tokens, response.cost)
        ```
    """

    _provider: ClassVar[str] = "groq"
    _http_headers: Any = PrivateAttr(default=None)

    @property
    def _message_converter(self) -> Any:
        return to_base_message_params

    @property
    def _model(self) -> str:
        return self.response.model

    @property
    def provider(self) -> str:
        """Always `"groq"`."""
        return "groq"

    @computed_field
    @property
    def content(self) -> str:
        """Choice 0's message content, or `""`."""
        choices = self.response.choices
        return (choices[0].message.content or "") if choices else ""

    @property
    def reasoning(self) -> str:
        """Choice 0's reasoning text (reasoning models), or `""`. Never sent back in history."""
        choices = self.response.choices
        return (getattr(choices[0].message, "reasoning", None) or "") if choices else ""

    @computed_field
    @property
    def finish_reasons(self) -> list[str]:
        """The finish reason of every choice, as strings."""
        # A reconstructed incomplete stream has no finish reason; the SDK type says it always has.
        reasons: list[object] = [c.finish_reason for c in self.response.choices]
        return [str(reason) for reason in reasons if reason is not None]

    @computed_field
    @property
    def model(self) -> str:
        """The model that answered."""
        return self.response.model

    @computed_field
    @property
    def id(self) -> str:
        """The completion id."""
        return self.response.id

    @property
    def usage(self) -> CompletionUsage | None:
        """The SDK usage object, or None."""
        return self.response.usage

    @computed_field
    @property
    def input_tokens(self) -> int | None:
        """Prompt tokens."""
        return self.usage.prompt_tokens if self.usage is not None else None

    @computed_field
    @property
    def cached_tokens(self) -> int | None:
        """Cached prompt tokens (`prompt_tokens_details.cached_tokens`), else 0."""
        return cached_tokens_of(self.usage) if self.usage is not None else 0

    @computed_field
    @property
    def output_tokens(self) -> int | None:
        """Completion tokens."""
        return self.usage.completion_tokens if self.usage is not None else None

    @property
    def server_timings(self) -> ServerTimings | None:
        """Groq's own queue, prompt, completion and total times, when reported."""
        from .timings import ServerTimings

        return ServerTimings.from_usage(self.usage)

    @computed_field
    @property
    def cost_metadata(self) -> CostMetadata:
        """Token counts and images sent, for `calculate_cost`."""
        return CostMetadata(
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            cached_tokens=self.cached_tokens,
            images=image_metadata(self.messages),
        )

    @computed_field
    @property
    def cost(self) -> float | None:
        """The cost in USD, or None for an unpriced model or missing usage.

        Compound: the sum over `usage_breakdown` (never the top-level usage on top); built-in
        tool fees are added.
        """
        breakdown = self.usage_breakdown
        if breakdown and self.input_tokens is not None:
            cost = breakdown_cost(breakdown)
        else:
            cost = calculate_cost("groq", self.model, self.cost_metadata)
        if cost is not None and (tools := self.executed_tools):
            cost += tool_fees(tools)
        return cost

    @computed_field(return_type=dict[str, Any])  # the SDK type's `Iterable` would warn on dump
    @cached_property
    def message_param(self) -> ChatCompletionAssistantMessageParam:
        """The assistant message to append to history (no null or unknown keys)."""
        choices = self.response.choices
        tool_calls = (choices[0].message.tool_calls or []) if choices else []
        return assistant_message_param(self.content, [tool_call_param(tc) for tc in tool_calls])

    @cached_property
    def tools(self) -> list[GroqTool] | None:
        """The tools choice 0 called, in order; unknown names are skipped. None without calls."""
        choices = self.response.choices
        tool_calls = choices[0].message.tool_calls if choices else None
        if not self.tool_types or not tool_calls:
            return None
        by_name = {tool_type._name(): tool_type for tool_type in self.tool_types}
        tools = [
            by_name[tc.function.name].from_tool_call(tc)
            for tc in tool_calls
            if tc.function.name in by_name
        ]
        return tools or None

    @cached_property
    def tool(self) -> GroqTool | None:
        """The first tool called, or None."""
        tools = self.tools
        return tools[0] if tools else None

    @classmethod
    def tool_message_params(
        cls, tools_and_outputs: Sequence[tuple[GroqTool, JsonableType]]
    ) -> list[ChatCompletionToolMessageParam]:
        """Tool messages for history, one per `(tool, output)` pair.

        Example:
            ```python
            outputs = [(tool, tool.call()) for tool in response.tools or []]
            history += [response.message_param, *response.tool_message_params(outputs)]
            ```
        """
        return tool_messages(tools_and_outputs)

    # -- Groq 2025-2026 extras (issue 10) ---------------------------------------------------

    @property
    def executed_tools(self) -> list[ExecutedTool]:
        """Server-side tools Groq ran (compound, gpt-oss built-ins), by `index`; never in history.

        Example:
            ```python
            urls = [r["url"] for t in response.executed_tools
                    for r in (t.search_results or {}).get("results", [])]
            ```
        """
        choices = self.response.choices
        items = getattr(choices[0].message, "executed_tools", None) if choices else None
        merged: dict[int, dict[str, Any]] = {}
        merge_executed_tools(merged, items or ())
        return executed_tools_of(merged)

    @property
    def annotations(self) -> list[dict[str, Any]]:
        """Citations (`document_citation` / `function_citation` with offsets), raw dicts."""
        choices = self.response.choices
        items: Any = getattr(choices[0].message, "annotations", None) if choices else None
        return [a if isinstance(a, dict) else a.model_dump(exclude_none=True) for a in items or ()]

    @property
    def usage_breakdown(self) -> list[Any] | None:
        """A compound call's per-model usage (`usage_breakdown.models[]`), else None."""
        breakdown = self.response.usage_breakdown
        return list(breakdown.models) if breakdown is not None else None

    @property
    def service_tier(self) -> str | None:
        """The service tier Groq served the request on (`on_demand`, `flex`, …), when sent."""
        tier = self.response.service_tier
        return str(tier) if tier is not None else None

    @property
    def reasoning_tokens(self) -> int | None:
        """`completion_tokens_details.reasoning_tokens`, when Groq reports it."""
        return reasoning_tokens_of(self.usage)

    @property
    def http_headers(self) -> httpx.Headers | None:
        """The HTTP response headers (None for a response built by hand)."""
        return self._http_headers

    @property
    def rate_limits(self) -> RateLimits | None:
        """Groq's `x-ratelimit-*` figures for this request.

        Example:
            ```python
            limits = response.rate_limits
            print(limits.remaining_tokens if limits else None)
            ```
        """
        headers = self._http_headers
        from .rate_limits import RateLimits

        return RateLimits.from_headers(headers) if headers is not None else None

    @property
    def request_id(self) -> str | None:
        """The `x-request-id` header (quote it in support tickets)."""
        headers = self._http_headers
        return headers.get("x-request-id") if headers is not None else None

    @property
    def groq_region(self) -> str | None:
        """The `x-groq-region` header: the region that served the request."""
        headers = self._http_headers
        return headers.get("x-groq-region") if headers is not None else None

    @property
    def x_groq_id(self) -> str | None:
        """Groq's own request id (`x_groq.id`)."""
        x_groq = self.response.x_groq
        return x_groq.id if x_groq is not None else None

    @property
    def common_finish_reasons(self) -> list[str] | None:
        """The finish reasons, unmapped."""
        return self.finish_reasons or None

    @property
    def common_message_param(self) -> BaseMessageParam:
        """`message_param` as a provider-neutral `BaseMessageParam`."""
        return to_base_message_params([self.message_param])[0]

    @property
    def common_user_message_param(self) -> BaseMessageParam | None:
        """`user_message_param` as a `BaseMessageParam`, or None."""
        if self.user_message_param is None:
            return None
        return to_base_message_params([self.user_message_param])[0]

    @property
    def common_messages(self) -> list[BaseMessageParam]:
        """The messages sent, provider-neutral."""
        return to_base_message_params(self.messages)

    @property
    def common_tools(self) -> list[GroqTool] | None:
        """The tools called, as the `GroqTool` instances (`mirascope.llm` is out of scope)."""
        return self.tools

    @property
    def common_usage(self) -> Usage | None:
        """Provider-neutral usage, or None."""
        return common_usage_of(self.usage)


__all__ = ["GroqCallResponse"]
