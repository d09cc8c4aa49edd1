"""`GroqMessageParam`: a message a Groq call accepts."""

from __future__ import annotations

from typing import TypeAlias

from groq.types.chat import ChatCompletionMessageParam

from ..base.message_param import BaseMessageParam

GroqMessageParam: TypeAlias = ChatCompletionMessageParam | BaseMessageParam
"""An SDK message dict or a provider-neutral `BaseMessageParam`.

Example:
    ```python
    history: list[groq.GroqMessageParam] = [{"role": "user", "content": "Hi"}]
    ```
"""

__all__ = ["GroqMessageParam"]
