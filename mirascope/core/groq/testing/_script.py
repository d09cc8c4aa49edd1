"""Script entries: scenario names, their knobs, and the loose forms a script may use.

An entry is checked when it is queued (`ScriptEntry.make`), so a typo fails in the test that made
it, not later in the server thread.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import cast

__all__ = ["SCENARIOS", "ScriptEntry", "coerce_entry"]

_ENVELOPE = {"model", "completion_id", "request_id", "created", "system_fingerprint", "seed"}
_STREAM = {"delay", "headers", "fault", "after", "stall_seconds", "done"}
_TURN = {
    "usage_mode", "prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens",
    "finish_reason", "chunk_size", "chunk_chars", "chunks", "x_groq_error",
}  # fmt: skip
_BASE = _ENVELOPE | _STREAM | _TURN
SCENARIOS: dict[str, frozenset[str]] = {
    "default": frozenset(_BASE),
    "text": frozenset(_BASE | {"text"}),
    "tool_calls": frozenset(
        _BASE | {"calls", "style", "fragment_size", "content", "reasoning", "reasoning_format"}
    ),
    "reasoning": frozenset(_BASE | {"reasoning", "text", "reasoning_format"}),
    "json": frozenset(_BASE | {"obj", "text"}),
    "drop": frozenset(_BASE | {"text"}),
    "eof_no_done": frozenset(_BASE | {"text"}),
    "stall": frozenset(_BASE | {"text"}),
    "x_groq_error": frozenset(_BASE | {"text", "error"}),
    "error_event": frozenset(
        _ENVELOPE | _STREAM
        | {"code", "message", "type", "failed_generation", "status_code", "first", "text"}
    ),
    "http_error": frozenset(
        {"status", "message", "type", "code", "param", "failed_generation", "body", "retry_after",
         "retry_after_ms", "should_retry", "headers", "model"}
    ),
    "chunks": frozenset(_ENVELOPE | _STREAM | {"chunks"}),
    "raw": frozenset({"data", "terminate", "delay", "headers", "status", "content_type"}),
    # Server-side tools and citations (issue 10; shapes in `_compound`).
    "compound": frozenset(_ENVELOPE | _STREAM | {"query", "answer", "output", "chunk_chars"}),
    "builtin_tools": frozenset(_ENVELOPE | _STREAM | {"kind", "answer", "chunk_chars"}),
    "citations": frozenset(_ENVELOPE | _STREAM | {"answer", "document_id"}),
}  # fmt: skip
"""Every scenario name and the knobs it accepts.

Example:
    ```python
    assert "fragment_size" in SCENARIOS["tool_calls"]
    ```
"""

_CHOICES: dict[str, tuple[object, ...]] = {
    "usage_mode": ("x_groq_only", "both", "include_usage_chunk", "none"),
    "style": ("whole", "parallel_separate", "parallel_one_delta", "fragmented"),
    "reasoning_format": ("parsed", "raw", "hidden"),
    "fault": (None, "drop", "eof_no_done", "stall"),
}


@dataclass(frozen=True)
class ScriptEntry:
    """One scripted response: a scenario name and its knobs.

    Example:
        ```python
        entry = ScriptEntry.make("text", {"text": "Hi!", "chunk_size": 2})
        ```
    """

    scenario: str
    """A key of `SCENARIOS`."""
    params: dict[str, object] = field(default_factory=dict[str, object])
    """The knobs, already checked against the scenario."""

    @classmethod
    def make(cls, scenario: str, params: dict[str, object] | None = None) -> ScriptEntry:
        """Build an entry, raising `ValueError` for an unknown scenario, knob or knob value.

        Example:
            ```python
            ScriptEntry.make("tool_calls", {"style": "fragmented", "fragment_size": 3})
            ```
        """
        params = dict(params or {})
        if scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {scenario!r}; known: {sorted(SCENARIOS)}")
        unknown = set(params) - SCENARIOS[scenario]
        if unknown:
            allowed = sorted(SCENARIOS[scenario])
            raise ValueError(
                f"scenario {scenario!r} has no knob {sorted(unknown)}; knobs: {allowed}"
            )
        for knob, allowed_values in _CHOICES.items():
            if knob in params and params[knob] not in allowed_values:
                raise ValueError(f"{knob}={params[knob]!r}; expected one of {allowed_values}")
        if scenario == "http_error" and not isinstance(params.get("status"), int):
            raise ValueError("http_error needs an integer 'status'")
        return cls(scenario, params)

    @classmethod
    def from_header(cls, value: str) -> ScriptEntry:
        """Parse `x-emulator-scenario: name;k=v;k=v` (values are JSON when they parse).

        Example:
            ```python
            assert ScriptEntry.from_header("text;chunk_size=2").params == {"chunk_size": 2}
            ```
        """
        name, *pairs = [p.strip() for p in value.split(";")]
        params: dict[str, object] = {}
        for pair in filter(None, pairs):
            key, sep, raw = pair.partition("=")
            if not sep:
                raise ValueError(f"expected k=v in x-emulator-scenario, got {pair!r}")
            raw = urllib.parse.unquote(raw)
            try:
                params[key.strip()] = json.loads(raw)
            except ValueError:
                params[key.strip()] = raw
        if name.isdigit():
            return cls.make("http_error", {"status": int(name), **params})
        return cls.make(name, params)


def coerce_entry(item: object) -> ScriptEntry:
    """Accept the loose forms a script may use and return a checked `ScriptEntry`.

    Forms: a `ScriptEntry`; a scenario name (`"text"`); an HTTP status (`429`, meaning
    `http_error`); a `(name, params)` pair; or a dict `{"scenario": name, "params": {...}}`
    (the `POST /__emulator__/script` form; knobs may also sit beside `scenario`).

    Example:
        ```python
        entries = [coerce_entry(x) for x in [429, 429, "text", ("json", {"obj": {"a": 1}})]]
        ```
    """
    if isinstance(item, ScriptEntry):
        return item
    if isinstance(item, bool):
        raise ValueError(f"not a script entry: {item!r}")
    if isinstance(item, int):
        return ScriptEntry.make("http_error", {"status": item})
    if isinstance(item, str):
        return ScriptEntry.make(item)
    if isinstance(item, (tuple, list)) and len(cast(list[object], item)) == 2:
        name, params = cast(tuple[object, object], tuple(cast(list[object], item)))
        if isinstance(name, int) and isinstance(params, dict):
            return ScriptEntry.make(
                "http_error", {"status": name, **cast(dict[str, object], params)}
            )
        if isinstance(name, str) and isinstance(params, dict):
            return ScriptEntry.make(name, cast(dict[str, object], params))
    if isinstance(item, dict):
        d = dict(cast(dict[str, object], item))
        name = d.pop("scenario", None)
        params = d.pop("params", {})
        if isinstance(name, int) and not isinstance(name, bool):
            d["status"], name = name, "http_error"
        if isinstance(name, str) and isinstance(params, dict):
            return ScriptEntry.make(name, {**cast(dict[str, object], params), **d})
    raise ValueError(f"not a script entry: {item!r}")
