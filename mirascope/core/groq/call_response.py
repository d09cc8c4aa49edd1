"""`GroqCallResponse`: a non-stream Groq completion with Mirascope's properties.

`message_param` is what goes back in history, so it carries exactly `role`, `content` and, when
there are tool calls, `tool_calls` as plain dicts: no null or unknown keys, whatever SDK version
is installed (B11; Groq rejects unknown assistant-message properties).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any, ClassVar

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
from pydantic import computed_field

from ..base.call_response import BaseCallResponse
from ..base.message_param import BaseMessageParam
from ..base.tool import transform_tool_outputs
from ..base.types import CostMetadata, ImageMetadata, JsonableType, Usage
from ..costs import calculate_cost
from ._convert import count_images, to_base_message_params
from .call_params import GroqCallParams
from .call_response_chunk import FinishReason, cached_tokens_of, common_usage_of
from .dynamic_config import AsyncGroqDynamicConfig, GroqDynamicConfig
from .timings import ServerTimings
from .tool import GroqTool


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
        """The cost in USD, or None for an unpriced model or missing usage."""
        return calculate_cost("groq", self.model, self.cost_metadata)

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
