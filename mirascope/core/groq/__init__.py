"""The Groq provider: `groq_call` (alias `call`) and the types it returns.

Example:
    ```python
    from mirascope.core import groq

    @groq.call("openai/gpt-oss-20b", stream=True)
    def recommend_book(genre: str) -> str:
        return f"Recommend a {genre} book"

    for chunk, _ in recommend_book("fantasy"):
        print(chunk.content, end="", flush=True)
    ```
"""

from typing import TYPE_CHECKING

from ..._lazy import lazy_attributes
from ._call import call, groq_call

if TYPE_CHECKING:
    from .batch import GroqBatch as GroqBatch
    from .builtin_tools import BrowserSearch as BrowserSearch
    from .builtin_tools import CodeInterpreter as CodeInterpreter
    from .call_params import GroqCallParams
    from .call_response import GroqCallResponse
    from .call_response_chunk import GroqCallResponseChunk
    from .dynamic_config import AsyncGroqDynamicConfig, GroqDynamicConfig
    from .message_param import GroqMessageParam
    from .stream import GroqStream
    from .tool import GroqTool

# The types load on first use, as the first call loads them (`_invoke`). Beyond v1, so not in
# `__all__`: `groq.BrowserSearch()` / `groq.CodeInterpreter()` (issue 10:
# `tools=[GetWeather, groq.BrowserSearch()]`) and `GroqBatch`.
_LAZY = {
    "AsyncGroqDynamicConfig": ".dynamic_config",
    "BrowserSearch": ".builtin_tools",
    "CodeInterpreter": ".builtin_tools",
    "GroqBatch": ".batch",
    "GroqCallParams": ".call_params",
    "GroqCallResponse": ".call_response",
    "GroqCallResponseChunk": ".call_response_chunk",
    "GroqDynamicConfig": ".dynamic_config",
    "GroqMessageParam": ".message_param",
    "GroqStream": ".stream",
    "GroqTool": ".tool",
}

__getattr__, __dir__ = lazy_attributes(__name__, globals(), _LAZY)

__all__ = [
    "AsyncGroqDynamicConfig",
    "GroqCallParams",
    "GroqCallResponse",
    "GroqCallResponseChunk",
    "GroqDynamicConfig",
    "GroqMessageParam",
    "GroqStream",
    "GroqTool",
    "call",
    "groq_call",
]
