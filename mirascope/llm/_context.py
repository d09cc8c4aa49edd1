"""`llm.context`: settings that override an `llm.call`'s arguments while the block runs.

Invariants: the current context lives in a `ContextVar`, so it is per thread and per asyncio
task, and an `async` call reads it when called (not when awaited); leaving a block restores the
enclosing context. A nested context fills what it leaves unset from the enclosing one, as v1's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal

_current: ContextVar[LLMContext | None] = ContextVar("mirascope_llm_context", default=None)

_FIELDS = (
    "provider",
    "model",
    "stream",
    "tools",
    "response_model",
    "output_parser",
    "json_mode",
    "client",
    "call_params",
)


@dataclass
class LLMContext:
    """The overrides of an `llm.context` / `llm.override` block (`None` = not overridden)."""

    provider: str | None = None
    model: str | None = None
    stream: Any = None
    tools: list[Any] | None = None
    response_model: Any = None
    output_parser: Callable[..., Any] | None = None
    json_mode: bool | None = None
    client: Any = None
    call_params: Any = None
    _tokens: list[Token[LLMContext | None]] = field(
        default_factory=list[Token["LLMContext | None"]], repr=False
    )

    def __enter__(self) -> LLMContext:
        self._tokens.append(_current.set(self))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> Literal[False]:
        _current.reset(self._tokens.pop())
        return False


def get_current_context() -> LLMContext | None:
    """The innermost active `llm.context`, or `None`."""
    return _current.get()


def make_context(**overrides: Any) -> LLMContext:
    """A context from `overrides`, unset ones taken from the enclosing context (v1's nesting)."""
    outer = get_current_context()
    if outer is not None:
        for name in _FIELDS:
            if not overrides.get(name):
                overrides[name] = getattr(outer, name)
    return LLMContext(**overrides)


def apply_context(call_args: Mapping[str, Any], ctx: LLMContext | None) -> dict[str, Any]:
    """`call_args` with `ctx`'s overrides applied.

    As in v1, a structural override (stream, response_model or output_parser) resets the other
    two to their defaults, and a `response_model` override drops the tools.
    """
    args = dict(call_args)
    if ctx is None:
        return args
    if ctx.stream or ctx.response_model or ctx.output_parser:
        args.update(stream=False, response_model=None, output_parser=None)
    if ctx.response_model:
        args["tools"] = None
    for name in _FIELDS:
        value = getattr(ctx, name)
        if value is not None:
            args[name] = value
    return args


def context(
    *,
    provider: str,
    model: str,
    client: Any = None,
    call_params: Any = None,
) -> LLMContext:
    """Overrides the provider, model, client or call params of `llm.call`s made in the block.

    Example:
        ```python
        with llm.context(provider="groq", model="llama-3.3-70b-versatile"):
            response = recommend_book("fantasy")  # uses llama-3.3-70b-versatile
        ```
    """
    return make_context(provider=provider, model=model, client=client, call_params=call_params)
