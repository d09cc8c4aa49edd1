"""`GroqDynamicConfig` / `AsyncGroqDynamicConfig`: what a Groq prompt function may return."""

from __future__ import annotations

from typing import TypeAlias

from groq import AsyncGroq, Groq
from groq.types.chat import ChatCompletionMessageParam

from ..base.dynamic_config import BaseDynamicConfig
from ..base.message_param import BaseMessageParam
from .call_params import GroqCallParams

GroqDynamicConfig: TypeAlias = BaseDynamicConfig[
    ChatCompletionMessageParam | BaseMessageParam, GroqCallParams, Groq
]
"""Dynamic configuration of a sync Groq call.

Keys: `messages`, `call_params`, `computed_fields`, `tools`, `metadata` and `client` (used for
this call only).

Example:
    ```python
    @groq.call("openai/gpt-oss-20b")
    def recommend_book(genre: str) -> groq.GroqDynamicConfig:
        return {
            "messages": [{"role": "user", "content": f"Recommend a {genre} book"}],
            "call_params": {"max_tokens": 512},
            "metadata": {"tags": {"version:0001"}},
        }
    ```
"""

AsyncGroqDynamicConfig: TypeAlias = BaseDynamicConfig[
    ChatCompletionMessageParam | BaseMessageParam, GroqCallParams, AsyncGroq
]
"""Dynamic configuration of an async Groq call; its `client` is an `AsyncGroq`."""

__all__ = ["AsyncGroqDynamicConfig", "GroqDynamicConfig"]
