"""The `GroqStream` class for convenience around streaming LLM calls.

Usage: https://mirascope.com/docs/mirascope/learn/streams
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from typing import Any

from groq.types import CompletionUsage
from groq.types.chat import (
    ChatCompletion,
    ChatCompletionAssistantMessageParam,
    ChatCompletionMessageParam,
    ChatCompletionToolMessageParam,
    ChatCompletionToolParam,
    ChatCompletionUserMessageParam,
)

from ..base.metadata import Metadata
from ..base.stream import BaseStream, now_ms
from ..base.types import CostMetadata, JsonableType, Provider
from ..costs import calculate_cost
from ._tool_calls import ToolCallAssembler
from .call_params import GroqCallParams
from .call_response import (
    GroqCallResponse,
    assistant_message_param,
    image_metadata,
    tool_call_param,
    tool_messages,
)
from .call_response_chunk import FinishReason, GroqCallResponseChunk, cached_tokens_of
from .dynamic_config import AsyncGroqDynamicConfig, GroqDynamicConfig
from .errors import GroqStreamError, InvalidToolCall
from .timings import ServerTimings
from .tool import GroqTool


class GroqStream(
    BaseStream[
        GroqCallResponse,
        GroqCallResponseChunk,
        ChatCompletionUserMessageParam,
        ChatCompletionAssistantMessageParam,
        ChatCompletionToolMessageParam,
        ChatCompletionMessageParam,
        GroqTool,
        ChatCompletionToolParam,
        AsyncGroqDynamicConfig | GroqDynamicConfig,
        GroqCallParams,
        FinishReason,
    ]
):
    """A class for convenience around streaming Groq LLM calls.

    Iterate it for `(chunk, tool)` pairs; afterwards it holds the content, tool calls, usage,
    cost and the assistant `message_param`. The request is sent at the first `next()`, so wrap
    the loop, not the call, in `try` or a retry. Leaving the loop early (`break`, an exception)
    closes the HTTP response; so do `close()` and `with stream:`.

    Example:
        ```python
        from mirascope.core.groq import groq_call

        @groq_call("llama-3.1-8b-instant", stream=True)
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        stream = recommend_book("fantasy")  # returns `GroqStream` instance
        for chunk, _ in stream:
            print(chunk.content, end="", flush=True)
        print(stream.input_tokens, stream.output_tokens, stream.cost)
        ```
    """

    _provider = "groq"

    usage: CompletionUsage | None
    """The latest usage report (it carries the request's totals, so it replaces, never adds)."""

    def __init__(
        self,
        *,
        stream: Generator[tuple[GroqCallResponseChunk, GroqTool | None], None, None]
        | AsyncGenerator[tuple[GroqCallResponseChunk, GroqTool | None], None],
        metadata: Metadata,
        tool_types: list[type[GroqTool]] | None,
        call_response_type: type[GroqCallResponse],
        model: str,
        prompt_template: str | None,
        fn_args: dict[str, Any],
        dynamic_config: AsyncGroqDynamicConfig | GroqDynamicConfig,
        messages: list[ChatCompletionMessageParam],
        call_params: GroqCallParams,
        call_kwargs: dict[str, Any],
    ) -> None:
        super().__init__(
            stream=stream,
            metadata=metadata,
            tool_types=tool_types,
            call_response_type=call_response_type,
            model=model,
            prompt_template=prompt_template,
            fn_args=fn_args,
            dynamic_config=dynamic_config,
            messages=messages,
            call_params=call_params,
            call_kwargs=call_kwargs,
        )
        self.usage = None
        self.x_groq_error: str | None = None
        """An `x_groq.error` string, if Groq stopped the stream early and said why."""
        self._reasoning_parts: list[str] = []
        self._first_token_at: float | None = None
        self._tool_call_source: ToolCallAssembler | None = None
        self._invalid_tool_calls: list[InvalidToolCall] = []

    @property
    def invalid_tool_calls(self) -> list[InvalidToolCall]:
        """Tool calls whose arguments did not parse or validate, filled as they occur.

        They yield no tool but stay in `message_param`; once the stream has ended normally it
        raises `GroqToolCallError` carrying the same list.

        Example:
            ```python
            for bad in stream.invalid_tool_calls:
                print(bad.name, bad.arguments, bad.error)
            ```
        """
        return self._invalid_tool_calls

    @property
    def provider(self) -> Provider:
        """Always `"groq"`."""
        return "groq"

    @property
    def reasoning(self) -> str:
        """The reasoning text received (reasoning models); never part of `content`."""
        parts = self._reasoning_parts
        if len(parts) > 1:
            parts[:] = ["".join(parts)]
        return parts[0] if parts else ""

    @property
    def time_to_first_token(self) -> float | None:
        """Milliseconds from sending the request to the first content, reasoning or tool delta."""
        if self._first_token_at is None:
            return None
        return self._first_token_at - self.start_time

    @property
    def server_timings(self) -> ServerTimings | None:
        """Groq's queue, prompt, completion and total times, from its usage report."""
        return ServerTimings.from_usage(self.usage)

    def _update_properties(self, chunk: GroqCallResponseChunk) -> None:
        raw = chunk.chunk
        self.model = raw.model
        self.id = raw.id
        if self.cached_tokens is None:
            self.cached_tokens = 0
        choices = raw.choices
        if choices:
            reasons: list[Any] = []
            for choice in choices:
                if choice.finish_reason:
                    reasons.append(choice.finish_reason)
                if choice.index != 0:
                    continue
                delta = choice.delta
                if delta.content:
                    self._content_parts.append(delta.content)
                    if self._first_token_at is None:
                        self._first_token_at = now_ms()
                reasoning = getattr(delta, "reasoning", None)
                if reasoning:
                    self._reasoning_parts.append(reasoning)
                    if self._first_token_at is None:
                        self._first_token_at = now_ms()
                if delta.tool_calls and self._first_token_at is None:
                    self._first_token_at = now_ms()
            if reasons:
                self.finish_reasons = reasons
        usage = raw.usage
        x_groq = raw.x_groq
        if x_groq is not None:
            if usage is None:
                usage = x_groq.usage
            if x_groq.error:
                self.x_groq_error = x_groq.error
        if usage is not None:
            self.usage = usage
            self.input_tokens = usage.prompt_tokens
            self.output_tokens = usage.completion_tokens
            self.cached_tokens = cached_tokens_of(usage)

    def _on_error(self, exc: Exception) -> None:
        if isinstance(exc, GroqStreamError):
            exc.stream = self  # so `except GroqStreamError as e: e.partial` has what arrived

    def _ended_without_error(self) -> Any:
        state = super()._ended_without_error()
        return "eof_without_finish" if self.x_groq_error else state

    def _tool_calls_received(self) -> list[dict[str, Any]]:
        if self._tool_call_source is not None:
            return self._tool_call_source.calls
        return [tool_call_param(tool.tool_call) for tool in self._tools]

    def _construct_message_param(
        self, tool_calls: list[Any] | None = None, content: str | None = None
    ) -> ChatCompletionAssistantMessageParam:
        return assistant_message_param(content or "", tool_calls)

    @property
    def cost_metadata(self) -> CostMetadata:
        """Token counts and images sent, exactly as the non-stream response counts them (B12)."""
        return CostMetadata(
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            cached_tokens=self.cached_tokens,
            images=image_metadata(self.messages) or None,  # v1's stream leaves it None
        )

    @property
    def cost(self) -> float | None:
        """The cost in USD, or None until usage has arrived (or for an unpriced model)."""
        if self.input_tokens is None or self.output_tokens is None:
            return None
        return calculate_cost("groq", self.model, self.cost_metadata)

    def tool_message_params(
        self, tools_and_outputs: list[tuple[GroqTool, JsonableType]]
    ) -> list[ChatCompletionToolMessageParam]:
        """Tool messages for history, one per `(tool, output)` pair.

        Example:
            ```python
            outputs = [(tool, tool.call()) for _, tool in stream if tool]
            history += [stream.message_param, *stream.tool_message_params(outputs)]
            ```
        """
        return tool_messages(tools_and_outputs)

    def sse(self, tool_output: Any = None) -> Any:
        """Plain SSE bytes (iterate with `for`, or `async for` on an async stream).

        Example:
            ```python
            return StreamingResponse(stream.sse(), media_type="text/event-stream")
            ```
        """
        from ..base import _web_encode as web

        run = web.aencode if hasattr(self.stream, "__aiter__") else web.encode
        return run(self, web.SSEEncoder(), tool_output)

    def ui_message_stream(self, tool_output: Any = None) -> Any:
        """Vercel AI SDK UI message stream bytes (for `useChat`); sync or async like the stream.

        Example:
            ```python
            body = stream.ui_message_stream()  # send with UI_MESSAGE_STREAM_HEADERS
            ```
        """
        from ..base import _web_encode as web

        run = web.aencode if hasattr(self.stream, "__aiter__") else web.encode
        return run(self, web.UIMessageStreamEncoder(), tool_output)

    def construct_call_response(self) -> GroqCallResponse:
        """Constructs the call response from a consumed GroqStream.

        Works after any end of iteration, including `break` and errors; an incomplete stream
        keeps `finish_reason` None rather than claiming `"stop"`.

        Example:
            ```python
            for _ in stream:
                pass
            response = stream.construct_call_response()
            print(response.usage)
            ```
        """
        if self.end_state in ("not_started", "running"):
            raise ValueError(
                "No stream response yet: iterate the stream first (construct_call_response() "
                "works once iteration has ended, however it ended)."
            )
        message: dict[str, Any] = {"role": "assistant", "content": self.content}
        if tool_calls := self._tool_calls_received():
            message["tool_calls"] = tool_calls
        if reasoning := self.reasoning:
            message["reasoning"] = reasoning
        finish_reason: Any = self.finish_reasons[0] if self.finish_reasons else None
        if finish_reason is None and self.is_complete:
            finish_reason = "stop"
        completion = ChatCompletion.construct(
            id=self.id or "",
            object="chat.completion",
            created=0,
            model=self.model,
            choices=[
                {"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}
            ],
            usage=self.usage.model_dump(exclude_none=True) if self.usage is not None else None,
        )
        return self.call_response_type(
            metadata=self.metadata,
            response=completion,
            tool_types=self.tool_types,
            prompt_template=self.prompt_template,
            fn_args=self.fn_args,
            dynamic_config=self.dynamic_config,
            messages=self.messages,
            call_params=self.call_params,
            call_kwargs=self.call_kwargs,
            user_message_param=self.user_message_param,
            start_time=self.start_time,
            end_time=self.end_time,
        )


__all__ = ["FinishReason", "GroqStream"]
