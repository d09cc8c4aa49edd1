"""`llm.Tool`: a provider-agnostic view of a provider's tool call.

Invariant: every attribute not defined here is read from the wrapped provider tool
(`GroqTool`), so `tool.call()`, `tool.args`, `tool.tool_call` and the model's fields behave
exactly as on the provider tool; `tool.tool` is the wrapped tool itself.
"""

from __future__ import annotations

from typing import Any

from ..core.base.tool import BaseTool


class Tool:
    """A provider-agnostic tool, as yielded by `llm.Stream` and returned by `llm.CallResponse`.

    Example:
        ```python
        for chunk, tool in stream:  # an llm.Stream
            if tool:
                print(tool._name(), tool.args, tool.call())
        ```
    """

    __slots__ = ("tool",)

    def __init__(self, tool: BaseTool) -> None:
        self.tool = tool

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tool, name)

    def call(self, *args: Any, **kwargs: Any) -> Any:
        """Runs the wrapped tool's `call`."""
        return self.tool.call(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Tool({self.tool!r})"


def unwrap_tool(tool: Any) -> Any:
    """The provider tool inside an `llm.Tool` (any other object is returned as is)."""
    return tool.tool if isinstance(tool, Tool) else tool
