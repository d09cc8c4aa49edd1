"""The `GroqStream` class for convenience around streaming LLM calls.

Usage: https://mirascope.com/docs/mirascope/learn/streams
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator
from typing import TYPE_CHECKING, Any

import httpx
from groq.types import CompletionUsage
from groq.types.chat import (
    ChatCompletion,
    ChatCompletionAssistantMessageParam,
    ChatCompletionChunk,
    ChatCompletionMessageParam,
    ChatCompletionToolMessageParam,
    ChatCompletionToolParam,
    ChatCompletionUserMessageParam,
)
from groq.types.chat.chat_completion_chunk import UsageBreakdownModel

from ..base.metadata import Metadata
from ..base.stream import BaseStream, now_ms
from ..base.types import CostMetadata, JsonableType, Provider
from ..costs import calculate_cost
from ..costs._groq_prices import breakdown_cost, tool_fees
from ._tool_calls import ToolCallAssembler
from .call_params import GroqCallParams
from .call_response import (
    GroqCallResponse,
    assistant_message_param,
    image_metadata,
    tool_call_param,
    tool_messages,
)
from .call_response_chunk import (
    FinishReason,
    GroqCallResponseChunk,
    cached_tokens_of,
    reasoning_tokens_of,
)
from .dynamic_config import AsyncGroqDynamicConfig, GroqDynamicConfig
from .errors import GroqStreamError, InvalidToolCall
from .executed_tools import ExecutedTool, executed_tools_of, merge_executed_tools
from .tool import GroqTool

if TYPE_CHECKING:  # built on first access of the property
    from .rate_limits import RateLimits
    from .timings import ServerTimings


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
        # Groq 2025-2026 extras (issue 10), filled by the compact block in _update_properties.
        self._first_chunk: ChatCompletionChunk | None = None
        self._x_groq_id: str | None = None
        self._x_groq_seed: int | None = None
        self._executed: dict[int, dict[str, Any]] | None = None
        self._annotations: list[dict[str, Any]] | None = None
        self.usage_breakdown: list[UsageBreakdownModel] | None = None
        """`x_groq.usage_breakdown.models[]` of a compound stream (final chunk), else None."""
        self._headers_source: Any = None

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
        from .timings import ServerTimings

        return ServerTimings.from_usage(self.usage)

    def _update_properties(self, chunk: GroqCallResponseChunk) -> None:
        raw = chunk.chunk
        self.model = raw.model
        if self._first_chunk is None:  # compound sends a new id per chunk: keep the first
            self._first_chunk = raw
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
                if delta.executed_tools or delta.annotations:  # rare: a key check first
                    self._fold_extras(delta)
            if reasons:
                self.finish_reasons = reasons
        usage = raw.usage
        x_groq = raw.x_groq
        if x_groq is not None:
            if usage is None:
                usage = x_groq.usage
            if x_groq.error:
                self.x_groq_error = x_groq.error
            if x_groq.id and self._x_groq_id is None:
                self._x_groq_id = x_groq.id
            if x_groq.seed is not None and self._x_groq_seed is None:
                self._x_groq_seed = x_groq.seed
            if x_groq.usage_breakdown is not None:
                self.usage_breakdown = x_groq.usage_breakdown.models
        if usage is not None:
            self.usage = usage
            self.input_tokens = usage.prompt_tokens
            self.output_tokens = usage.completion_tokens
            self.cached_tokens = cached_tokens_of(usage)

    # -- Groq 2025-2026 extras (issue 10): executed tools, citations, headers, tiers. ----------

    def _fold_extras(self, delta: Any) -> None:
        if delta.executed_tools:
            if self._executed is None:
                self._executed = {}
            merge_executed_tools(self._executed, delta.executed_tools)
        if delta.annotations:
            if self._annotations is None:
                self._annotations = []
            self._annotations += [a.model_dump(exclude_none=True) for a in delta.annotations]

    @property
    def executed_tools(self) -> list[ExecutedTool]:
        """Server-side tools Groq ran (compound, gpt-oss built-ins), merged by `index`.

        Complete when the stream ends. Kept out of `message_param`: Groq's assistant message
        has no such key (see `executed_tools` module).

        Example:
            ```python
            for tool in stream.executed_tools:
                print(tool.type, tool.arguments, (tool.output or "")[:80])
            ```
        """
        return executed_tools_of(self._executed) if self._executed else []

    @property
    def annotations(self) -> list[dict[str, Any]]:
        """Citations (`document_citation` / `function_citation` with offsets), in order."""
        return list(self._annotations or ())

    @property
    def http_headers(self) -> httpx.Headers | None:
        """The HTTP response headers, once they have arrived (the first `next()`)."""
        source = self._headers_source
        return source.headers if source is not None else None

    @property
    def rate_limits(self) -> RateLimits | None:
        """Groq's `x-ratelimit-*` figures for this request, once the headers have arrived."""
        headers = self.http_headers
        from .rate_limits import RateLimits

        return RateLimits.from_headers(headers) if headers is not None else None

    @property
    def request_id(self) -> str | None:
        """The `x-request-id` header (quote it in support tickets)."""
        headers = self.http_headers
        return headers.get("x-request-id") if headers is not None else None

    @property
    def groq_region(self) -> str | None:
        """The `x-groq-region` header: the region that served the request."""
        headers = self.http_headers
        return headers.get("x-groq-region") if headers is not None else None

    @property
    def service_tier(self) -> str | None:
        """The service tier Groq reported on the stream, else the one requested."""
        first = self._first_chunk
        extra: dict[str, Any] = (first.model_extra or {}) if first is not None else {}
        extra_body: dict[str, Any] = self.call_kwargs.get("extra_body") or {}
        tier: Any = extra.get("service_tier") or self.call_kwargs.get("service_tier")
        if tier is None:
            tier = extra_body.get("service_tier")
        return str(tier) if tier is not None else None

    @property
    def reasoning_tokens(self) -> int | None:
        """`completion_tokens_details.reasoning_tokens`, when Groq reports it."""
        return reasoning_tokens_of(self.usage)

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
        """The cost in USD, or None until usage has arrived (or for an unpriced model).

        Compound: the sum over `usage_breakdown` at each model's price (the top-level usage is
        that total, never added again); built-in tool fees are added in both cases.
        """
        if self.input_tokens is None or self.output_tokens is None:
            return None
        if self.usage_breakdown:
            cost = breakdown_cost(self.usage_breakdown)
        else:
            cost = calculate_cost("groq", self.model, self.cost_metadata)
        if cost is not None and self._executed:
            cost += tool_fees(self.executed_tools)
        return cost

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

    def sse(self, tool_output: Any = None, *, next_turn: Any = None, max_turns: int = 8) -> Any:
        """Plain SSE bytes (iterate with `for`, or `async for` on an async stream).

        With `next_turn`, runs the tool loop (see `mirascope.core.base._web_encode.encode`).

        Example:
            ```python
            return StreamingResponse(stream.sse(), media_type="text/event-stream")
            ```
        """
        from ..base import _web_encode as web

        run = web.aencode if hasattr(self.stream, "__aiter__") else web.encode
        return run(self, web.SSEEncoder(), tool_output, next_turn=next_turn, max_turns=max_turns)

    def ui_message_stream(
        self, tool_output: Any = None, *, next_turn: Any = None, max_turns: int = 8
    ) -> Any:
        """Vercel AI SDK UI message stream bytes (for `useChat`); sync or async like the stream.

        With `next_turn`, runs the tool loop (see `mirascope.core.base._web_encode.encode`).

        Example:
            ```python
            body = stream.ui_message_stream()  # send with UI_MESSAGE_STREAM_HEADERS
            ```
        """
        from ..base import _web_encode as web

        run = web.aencode if hasattr(self.stream, "__aiter__") else web.encode
        encoder = web.UIMessageStreamEncoder()
        return run(self, encoder, tool_output, next_turn=next_turn, max_turns=max_turns)

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
        if self._executed:
            message["executed_tools"] = [t.raw for t in self.executed_tools]
        if self._annotations:
            message["annotations"] = list(self._annotations)
        first = self._first_chunk
        extras: dict[str, Any] = {}
        if first is not None:
            extras["system_fingerprint"] = first.system_fingerprint
        if self._x_groq_id is not None or self._x_groq_seed is not None:
            x_groq: dict[str, Any] = {"id": self._x_groq_id}
            if self._x_groq_seed is not None:
                x_groq["seed"] = self._x_groq_seed
            extras["x_groq"] = x_groq
        if self.usage_breakdown is not None:
            extras["usage_breakdown"] = {
                "models": [m.model_dump(exclude_none=True) for m in self.usage_breakdown]
            }
        if (tier := self.service_tier) is not None:
            extras["service_tier"] = tier
        completion = ChatCompletion.construct(
            id=self.id or "",
            object="chat.completion",
            created=first.created if first is not None else 0,
            model=self.model,
            choices=[
                {"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}
            ],
            usage=self.usage.model_dump(exclude_none=True) if self.usage is not None else None,
            **extras,
        )
        response = self.call_response_type(
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
        response._http_headers = self.http_headers  # pyright: ignore[reportPrivateUsage]
        return response


__all__ = ["FinishReason", "GroqStream"]
