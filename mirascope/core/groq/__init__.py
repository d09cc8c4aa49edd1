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

from ._call import call, groq_call
from .call_params import GroqCallParams
from .call_response import GroqCallResponse
from .call_response_chunk import GroqCallResponseChunk
from .dynamic_config import AsyncGroqDynamicConfig, GroqDynamicConfig
from .message_param import GroqMessageParam
from .stream import GroqStream
from .tool import GroqTool

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


if TYPE_CHECKING:
    from .batch import GroqBatch as GroqBatch
    from .builtin_tools import BrowserSearch as BrowserSearch
    from .builtin_tools import CodeInterpreter as CodeInterpreter

# Beyond v1, so not in `__all__`: `groq.BrowserSearch()` / `groq.CodeInterpreter()` (issue 10:
# `tools=[GetWeather, groq.BrowserSearch()]`) and `GroqBatch`, each imported on first use, so
# importing `mirascope.core.groq` loads nothing more than before.
_LAZY = {
    "BrowserSearch": "builtin_tools",
    "CodeInterpreter": "builtin_tools",
    "GroqBatch": "batch",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f".{module}", __name__), name)
