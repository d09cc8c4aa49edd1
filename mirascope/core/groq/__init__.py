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
