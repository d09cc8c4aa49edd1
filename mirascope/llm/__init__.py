"""`mirascope.llm`: v1's provider-agnostic call API, for the one provider installed (groq).

Invariants: `llm.call` runs through `mirascope.core.groq.groq_call` (one call path); importing
`mirascope.core.groq` never imports this package; a provider other than "groq" raises
`ValueError` naming the installed provider.

Example:
    ```python
    from mirascope import llm

    @llm.call(provider="groq", model="openai/gpt-oss-20b")
    def recommend_book(genre: str) -> str:
        return f"Recommend a {genre} book"

    print(recommend_book("fantasy").content)
    ```
"""

from ..core import CostMetadata, LocalProvider, Provider, calculate_cost
from ._call import call
from ._context import context
from ._override import override
from .call_response import CallResponse
from .call_response_chunk import CallResponseChunk
from .stream import Stream
from .tool import Tool

__all__ = [
    "CallResponse",
    "CallResponseChunk",
    "CostMetadata",
    "LocalProvider",
    "Provider",
    "Stream",
    "Tool",
    "calculate_cost",
    "call",
    "context",
    "override",
]
