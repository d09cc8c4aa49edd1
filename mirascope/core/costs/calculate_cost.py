"""`calculate_cost`: route a provider name to its price table.

mirascope-groq prices Groq only; the other v1 provider names are recognised and refused with a
clear message, and anything else is an unknown provider, as in v1.
"""

from __future__ import annotations

from typing import get_args

from ..base.types import CostMetadata, Provider
from ._groq_prices import calculate_groq_cost

__all__ = ["calculate_cost"]

_KNOWN_PROVIDERS: frozenset[str] = frozenset(get_args(Provider))


def calculate_cost(
    provider: Provider, model: str, metadata: CostMetadata | None = None
) -> float | None:
    """The USD cost of one call, or `None` when the model or the token counts are unknown.

    `metadata` is read, never modified. Without it there are no token counts, so the cost is
    `None`.

    Example:
        ```python
        from mirascope.core.base.types import CostMetadata
        from mirascope.core.costs import calculate_cost

        metadata = CostMetadata(input_tokens=13, output_tokens=8)
        calculate_cost("groq", "llama-3.1-8b-instant", metadata)  # 1.29e-06
        ```

    Raises:
        ValueError: `provider` is not `"groq"`.
    """
    if provider == "groq":
        return calculate_groq_cost(metadata or CostMetadata(), model)
    if provider in _KNOWN_PROVIDERS:
        raise ValueError(
            f"mirascope-groq prices Groq only; cannot calculate costs for provider {provider!r}"
        )
    raise ValueError(f"Unknown provider: {provider!r}")
