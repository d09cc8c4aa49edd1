"""Groq's server-side tools, requested next to user tools: `BrowserSearch`, `CodeInterpreter`.

`tools=[GetWeather, groq.BrowserSearch()]` (also `mirascope.core.groq.builtin_tools`; the
package root resolves both names lazily and keeps `__all__` exactly v1's) sends
`{"type": "browser_search"}` after the user tools' schemas (GROQ_2026.md §1.0: gpt-oss only).
Groq refuses some combinations, so these are refused before any request (invariant): built-in
tools on a model other than gpt-oss, and any `tools=` on a compound system (`groq/compound*`,
"Local & Remote Tool Use Support? No"), when the decorator runs (dynamic-config tools: when the
call is made). A compound system's tools are chosen with
`call_params={"compound_custom": {"tools": {"enabled_tools": [...]}}}`.
What the server ran comes back as `executed_tools` (see `executed_tools`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["BrowserSearch", "BuiltinTool", "CodeInterpreter", "split_builtin_tools"]

_GPT_OSS = "openai/gpt-oss-"
_COMPOUND = ("groq/compound", "compound-beta")


@dataclass(frozen=True)
class BuiltinTool:
    """A Groq server-side tool; `type` is what Groq's `tools[]` entry says."""

    type: str

    def tool_param(self) -> dict[str, Any]:
        """The `tools[]` entry sent to Groq."""
        return {"type": self.type}


@dataclass(frozen=True)
class BrowserSearch(BuiltinTool):
    """gpt-oss's built-in web search (`{"type": "browser_search"}`).

    Example:
        ```python
        @groq.call("openai/gpt-oss-120b", tools=[BrowserSearch()])
        def ask(q: str) -> str:
            return q
        ```
    """

    type: str = "browser_search"


@dataclass(frozen=True)
class CodeInterpreter(BuiltinTool):
    """gpt-oss's built-in Python sandbox (`{"type": "code_interpreter"}`).

    Example:
        ```python
        @groq.call("openai/gpt-oss-20b", tools=[CodeInterpreter()])
        def ask(q: str) -> str:
            return q
        ```
    """

    type: str = "code_interpreter"


def split_builtin_tools(tools: Any, model: str) -> tuple[list[Any], list[BuiltinTool]]:
    """Split `tools=` into user tools and built-in tools; refuse what Groq refuses.

    Raises:
        ValueError: tools on a compound system, or built-in tools on a non-gpt-oss model.
    """
    items: list[Any] = list(tools or ())
    if items and model.startswith(_COMPOUND):
        raise ValueError(
            f"{model} does not accept tools= (Groq: compound systems have no local or remote "
            "tool use); choose its server-side tools with call_params={'compound_custom': "
            "{'tools': {'enabled_tools': [...]}}}."
        )
    builtins = [t for t in items if isinstance(t, BuiltinTool)]
    if builtins and not model.startswith(_GPT_OSS):
        raise ValueError(
            f"Built-in tools ({', '.join(b.type for b in builtins)}) run only on "
            f"openai/gpt-oss-* models on Groq, not on {model!r}."
        )
    return [t for t in items if not isinstance(t, BuiltinTool)], builtins
