"""`llm.CallResponse`: a provider-agnostic view of a provider's call response.

Invariant: the properties defined here return provider-neutral values (the provider
response's `common_*` views, tools wrapped in `llm.Tool`); every other attribute
(`content`, `cost`, `model`, `response`, `messages`, `dynamic_config`, ...) is read from the
wrapped provider response, kept as `_response`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from ..core.base.call_response import BaseCallResponse
from ..core.base.message_param import BaseMessageParam
from ..core.base.types import Usage
from .tool import Tool, unwrap_tool


class CallResponse:
    """The response of an `llm.call`.

    Example:
        ```python
        from mirascope import llm

        @llm.call(provider="groq", model="openai/gpt-oss-20b")
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"

        response = recommend_book("fantasy")
        print(response.content, response.finish_reasons, response.usage, response.cost)
        ```
    """

    _llm_wraps = "_response"
    """Where the provider object is (read by `integrations.provider_result`)."""

    def __init__(self, response: BaseCallResponse[Any, Any, Any, Any, Any, Any, Any, Any]) -> None:
        self._response = response

    def __getattr__(self, name: str) -> Any:
        if name == "_response":  # not yet set (e.g. while unpickling)
            raise AttributeError(name)
        return getattr(self._response, name)

    def __str__(self) -> str:
        return str(self._response)

    def __repr__(self) -> str:
        return f"CallResponse({self._response!r})"

    @property
    def content(self) -> str:
        """The text of the response."""
        return self._response.content

    @property
    def finish_reasons(self) -> list[Any] | None:
        """The provider-neutral finish reasons."""
        return getattr(self._response, "common_finish_reasons")  # noqa: B009

    @property
    def usage(self) -> Usage | None:
        """The provider-neutral usage."""
        return self._response.common_usage

    @cached_property
    def message_param(self) -> BaseMessageParam:
        """The assistant turn as a provider-neutral `BaseMessageParam`."""
        return getattr(self._response, "common_message_param")  # noqa: B009

    @cached_property
    def common_messages(self) -> list[BaseMessageParam]:
        """The request's messages as provider-neutral `BaseMessageParam`s."""
        return getattr(self._response, "common_messages")  # noqa: B009

    @cached_property
    def tools(self) -> list[Tool] | None:
        """The tools the model called, wrapped in `llm.Tool`, or `None`."""
        tools: list[Any] | None = getattr(self._response, "common_tools")  # noqa: B009
        return [Tool(tool) for tool in tools] if tools else None

    @cached_property
    def tool(self) -> Tool | None:
        """The first tool the model called, or `None`."""
        tools = self.tools
        return tools[0] if tools else None

    def tool_message_params(self, tools_and_outputs: Sequence[tuple[Any, Any]]) -> list[Any]:
        """The provider's tool messages for `(tool, output)` pairs (`llm.Tool` or provider tool).

        Example:
            ```python
            outputs = [(tool, tool.call()) for tool in response.tools or []]
            history += [response.message_param, *response.tool_message_params(outputs)]
            ```
        """
        pairs = [(unwrap_tool(tool), output) for tool, output in tools_and_outputs]
        return type(self._response).tool_message_params(pairs)  # type: ignore[attr-defined]
