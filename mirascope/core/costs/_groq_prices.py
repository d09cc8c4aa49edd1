"""Groq's per-token prices, and the cost of one Groq call.

Rows come from API.md §2.8 (sources in GROQ_WIRE.md §5). Retired ids stay so that recorded
traffic and v1-era code still get a cost. Ids whose price is unknown (`moonshotai/kimi-k2-instruct`,
`qwen-qwq-32b`, …) are absent on purpose: they give `None` and one `UnknownModelPriceWarning`
per model id per process. Compound systems (`groq/compound`, `groq/compound-mini`) have no price
of their own: their cost is the sum over `usage_breakdown.models[]` at each model's price plus
the built-in tool fees (GROQ_2026.md §1.6), never the top-level usage on top.

Cached input tokens are billed at the model's cached price, or at 50% of the input price where
Groq publishes none (Groq's prompt-caching page: "50% discount on cached input tokens").
"""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Iterable
from typing import Any, NamedTuple, cast

from ..base.types import CostMetadata

__all__ = [
    "GROQ_PRICES",
    "PRICES_AS_OF",
    "TOOL_FEES",
    "VISION_IMAGE_TOKENS",
    "GroqPrice",
    "UnknownModelPriceWarning",
    "breakdown_cost",
    "calculate_groq_cost",
    "tool_fees",
]

PRICES_AS_OF = datetime.date(2026, 8, 27)
"""The date of the newest source behind the table (GROQ_WIRE.md §5: qwen3.8-27b's price)."""

CACHED_DISCOUNT = 0.5
"""Cached input costs this share of the input price when no cached price is listed."""

TOOL_FEES: dict[str, float] = {
    # USD per call, from groq.com/pricing as cited by LiteLLM's cost calculator (GROQ_2026.md
    # §1.1), as of 2026-02: browser/web search $5 per 1,000, page visit $1 per 1,000.
    "browser.search": 5 / 1000,
    "search": 5 / 1000,
    "browser.open": 1 / 1000,
    "visit": 1 / 1000,
}
"""Built-in tool fees by `executed_tools[].type` (or `name` for gpt-oss), USD per call."""


class UnknownModelPriceWarning(UserWarning):
    """A cost was asked for a model id with no price; warned once per model id."""


_warned: set[str] = set()

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
    # Mirascope v1's table: all 21 rows of v1.25.7's `_groq_calculate_cost.py`, same prices
    # (checked row by row against the 1.25.7 wheel; GROQ_WIRE.md §5.4 lists them).
    "llama-3.3-70b-versatile": GroqPrice(0.59e-6, 0.79e-6),
    # Not in v1.25.7's table (`_groq_calculate_cost.py`) nor in GROQ_WIRE.md §5 / GROQ_2026.md,
    # but the most common id in recorded traffic (162 recordings). Source: the PyPI wheel of
    # LiteLLM 1.55.0 (from when the model was served), `model_prices_and_context_window_backup
    # .json`, `groq/llama-3.1-70b-versatile`: 5.9e-07 / 7.9e-07 per token, as 3.3 70B.
    "llama-3.1-70b-versatile": GroqPrice(0.59e-6, 0.79e-6),
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


def _unknown(model: str) -> None:
    if model not in _warned:
        _warned.add(model)
        warnings.warn(
            f"No Groq price for model {model!r}: its cost is None (prices as of {PRICES_AS_OF}).",
            UnknownModelPriceWarning,
            stacklevel=4,
        )


def calculate_groq_cost(metadata: CostMetadata, model: str) -> float | None:
    """The USD cost of one Groq call, or `None` for an unknown model or missing token counts.

    Cached tokens (a subset of input tokens) are billed at the cached rate (50% of the input
    rate when the model lists none). Vision models add 6,400 input tokens per image.

    Example:
        ```python
        calculate_groq_cost(CostMetadata(input_tokens=13, output_tokens=8), "llama-3.1-8b-instant")
        # 1.29e-06
        ```
    """
    if metadata.input_tokens is None or metadata.output_tokens is None:
        return None
    price = GROQ_PRICES.get(model)
    if price is None:
        _unknown(model)
        return None
    input_tokens = metadata.input_tokens
    # Cached tokens can't exceed the prompt; clamp rather than bill negative input.
    cached_tokens = min(metadata.cached_tokens or 0, input_tokens)
    cached_rate = price.cached if price.cached is not None else price.input * CACHED_DISCOUNT
    cost = metadata.output_tokens * price.output
    cost += (input_tokens - cached_tokens) * price.input + cached_tokens * cached_rate
    if metadata.images and "vision" in model:
        cost += len(metadata.images) * VISION_IMAGE_TOKENS * price.input
    return cost


def _get(obj: Any, key: str) -> Any:
    if isinstance(obj, dict):
        return cast(dict[str, Any], obj).get(key)
    return getattr(obj, key, None)


def breakdown_cost(models: Iterable[Any]) -> float | None:
    """The cost of a compound call: the sum over `usage_breakdown.models[]` (SDK models or dicts).

    None when any entry's model is unpriced, so a partial figure is never reported as the total.

    Example:
        ```python
        breakdown_cost([{"model": "llama-3.3-70b-versatile", "usage": {"prompt_tokens": 10,
                        "completion_tokens": 2}}])
        ```
    """
    total = 0.0
    for entry in models:
        usage = _get(entry, "usage")
        details = _get(usage, "prompt_tokens_details")
        cost = calculate_groq_cost(
            CostMetadata(
                input_tokens=_get(usage, "prompt_tokens"),
                output_tokens=_get(usage, "completion_tokens"),
                cached_tokens=_get(details, "cached_tokens") or 0,
            ),
            str(_get(entry, "model")),
        )
        if cost is None:
            return None
        total += cost
    return total


def tool_fees(executed_tools: Iterable[Any]) -> float:
    """The built-in tool fees of these executed tools (`ExecutedTool`s), USD.

    Example:
        ```python
        tool_fees(stream.executed_tools)  # 0.005 per search, 0.001 per page visit
        ```
    """
    fees = 0.0
    for tool in executed_tools:
        kind = getattr(tool, "type", "") or ""
        fee = TOOL_FEES.get(kind)
        if fee is None:
            fee = TOOL_FEES.get(getattr(tool, "name", None) or "", 0.0)
        fees += fee
    return fees
