"""Groq's per-token prices, and the cost of one Groq call.

Rows come from API.md §2.8 (sources in GROQ_WIRE.md §5). Retired ids stay so that recorded
traffic and v1-era code still get a cost. Ids whose price is unknown (`groq/compound`,
`moonshotai/kimi-k2-instruct`, `qwen-qwq-32b`, …) are absent on purpose and give `None`.
"""

from __future__ import annotations

from typing import NamedTuple

from ..base.types import CostMetadata

__all__ = ["GROQ_PRICES", "VISION_IMAGE_TOKENS", "GroqPrice", "calculate_groq_cost"]

VISION_IMAGE_TOKENS = 6_400
"""Prompt tokens Groq's vision models are billed per image."""


class GroqPrice(NamedTuple):
    """USD per token for one model. `cached` is `None` when no cached-input price is known.

    Example:
        ```python
        GROQ_PRICES["openai/gpt-oss-120b"].input  # 1.5e-07
        ```
    """

    input: float
    output: float
    cached: float | None = None


GROQ_PRICES: dict[str, GroqPrice] = {
    # Current models. Per token, written as the per-million price times 1e-6.
    "openai/gpt-oss-120b": GroqPrice(0.15e-6, 0.60e-6, 0.075e-6),
    "openai/gpt-oss-20b": GroqPrice(0.075e-6, 0.30e-6, 0.0375e-6),
    "openai/gpt-oss-safeguard-20b": GroqPrice(0.075e-6, 0.30e-6),
    "qwen/qwen3.6-27b": GroqPrice(0.60e-6, 3.00e-6, 0.30e-6),
    "qwen/qwen3.8-27b": GroqPrice(0.80e-6, 4.00e-6, 0.40e-6),
    # Shut down or removed in 2026.
    "meta-llama/llama-4-scout-17b-16e-instruct": GroqPrice(0.11e-6, 0.34e-6),
    "qwen/qwen3-32b": GroqPrice(0.29e-6, 0.59e-6),
    "meta-llama/llama-4-maverick-17b-128e-instruct": GroqPrice(0.20e-6, 0.60e-6),
    "moonshotai/kimi-k2-instruct-0905": GroqPrice(1.00e-6, 3.00e-6, 0.50e-6),
    "meta-llama/llama-guard-4-12b": GroqPrice(0.20e-6, 0.20e-6),
    # Mirascope v1's table.
    "llama-3.3-70b-versatile": GroqPrice(0.59e-6, 0.79e-6),
    "llama-3.1-8b-instant": GroqPrice(0.05e-6, 0.08e-6),
    "llama-3.3-70b-specdec": GroqPrice(0.59e-6, 0.99e-6),
    "llama3-groq-70b-8192-tool-use-preview": GroqPrice(0.89e-6, 0.89e-6),
    "llama3-groq-8b-8192-tool-use-preview": GroqPrice(0.19e-6, 0.19e-6),
    "llama-guard-3-8b": GroqPrice(0.20e-6, 0.20e-6),
    "llama3-70b-8192": GroqPrice(0.59e-6, 0.79e-6),
    "llama3-8b-8192": GroqPrice(0.05e-6, 0.08e-6),
    "mixtral-8x7b-32768": GroqPrice(0.24e-6, 0.24e-6),
    "gemma-7b-it": GroqPrice(0.07e-6, 0.07e-6),
    "gemma2-9b-it": GroqPrice(0.20e-6, 0.20e-6),
    "mistral-saba-24b": GroqPrice(0.79e-6, 0.79e-6),
    "qwen-2.5-32b": GroqPrice(0.79e-6, 0.79e-6),
    "qwen-2.5-coder-32b": GroqPrice(0.79e-6, 0.79e-6),
    "deepseek-r1-distill-qwen-32b": GroqPrice(0.69e-6, 0.69e-6),
    "deepseek-r1-distill-llama-70b": GroqPrice(0.75e-6, 0.99e-6),
    "deepseek-r1-distill-llama-70b-specdec": GroqPrice(0.75e-6, 0.99e-6),
    "llama-3.2-1b-preview": GroqPrice(0.04e-6, 0.04e-6),
    "llama-3.2-3b-preview": GroqPrice(0.06e-6, 0.06e-6),
    "llama-3.2-11b-vision-preview": GroqPrice(0.18e-6, 0.18e-6),
    "llama-3.2-90b-vision-preview": GroqPrice(0.90e-6, 0.90e-6),
}
"""Prices by Groq model id, per token."""


def calculate_groq_cost(metadata: CostMetadata, model: str) -> float | None:
    """The USD cost of one Groq call, or `None` for an unknown model or missing token counts.

    Cached tokens (a subset of input tokens) are billed at the cached rate when the model has
    one, else at the input rate. Vision models add 6,400 input tokens per image.

    Example:
        ```python
        calculate_groq_cost(CostMetadata(input_tokens=13, output_tokens=8), "llama-3.1-8b-instant")
        # 1.29e-06
        ```
    """
    price = GROQ_PRICES.get(model)
    if price is None or metadata.input_tokens is None or metadata.output_tokens is None:
        return None
    input_tokens = metadata.input_tokens
    cached_tokens = metadata.cached_tokens or 0
    cost = metadata.output_tokens * price.output
    if price.cached is not None and cached_tokens > 0:
        # Cached tokens can't exceed the prompt; clamp rather than bill negative input.
        cached_tokens = min(cached_tokens, input_tokens)
        cost += (input_tokens - cached_tokens) * price.input + cached_tokens * price.cached
    else:
        cost += input_tokens * price.input
    if metadata.images and "vision" in model:
        cost += len(metadata.images) * VISION_IMAGE_TOKENS * price.input
    return cost
