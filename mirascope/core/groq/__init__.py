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


def __getattr__(name: str) -> object:
    # `GroqBatch` (beyond v1, so not in `__all__`) is imported on first use: importing
    # `mirascope.core.groq` costs no more than before.
    if name == "GroqBatch":
        from .batch import GroqBatch

        return GroqBatch
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
