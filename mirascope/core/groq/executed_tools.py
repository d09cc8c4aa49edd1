"""`ExecutedTool`: one server-side tool run by Groq (compound systems, gpt-oss built-in tools).

Groq streams each executed tool twice under one `index`: first the call (arguments, empty
results), then the same index again with `output`, `search_results`, `code_results` or
`browser_results` (GROQ_2026.md §1.1; recording pai-046). `type` is free-form (`search`,
`visit`, `python`, `function`, `browser.search`, …), so it is kept as a string.

Invariants: merging never raises and never drops a key: a later entry's non-empty values
overwrite, its empty ones keep what came first; the raw dict of every field Groq sent is kept in
`raw`. Entries are ordered by `index`. Executed tools never go into `message_param`: Groq's
assistant-message schema has no `executed_tools` (GROQ_WIRE.md B11: unknown assistant-message
keys are rejected); the server ran them, so history needs only the answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

__all__ = ["ExecutedTool", "merge_executed_tools"]

_EMPTY: tuple[object, ...] = (None, "", [], {}, {"results": []})


@dataclass(frozen=True)
class ExecutedTool:
    """A tool Groq ran on the server, merged from every entry with its `index`.

    Example:
        ```python
        for tool in stream.executed_tools:
            print(tool.type, tool.arguments, tool.output)
        ```
    """

    index: int
    type: str
    """Free-form: `search`, `visit`, `python`, `function`, `browser.search`, …"""
    arguments: str
    """The call's arguments, a JSON string as Groq sent it."""
    name: str | None = None
    output: str | None = None
    search_results: dict[str, Any] | None = None
    code_results: list[dict[str, Any]] | None = None
    browser_results: list[dict[str, Any]] | None = None
    raw: dict[str, Any] = field(default_factory=dict[str, Any])
    """Every key Groq sent for this index, merged."""

    @property
    def done(self) -> bool:
        """True once Groq has sent a result (output or any results list) for this tool."""
        return any(
            self.raw.get(k) not in _EMPTY
            for k in ("output", "search_results", "code_results", "browser_results")
        )

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> ExecutedTool:
        """Parse one raw dict loosely: unknown keys stay in `raw`, odd types become None."""
        data = dict(raw)

        def typed(key: str, kind: type) -> Any:
            value = data.get(key)
            return value if isinstance(value, kind) else None

        index = data.get("index")
        return cls(
            index=int(index) if isinstance(index, (int, str)) and str(index).isdigit() else 0,
            type=str(data.get("type") or data.get("name") or ""),
            arguments=str(data.get("arguments") or ""),
            name=typed("name", str),
            output=typed("output", str),
            search_results=typed("search_results", dict),
            code_results=typed("code_results", list),
            browser_results=typed("browser_results", list),
            raw=data,
        )


def _dump(item: Any) -> dict[str, Any]:
    if isinstance(item, Mapping):
        return dict(item)  # pyright: ignore[reportUnknownArgumentType]
    dump: Any = getattr(item, "model_dump", None)
    return cast(dict[str, Any], dump(exclude_none=True)) if callable(dump) else {}


def merge_executed_tools(merged: dict[int, dict[str, Any]], items: Iterable[Any]) -> None:
    """Fold raw entries (dicts or SDK models) into `merged`, keyed by `index`, in place.

    Example:
        ```python
        merged = {}
        merge_executed_tools(merged, [{"index": 0, "type": "search", "arguments": "{}"}])
        merge_executed_tools(merged, [{"index": 0, "type": "search", "output": "..."}])
        ```
    """
    for item in items:
        raw = _dump(item)
        index = ExecutedTool.of(raw).index
        slot = merged.setdefault(index, {})
        for key, value in raw.items():
            if value not in _EMPTY or key not in slot:
                slot[key] = value


def executed_tools_of(merged: Mapping[int, Mapping[str, Any]]) -> list[ExecutedTool]:
    """The merged entries as `ExecutedTool`s, by index."""
    return [ExecutedTool.of(merged[i]) for i in sorted(merged)]
