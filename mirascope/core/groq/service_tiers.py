"""`FlexPolicy`: what to do when Groq's flex tier answers 498 `capacity_exceeded` (opt-in).

Groq's flex tier "will succeed or fail quickly"; its docs say "Add jittered backoff and retries"
(GROQ_2026.md §1.3). The groq SDK does not retry 498. With `call_params={"service_tier": "flex",
"flex_policy": FlexPolicy(...)}` a call retries up to `retries` times with full-jitter backoff,
then (with `fallback_to_on_demand`) sends once more with `service_tier="on_demand"`.

Invariants: only a 498 is retried; for streams only before the first chunk (the request is
sent at the first `next()`, and nothing has been yielded yet), so no chunk is ever repeated.
Without a policy a 498 raises `GroqCapacityExceededError` at once. This sits beside the
stream's own `max_retries_before_first_chunk` (transport faults) and the SDK's `max_retries`
(429/5xx), which know nothing of 498.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["FlexPolicy"]


@dataclass(frozen=True)
class FlexPolicy:
    """Retries and fallback for flex's 498 `capacity_exceeded`.

    Example:
        ```python
        from mirascope.core import groq
        from mirascope.core.groq.service_tiers import FlexPolicy

        @groq.call("openai/gpt-oss-20b",
                   call_params={"service_tier": "flex", "flex_policy": FlexPolicy(retries=2)})
        def recommend_book(genre: str) -> str:
            return f"Recommend a {genre} book"
        ```
    """

    retries: int = 2
    """Flex attempts after the first, each after a jittered delay."""
    base_delay: float = 0.25
    """Seconds; attempt n waits uniform(0, min(max_delay, base_delay * 2**n))."""
    max_delay: float = 4.0
    fallback_to_on_demand: bool = True
    """After the retries, send once more on `on_demand`."""

    def delay(self, attempt: int) -> float:
        """The jittered wait before retry `attempt` (0-based), in seconds."""
        return random.uniform(0.0, min(self.max_delay, self.base_delay * 2**attempt))

    def plan(self) -> list[str | None]:
        """The tier override of each attempt after the first: None keeps flex."""
        tiers: list[str | None] = [None] * self.retries
        if self.fallback_to_on_demand:
            tiers.append("on_demand")
        return tiers
