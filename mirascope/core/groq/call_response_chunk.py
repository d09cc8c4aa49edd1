"""`GroqCallResponseChunk`: one SDK `ChatCompletionChunk` with Mirascope's properties.

Read from the choice whose `index` is 0 (not `choices[0]`, B17); every access is safe on a
usage-only chunk with `choices: []` (B6). Usage comes from the top-level `usage`, else from
`x_groq.usage`, where Groq has long put it (B1).
"""

from __future__ import annotations

from typing import Any, Literal, TypeAlias, cast

from groq.types import CompletionUsage
from groq.types.chat import ChatCompletionChunk
from groq.types.chat.chat_completion_chunk import Choice

from ..base.call_response_chunk import BaseCallResponseChunk
from ..base.types import CostMetadata, Usage
from .executed_tools import ExecutedTool

FinishReason: TypeAlias = Literal["stop", "length", "tool_calls", "function_call"]
"""The SDK's non-stream finish reasons (chunks may also carry `content_filter` or new values)."""


def first_choice(chunk: ChatCompletionChunk) -> Choice | None:
    """The choice with `index == 0`, or None (empty `choices`, or only other choices)."""
    for choice in chunk.choices:
        if choice.index == 0:
            return choice
    return None


def chunk_usage(chunk: ChatCompletionChunk) -> CompletionUsage | None:
    """The usage this chunk reports: top-level `usage`, else `x_groq.usage`."""
    usage = chunk.usage
    if usage is None and (x_groq := chunk.x_groq) is not None:
        usage = x_groq.usage
    return usage


def cached_tokens_of(usage: CompletionUsage) -> int:
    """`prompt_tokens_details.cached_tokens`, read defensively (untyped on groq < 0.35)."""
    details: object = getattr(usage, "prompt_tokens_details", None)
    if details is None:
        return 0
    if isinstance(details, dict):
        value: object = cast("dict[str, object]", details).get("cached_tokens")
    else:
        value = getattr(details, "cached_tokens", None)
    return value if isinstance(value, int) else 0


def reasoning_tokens_of(usage: CompletionUsage | None) -> int | None:
    """`completion_tokens_details.reasoning_tokens`, or None when not reported."""
    details = getattr(usage, "completion_tokens_details", None) if usage is not None else None
    value = getattr(details, "reasoning_tokens", None)
    return value if isinstance(value, int) else None


def common_usage_of(usage: CompletionUsage | None) -> Usage | None:
    """A usage report as the provider-neutral `Usage`, or None."""
    if usage is None:
        return None
    return Usage(
        input_tokens=usage.prompt_tokens,
        cached_tokens=cached_tokens_of(usage),
        output_tokens=usage.completion_tokens,
        total_tokens=usage.prompt_tokens + usage.completion_tokens,
    )


class GroqCallResponseChunk(BaseCallResponseChunk[ChatCompletionChunk, FinishReason]):
    """One streamed Groq chunk.

    Example:
        ```python
        from mirascope.core import groq

        @groq.call("openai/gpt-oss-20b", stream=True)
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        for chunk, _ in recommend_book("fantasy"):
            print(chunk.content, end="", flush=True)
            raw = chunk.chunk  # the SDK's ChatCompletionChunk
        ```
    """

    @property
    def content(self) -> str:
        """The content delta of choice 0, or `""`."""
        choice = first_choice(self.chunk)
        return (choice.delta.content or "") if choice is not None else ""

    @property
    def reasoning(self) -> str:
        """The reasoning delta of choice 0 (reasoning models, `reasoning_format="parsed"`)."""
        choice = first_choice(self.chunk)
        if choice is None:
            return ""
        return getattr(choice.delta, "reasoning", None) or ""

    @property
    def finish_reasons(self) -> list[FinishReason]:
        """The non-null finish reasons across the chunk's choices; `[]` when none."""
        return [c.finish_reason for c in self.chunk.choices if c.finish_reason]  # pyright: ignore[reportReturnType]

    @property
    def model(self) -> str:
        """The model that produced the chunk."""
        return self.chunk.model

    @property
    def id(self) -> str:
        """The completion id (`chatcmpl-…`)."""
        return self.chunk.id

    @property
    def usage(self) -> CompletionUsage | None:
        """Top-level `usage`, else `x_groq.usage`; None for chunks without usage."""
        return chunk_usage(self.chunk)

    @property
    def input_tokens(self) -> int | None:
        """`usage.prompt_tokens`, or None."""
        usage = self.usage
        return usage.prompt_tokens if usage is not None else None

    @property
    def cached_tokens(self) -> int | None:
        """`usage.prompt_tokens_details.cached_tokens` when reported, else 0."""
        usage = self.usage
        return cached_tokens_of(usage) if usage is not None else 0

    @property
    def output_tokens(self) -> int | None:
        """`usage.completion_tokens`, or None."""
        usage = self.usage
        return usage.completion_tokens if usage is not None else None

    @property
    def cost_metadata(self) -> CostMetadata:
        """Token counts of this chunk, for `calculate_cost`."""
        return CostMetadata(
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            cached_tokens=self.cached_tokens,
        )

    # -- Groq 2025-2026 extras (GROQ_2026.md §1.1): read on demand, never per chunk. --

    @property
    def executed_tools(self) -> list[ExecutedTool]:
        """The server-side tools in this chunk's delta (the call, or its result), typed.

        Example:
            ```python
            for chunk, _ in stream:
                for tool in chunk.executed_tools:
                    print(tool.index, tool.type, tool.done)
            ```
        """
        choice = first_choice(self.chunk)
        items = choice.delta.executed_tools if choice is not None else None
        return [ExecutedTool.of(item.model_dump(exclude_none=True)) for item in items or ()]

    @property
    def annotations(self) -> list[dict[str, Any]]:
        """Citations in this chunk's delta (`document_citation` / `function_citation`), raw."""
        choice = first_choice(self.chunk)
        items = choice.delta.annotations if choice is not None else None
        return [item.model_dump(exclude_none=True) for item in items or ()]

    @property
    def common_finish_reasons(self) -> list[FinishReason] | None:
        """The finish reasons, unmapped (Groq's names are already the common ones).

        `[]` on a chunk without a finish reason (or without choices), as in v1.
        """
        return self.finish_reasons

    @property
    def common_usage(self) -> Usage | None:
        """Provider-neutral usage, or None when this chunk reports none."""
        return common_usage_of(self.usage)


__all__ = ["FinishReason", "GroqCallResponseChunk"]
